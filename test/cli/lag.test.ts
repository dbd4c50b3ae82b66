// `drs-jobs wait --max-lag` and `status --progress` as a pipeline step runs them: a child
// process against the simulator, judged by exit code, output and the simulator's counters.
import assert from "node:assert/strict";
import { EXIT } from "../../src/cli/exit";
import { startSimulator, type Simulator } from "../../src/sim";
import { drsJobs as runDrsJobs, simulatorEnv } from "../support/drs-jobs";
import { afterAnswers, answered } from "../support/timeline";

const TOKEN = "cli-lag-token";
const JOB = "dc67695a-ee3e-49b8-a022-a099bd81jb21";

describe("drs-jobs and replication lag", function () {
  this.timeout(60_000);
  let sim: Simulator;
  const drsJobs = (args: string[]) => runDrsJobs(args, simulatorEnv(sim, TOKEN));
  const requests = (kind: string) => sim.counters().byKind[kind] ?? 0;

  /** INCRE_TRANSFER_STARTED with a 60 s lag (until a test brings it down). */
  beforeEach(async () => {
    sim = await startSimulator({
      scenario: {
        auth: { token: TOKEN },
        jobs: [
          {
            id: JOB,
            timeline: [{ at: "0s", status: "INCRE_TRANSFER_STARTED", lag: "60s" }],
          },
          {
            id: "full-job",
            timeline: [{ at: "0s", status: "FULL_TRANSFER_STARTED", progress: 67 }],
          },
        ],
      },
    });
  });
  afterEach(() => sim.stop());

  it("--max-lag 5s exits 0 only after the lag came down", async () => {
    // The lag comes down once the waiter has seen it high.
    const lagDown = afterAnswers(sim, "batch-progress", 1, () =>
      sim.setJobStatus(JOB, { status: "INCRE_TRANSFER_STARTED", lag: "2s" }),
    );
    const run = await drsJobs([
      "wait",
      "--max-lag",
      "5s",
      "--interval",
      "1s",
      "--timeout",
      "30s",
      "--json",
      JOB,
    ]).finally(lagDown);
    assert.equal(run.code, EXIT.ok, run.stderr);
    assert.ok(answered(sim, "batch-progress") >= 2, "it asked again after the high lag");
    const [job] = (JSON.parse(run.stdout) as { jobs: Array<{ replicationLagMs?: number }> }).jobs;
    assert.equal(job.replicationLagMs, 2000);
    assert.match(run.stderr, /waiting on dc67695a… \(INCRE_TRANSFER_STARTED, lag 1m \(max 5s\)\)/);
  });

  it("--timeout 3s exits 3 naming the job and its lag", async () => {
    const run = await drsJobs([
      "wait",
      "--max-lag",
      "5s",
      "--interval",
      "1s",
      "--timeout",
      "3s",
      JOB,
    ]);
    assert.equal(run.code, EXIT.timeout, run.stderr);
    assert.match(run.stderr, new RegExp(`${JOB}: INCRE_TRANSFER_STARTED, lag 1m \\(max 5s\\)`));
  });

  it("without --max-lag exits 0 at the first poll; no batch-progress request", async () => {
    const run = await drsJobs(["wait", "--interval", "1s", JOB]);
    assert.equal(run.code, EXIT.ok, run.stderr);
    assert.equal(requests("batch-status"), 1);
    assert.equal(requests("batch-progress"), 0);
  });

  it("refuses --lag-stable-for without --max-lag, naming both flags (exit 2)", async () => {
    const run = await drsJobs(["wait", "--lag-stable-for", "30s", JOB]);
    assert.equal(run.code, EXIT.usage);
    assert.match(run.stderr, /--lag-stable-for: needs --max-lag/);
    assert.equal(requests("batch-status"), 0);
  });

  it("status --progress adds percent, lag and time left to the table and the JSON", async () => {
    const table = await drsJobs(["status", "--progress", JOB, "full-job"]);
    assert.equal(table.code, EXIT.ok, table.stderr);
    const [header, incremental, full] = table.stdout.trimEnd().split("\n");
    assert.match(header, /JOB ID +STATUS +PHASE +PROGRESS +LAG +TIME LEFT +ERROR/);
    assert.match(incremental, /INCRE_TRANSFER_STARTED +ready +\S+ +1m /);
    assert.match(full, /FULL_TRANSFER_STARTED +pending +67% +- /);
    const json = await drsJobs(["status", "--progress", "--json", JOB, "full-job"]);
    const jobs = (JSON.parse(json.stdout) as { jobs: Array<Record<string, unknown>> }).jobs;
    assert.equal(jobs[0].replicationLagMs, 60_000);
    assert.equal(jobs[1].percent, 67);
    assert.equal(requests("batch-progress"), 2, "one per status --progress call");
  });

  it("wait --progress shows percent in the progress line", async () => {
    const run = await drsJobs(["wait", "--progress", "--timeout", "0", "full-job"]);
    assert.equal(run.code, EXIT.timeout);
    assert.match(run.stderr, /full-job \(FULL_TRANSFER_STARTED, 67%/);
  });
});
