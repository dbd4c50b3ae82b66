// `drs-jobs wait` as a pipeline step runs it: a child process against the simulator, judged by
// exit code, stderr and the simulator's request log.
import assert from "node:assert/strict";
import { performance } from "node:perf_hooks";
import { startSimulator, type Simulator } from "../../src/sim";
import { drsJobs as runDrsJobs, simulatorEnv, type RunOptions } from "../support/drs-jobs";
import { afterAnswers, answered } from "../support/timeline";

const TOKEN = "cli-wait-token";

const drsJobs = (sim: Simulator, args: string[], options?: RunOptions) =>
  runDrsJobs(args, simulatorEnv(sim, TOKEN), options);

/** Seconds after simulator start at which each batch-status request arrived. */
function pollTimes(sim: Simulator): number[] {
  const clock = sim.clock();
  const origin = Date.parse(clock.now) - clock.elapsedMs;
  return sim
    .requestLog()
    .filter((e) => e.kind === "batch-status")
    .map((e) => (Date.parse(e.time) - origin) / 1000);
}

describe("drs-jobs wait", function () {
  this.timeout(30_000);
  let sim: Simulator;
  afterEach(() => sim?.stop());

  it("exits 0 on the first poll after the jobs become ready", async () => {
    sim = await startSimulator({
      scenario: {
        auth: { token: TOKEN },
        jobs: ["a", "b"].map((id) => ({ id, status: "FULL_TRANSFER_STARTED" })),
      },
    });
    // Ready once two polls have seen them pending: the third is the first to see them ready.
    const opened = afterAnswers(sim, "batch-status", 2, () =>
      ["a", "b"].forEach((id) => sim.setJobStatus(id, "INCRE_TRANSFER_STARTED")),
    );
    const run = await drsJobs(sim, ["wait", "--interval", "1s", "--json", "a", "b"]).finally(
      opened,
    );
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), {
      jobs: [
        { id: "a", status: "INCRE_TRANSFER_STARTED", phase: "ready" },
        { id: "b", status: "INCRE_TRANSFER_STARTED", phase: "ready" },
      ],
    });
    assert.equal(answered(sim, "batch-status"), 3, "it ended at the first poll that saw them");
    assert.match(run.stderr, /0\/2 jobs ready; waiting on a \(FULL_TRANSFER_STARTED\)/);
  });

  it("exits 1 naming a job that turned INCRE_TRANSFER_FAILED and its code", async () => {
    sim = await startSimulator({
      scenario: {
        auth: { token: TOKEN },
        jobs: [
          {
            id: "dc67695a-ee3e-49b8-a022-a099bd81jb21",
            status: "FULL_TRANSFER_STARTED",
          },
        ],
      },
    });
    const failed = afterAnswers(sim, "batch-status", 1, () =>
      sim.setJobStatus("dc67695a-ee3e-49b8-a022-a099bd81jb21", {
        status: "INCRE_TRANSFER_FAILED",
        errorCode: "DRS.M00004",
        errorMessage: "Service abnormal",
      }),
    );
    const run = await drsJobs(sim, [
      "wait",
      "--interval",
      "500ms",
      "dc67695a-ee3e-49b8-a022-a099bd81jb21",
    ]).finally(failed);
    assert.equal(run.code, 1);
    assert.equal(answered(sim, "batch-status"), 2, "pending at the first poll, failed at the next");
    assert.match(
      run.stderr,
      /dc67695a-ee3e-49b8-a022-a099bd81jb21: INCRE_TRANSFER_FAILED \(DRS\.M00004: Service abnormal\)/,
    );
  });

  it("exits 3 when a job stays in FULL_TRANSFER_STARTED past --timeout", async () => {
    sim = await startSimulator({
      scenario: {
        auth: { token: TOKEN },
        jobs: [{ id: "stuck", status: "FULL_TRANSFER_STARTED" }],
      },
    });
    const run = await drsJobs(sim, ["wait", "--interval", "1s", "--timeout", "3s", "stuck"]);
    assert.equal(run.code, 3);
    assert.match(run.stderr, /timed out after 3s[\s\S]*stuck: FULL_TRANSFER_STARTED/);
  });

  it("exits 3 at --timeout against a service that never answers, naming the missing answer", async function () {
    this.timeout(90_000);
    sim = await startSimulator({
      scenario: { auth: { token: TOKEN }, jobs: [{ id: "a", status: "FULL_TRANSFER_STARTED" }] },
    });
    sim.addFault({ hang: true });
    const started = performance.now();
    const run = await drsJobs(sim, ["wait", "--interval", "1s", "--timeout", "5s", "a"], {
      killAfterMs: 80_000,
    });
    const elapsed = performance.now() - started;
    assert.equal(run.code, 3, run.stderr);
    assert.match(
      run.stderr,
      /timed out after 5s[\s\S]*a: no status\nthe last poll failed: no answer within 5s/,
    );
    // Before the fix it waited for the request timeout (30 s by default) on top of the 5 s.
    assert.ok(elapsed < 30_000, `${Math.round(elapsed)} ms`);
  });

  it("exits 1 at the first poll for an unknown job id", async () => {
    sim = await startSimulator({
      scenario: { auth: { token: TOKEN }, jobs: [{ id: "a", status: "CREATING" }] },
    });
    const run = await drsJobs(sim, ["wait", "a", "nope"]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /nope: not found \(DRS\.M00289/);
    assert.equal(pollTimes(sim).length, 1);
  });

  it("still exits 0 when three 503s hit in the middle of the wait", async () => {
    sim = await startSimulator({
      scenario: {
        auth: { token: TOKEN },
        jobs: [{ id: "a", status: "CREATING" }],
      },
    });
    // After the first answer: three 503s; after them, the job completes.
    const storm = afterAnswers(sim, "batch-status", 1, () =>
      sim.addFault({ status: 503, times: 3 }),
    );
    const ready = afterAnswers(sim, "batch-status", 4, () =>
      sim.setJobStatus("a", "FULL_TRANSFER_COMPLETE"),
    );
    const run = await drsJobs(sim, ["wait", "--interval", "500ms", "a"]).finally(() => {
      storm();
      ready();
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(sim.counters().byStatus["503"], 3);
    assert.equal(sim.requestLog()[0].status, 200, "the wait was under way when they hit");
  });

  it("exits 4 with the DRS code when the token is refused, without retrying", async () => {
    sim = await startSimulator({
      scenario: { auth: { token: "another-token" }, jobs: [{ id: "a", status: "CREATING" }] },
    });
    const run = await drsJobs(sim, ["wait", "a"]);
    assert.equal(run.code, 4);
    assert.match(run.stderr, /HTTP 401/);
    assert.doesNotMatch(run.stderr, new RegExp(TOKEN));
    assert.equal(pollTimes(sim).length, 1);
  });

  it("exits 2 on bad usage, naming what to fix", async () => {
    sim = await startSimulator({ scenario: { auth: { token: TOKEN } } });
    const noIds = await drsJobs(sim, ["wait"]);
    assert.equal(noIds.code, 2);
    assert.match(noIds.stderr, /no job ids/);
    const badTimeout = await drsJobs(sim, ["wait", "--timeout", "soon", "a"]);
    assert.equal(badTimeout.code, 2);
    assert.match(badTimeout.stderr, /timeout: /);
  });

  it("exits 130 on SIGINT without waiting for the next poll or the timeout", async () => {
    sim = await startSimulator({
      scenario: { auth: { token: TOKEN }, jobs: [{ id: "a", status: "CREATING" }] },
    });
    // An hour to the next poll: only the signal can end this wait before the safety kill.
    const run = await drsJobs(sim, ["wait", "--interval", "1h", "--timeout", "2h", "a"], {
      interruptWhen: () => pollTimes(sim).length > 0,
    });
    assert.equal(run.code, 130);
    assert.match(run.stderr, /interrupted \(SIGINT\): stopped waiting with 0\/1 jobs ready/);
    assert.ok(run.exitAfterSignalMs !== undefined, "SIGINT was sent during the wait");
  });
});
