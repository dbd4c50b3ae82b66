// The fault matrix, client leg: DrsClient and waitForJobs against the simulator over real
// HTTP. Transient faults must not change the verdict; permanent ones must end the call with a
// message that says what happened, and no wait may outlive its timeout.
import assert from "node:assert/strict";
import { DrsApiError } from "../../src/api";
import { startSimulator, type Simulator } from "../../src/sim";
import { JobsFailedError, waitForJobs, WaitTimeoutError } from "../../src/wait";
import { batchRequests, clientFor, SECRETS, TRANSIENT_FAULTS, until } from "./support";
import { judge } from "../../src/api/status";

const READY = [
  { id: "job-a", status: "INCRE_TRANSFER_STARTED" },
  { id: "job-b", status: "FULL_TRANSFER_COMPLETE" },
];

describe("reliability: fault matrix, client leg", function () {
  this.timeout(20_000);
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({ scenario: { auth: { token: SECRETS.token }, jobs: READY } });
  });
  afterEach(() => sim.stop());

  describe("transient faults: DrsClient.batchStatus still answers right", () => {
    for (const fault of TRANSIENT_FAULTS) {
      it(fault.name, async () => {
        sim.addFaults(fault.faults);
        const entries = await clientFor(sim).batchStatus(["job-a", "job-b"]);
        assert.deepEqual(sim.faults(), [], "every fault was met");
        const unknown = fault.faults.some((f) => f.data === "unknown-status");
        if (unknown) {
          // Never an error: the first job is pending and flagged, the other is judged as usual.
          assert.deepEqual(entries[0], {
            id: "job-a",
            status: "SOMETHING_NEW",
            unknown: true,
          });
          assert.equal(judge(entries[1]).phase, "ready");
        } else {
          assert.deepEqual(
            entries.map((e) => [e.id, judge(e).phase]),
            [
              ["job-a", "ready"],
              ["job-b", "ready"],
            ],
          );
        }
      });
    }
  });

  describe("transient faults: waitForJobs still opens", () => {
    for (const fault of TRANSIENT_FAULTS) {
      it(fault.name, async () => {
        sim.addFaults(fault.faults);
        const result = await waitForJobs(["job-a", "job-b"], {
          client: clientFor(sim),
          pollInterval: "100ms",
          timeout: "15s",
        });
        assert.ok(result.jobs.every((job) => job.phase === "ready"));
        assert.deepEqual(sim.faults(), []);
      });
    }
  });

  describe("permanent faults: a clear failure, never a wait past the timeout", () => {
    it("a 429 storm that never ends: the client gives up after its retries, naming the throttling", async () => {
      sim.addFault({ status: 429 });
      const err = await clientFor(sim, { maxRetries: 3 })
        .batchStatus(["job-a"])
        .catch((e: unknown) => e);
      assert.ok(err instanceof DrsApiError);
      assert.equal(err.attempts, 4);
      assert.equal(batchRequests(sim), 4);
      assert.match(err.message, /HTTP 429 APIG\.0308.*throttling.*gave up after 4 attempts/s);
    });

    for (const [name, fault, expected] of [
      ["503 for ever", { status: 503 }, /the last poll failed: DRS batch-status HTTP 503/],
      ["malformed JSON for ever", { body: "malformed" as const }, /malformed JSON response/],
      ["a server that never answers", { hang: true }, /waiting for 1 of 1 DRS jobs/],
    ] as const) {
      it(`${name}: waitForJobs ends at its timeout with the last failure, then stops polling`, async () => {
        sim.addFault(fault);
        const err = await waitForJobs(["job-a"], {
          client: clientFor(sim, { maxRetries: 1 }),
          pollInterval: "100ms",
          timeout: "1500ms",
        }).catch((e: unknown) => e);
        assert.ok(err instanceof WaitTimeoutError, String(err));
        assert.match(err.message, /timed out after 2s|timed out after 1s|timed out after 1500ms/);
        assert.match(err.message, expected);
        // A request already on the wire at the verdict may still arrive (a loaded machine is
        // slow to deliver it); after that, nothing: three intervals without a new request.
        await new Promise((resolve) => setTimeout(resolve, 150));
        const after = batchRequests(sim);
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.equal(batchRequests(sim), after, "no poll after the verdict");
      });
    }

    it("a job missing from every answer: failed with DRS.CLIENT.MISSING, named", async () => {
      sim.addFault({ data: "missing" });
      const err = await waitForJobs(["job-a"], {
        client: clientFor(sim),
        pollInterval: "100ms",
        timeout: "10s",
      }).catch((e: unknown) => e);
      assert.ok(err instanceof JobsFailedError, String(err));
      assert.match(
        err.message,
        /job-a: no status \(DRS\.CLIENT\.MISSING: the service returned no result/,
      );
    });

    it("an empty results array on every answer: the same clear verdict", async () => {
      // One job asked, the last (only) result removed: `{"results": [], "count": 0}`.
      sim.addFault({ data: "missing" });
      const entries = await clientFor(sim).batchStatus(["job-b"]);
      assert.equal(entries[0].errorCode, "DRS.CLIENT.MISSING");
      assert.equal(batchRequests(sim), 2, "asked once more before giving up on it");
    });

    it("refused credentials: one request, no retry, a message that says what to check", async () => {
      const err = await clientFor(sim, { authToken: "wrong-token-0000" })
        .batchStatus(["job-a"])
        .catch((e: unknown) => e);
      assert.ok(err instanceof DrsApiError);
      assert.equal(err.httpStatus, 401);
      assert.match(err.message, /Check the credentials/);
      assert.equal(batchRequests(sim), 1);
    });
  });

  describe("the IAM token expiring or revoked mid-wait", () => {
    const iam = {
      userName: SECRETS.userName,
      password: SECRETS.password,
      domainName: SECRETS.domainName,
    };
    let iamSim: Simulator;
    beforeEach(async () => {
      iamSim = await startSimulator({
        scenario: {
          auth: { iam: { ...iam, tokenLifetime: "1h" } },
          jobs: [{ id: "job-a", status: "FULL_TRANSFER_STARTED" }],
        },
      });
    });
    afterEach(() => iamSim.stop());

    for (const how of ["expires", "is revoked"] as const) {
      it(`the token ${how}: a new one is fetched and the wait opens`, async () => {
        const wait = waitForJobs(["job-a"], {
          client: clientFor(iamSim, { authToken: undefined, ...iam, iamEndpoint: iamSim.url }),
          pollInterval: "100ms",
          timeout: "15s",
        });
        await until(() => batchRequests(iamSim) >= 2, 5000, "two polls");
        if (how === "expires") iamSim.advanceClock("61m");
        else iamSim.revokeTokens();
        const before = batchRequests(iamSim);
        await until(() => (iamSim.counters().byStatus["401"] ?? 0) >= 1, 5000, "a 401");
        await until(() => batchRequests(iamSim) >= before + 2, 5000, "polls after the 401");
        iamSim.setJobStatus("job-a", "INCRE_TRANSFER_STARTED");
        const result = await wait;
        assert.equal(result.jobs[0].phase, "ready");
        assert.equal(iamSim.counters().byKind["iam-token"], 2, "one exchange, then one more");
        assert.equal(iamSim.counters().byStatus["401"], 1, "only the stale token was refused");
      });
    }
  });
});
