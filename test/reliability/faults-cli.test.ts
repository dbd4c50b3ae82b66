// The fault matrix, CLI leg: `drs-jobs wait` as a child process, judged by its exit code,
// its stderr and the simulator's counters. Exit codes: src/cli/exit.ts.
import assert from "node:assert/strict";
import { startSimulator, type Simulator } from "../../src/sim";
import {
  batchRequests,
  cliEnv,
  drsJobs,
  SECRET_VALUES,
  SECRETS,
  TRANSIENT_FAULTS,
} from "./support";

const WAIT = ["wait", "--interval", "200ms", "--timeout", "20s", "job-a", "job-b"];

describe("reliability: fault matrix, drs-jobs wait leg", function () {
  this.timeout(30_000);
  let sim: Simulator;
  afterEach(() => sim?.stop());

  async function simWith(jobs: Array<{ id: string; status: string }>, auth?: object) {
    sim = await startSimulator({ scenario: { auth: auth ?? { token: SECRETS.token }, jobs } });
  }
  const bothReady = [
    { id: "job-a", status: "INCRE_TRANSFER_STARTED" },
    { id: "job-b", status: "FULL_TRANSFER_COMPLETE" },
  ];
  const noSecrets = (text: string) => {
    for (const secret of SECRET_VALUES) assert.ok(!text.includes(secret), `leaked in: ${text}`);
  };

  describe("transient faults: exit 0", () => {
    for (const fault of TRANSIENT_FAULTS) {
      it(fault.name, async () => {
        await simWith(bothReady);
        sim.addFaults(fault.faults);
        // One retry per poll: a storm longer than that spans polls, and the wait rides it out.
        const run = await drsJobs([...WAIT, "--json"], cliEnv(sim, { HW_MAX_RETRIES: "1" }));
        assert.equal(run.code, 0, run.stderr);
        assert.deepEqual(
          (JSON.parse(run.stdout) as { jobs: Array<{ phase: string }> }).jobs.map((j) => j.phase),
          ["ready", "ready"],
        );
        assert.deepEqual(sim.faults(), [], "every fault was met");
        noSecrets(run.stdout + run.stderr);
      });
    }
  });

  it("a hung request is cut by HW_DRS_REQUEST_TIMEOUT, so a 5 s wait still opens", async () => {
    // With the built-in 30 s request timeout the one hung request would outlive the wait.
    await simWith(bothReady);
    sim.addFault({ hang: true, times: 1 });
    const run = await drsJobs(
      ["wait", "--interval", "200ms", "--timeout", "5s", "job-a"],
      cliEnv(sim, { HW_DRS_REQUEST_TIMEOUT: "500ms" }),
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(batchRequests(sim), 2);
  });

  it("a bad HW_DRS_REQUEST_TIMEOUT is a usage error naming it (exit 2)", async () => {
    await simWith(bothReady);
    const run = await drsJobs(["wait", "job-a"], cliEnv(sim, { HW_DRS_REQUEST_TIMEOUT: "soon" }));
    assert.equal(run.code, 2);
    assert.match(run.stderr, /HW_DRS_REQUEST_TIMEOUT: cannot read "soon"/);
    assert.equal(batchRequests(sim), 0);
  });

  describe("permanent faults: the right exit code and a clear message", () => {
    for (const [name, fault, expected] of [
      ["503 for ever", { status: 503 }, /the last poll failed: DRS batch-status HTTP 503/],
      ["a server that never answers", { hang: true }, /stuck|job-a: no status/],
    ] as const) {
      it(`${name}: exit 3 at --timeout, naming the job`, async () => {
        await simWith([{ id: "job-a", status: "INCRE_TRANSFER_STARTED" }]);
        sim.addFault(fault);
        const run = await drsJobs(
          ["wait", "--interval", "200ms", "--timeout", "2s", "job-a"],
          cliEnv(sim, { HW_MAX_RETRIES: "1" }),
        );
        assert.equal(run.code, 3, run.stderr);
        assert.match(run.stderr, /timed out after 2s waiting for 1 of 1 DRS jobs/);
        assert.match(run.stderr, expected);
      });
    }

    it("a job missing from every answer: exit 1 naming it and DRS.CLIENT.MISSING", async () => {
      await simWith(bothReady);
      sim.addFault({ data: "missing" });
      const run = await drsJobs(WAIT, cliEnv(sim));
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, /job-b: no status \(DRS\.CLIENT\.MISSING/);
    });

    it("IAM password refused: exit 4, one exchange, the password nowhere", async () => {
      await simWith(bothReady, {
        iam: { userName: SECRETS.userName, password: "another-password", domainName: "d" },
      });
      const run = await drsJobs(
        WAIT,
        cliEnv(sim, {
          HW_AUTH_TOKEN: undefined,
          HW_USER_NAME: SECRETS.userName,
          HW_USER_PASSWORD: SECRETS.password,
          HW_DOMAIN_NAME: "d",
          HW_AUTH_URL: sim.url,
        }),
      );
      assert.equal(run.code, 4, run.stderr);
      assert.match(run.stderr, /IAM token request HTTP 401 IAM\.0004.*Check HW_USER_NAME/s);
      assert.equal(sim.counters().byKind["iam-token"], 1);
      assert.equal(batchRequests(sim), 0);
      noSecrets(run.stdout + run.stderr);
    });
  });

  for (const how of ["expires", "is revoked"] as const) {
    it(`the IAM token ${how} mid-wait: exit 0 after one more exchange`, async () => {
      await simWith([{ id: "job-a", status: "FULL_TRANSFER_STARTED" }], {
        iam: {
          userName: SECRETS.userName,
          password: SECRETS.password,
          domainName: SECRETS.domainName,
          tokenLifetime: "1h",
        },
      });
      let step = 0;
      const run = await drsJobs(
        ["wait", "--interval", "200ms", "--timeout", "20s", "job-a"],
        cliEnv(sim, {
          HW_AUTH_TOKEN: undefined,
          HW_USER_NAME: SECRETS.userName,
          HW_USER_PASSWORD: SECRETS.password,
          HW_DOMAIN_NAME: SECRETS.domainName,
          HW_AUTH_URL: sim.url,
        }),
        {
          // Not an interrupt: a hook run every 25 ms to drive the scenario while it waits.
          interruptWhen: () => {
            if (step === 0 && batchRequests(sim) >= 2) {
              step = 1;
              if (how === "expires") sim.advanceClock("61m");
              else sim.revokeTokens();
            } else if (step === 1 && (sim.counters().byStatus["401"] ?? 0) >= 1) {
              step = 2;
              sim.setJobStatus("job-a", "INCRE_TRANSFER_STARTED");
            }
            return false;
          },
        },
      );
      assert.equal(run.code, 0, run.stderr);
      assert.equal(sim.counters().byKind["iam-token"], 2);
      assert.equal(sim.counters().byStatus["401"], 1);
      noSecrets(run.stdout + run.stderr);
    });
  }
});
