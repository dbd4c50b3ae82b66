// `drs-jobs wait --compare` as a pipeline step runs it: a child process against the simulator
// over HTTP, judged by exit code, stderr and the simulator's request log. Comparison status
// is asked every 15 s at most, so the tests that wait for a comparison to end take ~15 s.
import assert from "node:assert/strict";
import { DrsClient } from "../../src/api/client";
import { startSimulator, type Simulator } from "../../src/sim";
import type { CompareTableInput } from "../../src/sim/types";
import { drsJobs, simulatorEnv } from "../support/drs-jobs";

const TOKEN = "cli-wait-compare-token";
const JOB = "9a470239-2308-4bb5-a6bc-1040402fjb21";

describe("drs-jobs wait --compare", function () {
  this.timeout(90_000);
  let sim: Simulator;
  afterEach(() => sim?.stop());

  const start = async (tables: CompareTableInput[], duration = "1h") => {
    sim = await startSimulator({
      scenario: {
        auth: { token: TOKEN },
        jobs: [{ id: JOB, status: "INCRE_TRANSFER_STARTED", compare: { duration, tables } }],
      },
    });
  };
  const compareLog = () => sim.requestLog().filter((e) => e.kind === "compare");
  const creates = () => compareLog().filter((e) => e.method === "POST");
  const overviews = () => compareLog().filter((e) => e.path.endsWith("/line-overview"));
  /** Lets the simulated hour pass once `ready()` holds (the comparison then ends). */
  const endComparisonWhen = (ready: () => boolean) => () => {
    if (ready() && sim.clock().advancedMs === 0) sim.advanceClock("1h");
    return false;
  };

  it("with every table equal, exits 0 only after the comparison ended, having created exactly one", async () => {
    await start([
      { db: "shop", table: "orders", source: 10, target: 10 },
      { db: "billing", table: "invoices", source: 7, target: 7 },
    ]);
    const run = await drsJobs(
      ["wait", "--compare", "lines", "--interval", "1s", "--json", JOB],
      simulatorEnv(sim, TOKEN),
      // The hour passes only once the gate has seen the comparison running.
      { interruptWhen: endComparisonWhen(() => overviews().length >= 1), killAfterMs: 60_000 },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(creates().length, 1);
    assert.ok(overviews().length >= 2, "it looked again after seeing it running");
    assert.match(run.stderr, /0\/1 jobs ready; comparing rows: 0\/2 databases/);
    assert.match(run.stderr, /all 1 jobs ready; compared lines: 2 tables, all consistent/);
    const [job] = JSON.parse(run.stdout).jobs;
    assert.equal(job.comparisons[0].status, "SUCCESSFUL");
    assert.equal(job.comparisons[0].tablesCompared, 2);
    assert.equal(job.comparisons[0].tablesInconsistent, 0);
    assert.ok(overviews().every((e) => e.path.includes(`/compare/${job.comparisons[0].id}/`)));
  });

  it("with a table whose counts differ, exits 1 naming it and both counts, not the equal tables", async () => {
    await start(
      [
        { db: "shop", table: "orders", source: 500017, target: 499998 },
        { db: "shop", table: "customers", source: 10, target: 10 },
        { db: "billing", table: "invoices", source: 7, target: 7 },
      ],
      "0s",
    );
    const run = await drsJobs(
      ["wait", "--compare", "lines", "--interval", "1s", JOB],
      simulatorEnv(sim, TOKEN),
    );
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stderr,
      new RegExp(
        `${JOB}: rows differ in shop\\.orders: 500017 rows at the source, 499998 at the target \\(difference 19\\)`,
      ),
    );
    assert.doesNotMatch(run.stderr, /customers|invoices/);
    assert.equal(creates().length, 1);
  });

  it("with a comparison already running for the job, exits 0 when it ends and creates none", async () => {
    await start([{ db: "shop", table: "orders", source: 10, target: 10 }]);
    const client = new DrsClient({
      endpoint: sim.url,
      projectId: sim.projectId,
      authToken: TOKEN,
      env: {},
    });
    const theirs = await client.createComparison(JOB, "lines");
    sim.clearRequestLog();
    const run = await drsJobs(
      ["wait", "--compare", "lines", "--interval", "1s", JOB],
      simulatorEnv(sim, TOKEN),
      { interruptWhen: endComparisonWhen(() => overviews().length >= 1), killAfterMs: 60_000 },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(creates().length, 0);
    assert.ok(compareLog().some((e) => e.path.includes(`/compare/${theirs}/line-overview`)));
  });

  it("names the first 20 differing tables, then counts the rest", async () => {
    const tables = Array.from({ length: 23 }, (_, i) => ({
      db: "shop",
      table: `t${String(i).padStart(2, "0")}`,
      source: 100 + i,
      target: 100,
    }));
    await start(tables.slice(1), "0s");
    const run = await drsJobs(
      ["wait", "--compare", "lines", "--interval", "1s", JOB],
      simulatorEnv(sim, TOKEN),
    );
    assert.equal(run.code, 1, run.stderr);
    const named = run.stderr.match(/rows differ in shop\.t\d\d/g) ?? [];
    assert.equal(named.length, 20);
    assert.match(run.stderr, /and 2 more tables differ/);
  });

  it("a timeout while the comparison runs names it and its progress (exit 3)", async () => {
    await start([
      { db: "shop", table: "orders", source: 10, target: 10 },
      { db: "billing", table: "invoices", source: 7, target: 7 },
    ]);
    const run = await drsJobs(
      ["wait", "--compare", "lines", "--interval", "1s", "--timeout", "3s", JOB],
      simulatorEnv(sim, TOKEN),
    );
    assert.equal(run.code, 3, run.stderr);
    const [created] = creates();
    assert.ok(created);
    assert.match(
      run.stderr,
      new RegExp(
        `timed out after 3s waiting for the DRS data comparisons of 1 jobs:\\n  - ${JOB}: lines comparison [0-9a-f-]{36} still RUNNING, 0/2 databases`,
      ),
    );
  });

  it("--compare lines,objects runs both in turn; an object type whose counts differ fails it (exit 1)", async () => {
    sim = await startSimulator({
      scenario: {
        auth: { token: TOKEN },
        jobs: [
          {
            id: JOB,
            status: "INCRE_TRANSFER_STARTED",
            compare: {
              duration: "0s",
              tables: [{ db: "shop", table: "orders", source: 10, target: 10 }],
              objects: [
                { type: "TABLE", source: 1, target: 1 },
                { type: "VIEW", source: 3, target: 2 },
              ],
            },
          },
        ],
      },
    });
    const run = await drsJobs(
      ["wait", "--compare", "lines,objects", "--interval", "1s", JOB],
      simulatorEnv(sim, TOKEN),
    );
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stderr,
      new RegExp(`${JOB}: objects differ in VIEW objects: 3 at the source, 2 at the target`),
    );
    assert.doesNotMatch(run.stderr, /TABLE objects/);
    assert.deepEqual(
      creates().map((e) => e.path.split("/jobs/")[1]),
      [`${JOB}/table/compare`, `${JOB}/object/compare`],
    );
  });

  it("sends no comparison request without --compare, and refuses an unknown kind naming it", async () => {
    await start([{ db: "shop", table: "orders", source: 1, target: 2 }], "0s");
    const plain = await drsJobs(["wait", "--interval", "1s", JOB], simulatorEnv(sim, TOKEN));
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(compareLog().length, 0);
    const bad = await drsJobs(["wait", "--compare", "rows", JOB], simulatorEnv(sim, TOKEN));
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr,
      /--compare\[0\]: must be one of lines, contents, objects \(got "rows"\); did you mean/,
    );
  });
});
