// `drs-jobs compare` as a pipeline step runs it (a child process) against the simulator over
// HTTP: the latest comparison as a table or JSON, and --start adopting or starting one.
import { strict as assert } from "node:assert";
import { DrsClient } from "../../src/api/client";
import { startSimulator, type Simulator } from "../../src/sim";
import { drsJobs, simulatorEnv } from "../support/drs-jobs";

const TOKEN = "MIIE-compare-cli-token-0123456789";
const JOB = "9a470239-2308-4bb5-a6bc-1040402fjb21";

describe("cli: drs-jobs compare", function () {
  this.timeout(60_000);
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({
      scenario: {
        auth: { token: TOKEN },
        jobs: [
          {
            id: JOB,
            status: "INCRE_TRANSFER_STARTED",
            compare: {
              duration: "1h",
              tables: [
                { db: "shop", table: "orders", source: 500017, target: 499998 },
                { db: "shop", table: "customers", source: 10, target: 10 },
                { db: "billing", table: "invoices", source: 7, target: 7 },
              ],
            },
          },
          { id: "never-compared", status: "INCRE_TRANSFER_STARTED" },
        ],
      },
    });
  });
  afterEach(() => sim.stop());

  const client = () =>
    new DrsClient({ endpoint: sim.url, projectId: sim.projectId, authToken: TOKEN, env: {} });
  const creates = () => sim.requestLog().filter((e) => e.kind === "compare" && e.method === "POST");

  it("shows the latest comparison: status, databases, and the table that differs with both counts", async () => {
    const id = await client().createComparison(JOB, "lines");
    sim.advanceClock("1h");
    const run = await drsJobs(["compare", JOB, "never-compared"], simulatorEnv(sim, TOKEN));
    assert.equal(run.code, 0, run.stderr);
    const [header, first, second, ...details] = run.stdout.trimEnd().split("\n");
    assert.match(
      header,
      /^JOB ID\s+COMPARISON\s+STATUS\s+STARTED\s+ENDED\s+DATABASES\s+TABLES\s+DIFFER$/,
    );
    assert.match(
      first,
      new RegExp(`^${JOB}\\s+${id}\\s+SUCCESSFUL\\s+\\S+Z\\s+\\S+Z\\s+2/2\\s+3\\s+1$`),
    );
    assert.match(second, /^never-compared\s+-\s+no lines comparison/);
    assert.deepEqual(details, [
      `  ${JOB}: differs: shop.orders: 500017 rows at the source, 499998 at the target (difference 19)`,
    ]);
    // Reading creates nothing.
    assert.equal(creates().length, 1);
  });

  it("--start --json adopts a comparison a DBA started, creates none, and exits 1 naming the differing table", async () => {
    const theirs = await client().createComparison(JOB, "lines");
    const run = await drsJobs(
      ["compare", JOB, "--start", "--json", "--interval", "200ms"],
      simulatorEnv(sim, TOKEN),
      {
        // Once the command has looked at the running comparison, let an hour pass.
        interruptWhen: () => {
          if (sim.requestLog().filter((e) => e.kind === "compare").length >= 3) {
            if (sim.clock().advancedMs === 0) sim.advanceClock("1h");
          }
          return false;
        },
      },
    );
    assert.equal(run.code, 1, run.stderr);
    assert.equal(creates().length, 1, "the DBA's create only");
    assert.match(run.stderr, new RegExp(`adopted the running lines comparison ${theirs}`));
    assert.match(run.stderr, /shop\.orders: 500017 rows at the source, 499998 at the target/);
    assert.doesNotMatch(run.stderr, /customers|invoices/);
    const { jobs } = JSON.parse(run.stdout);
    assert.equal(jobs[0].comparison.id, theirs);
    assert.equal(jobs[0].comparison.status, "SUCCESSFUL");
    assert.equal(jobs[0].comparison.tablesCompared, 3);
    assert.equal(jobs[0].comparison.tablesInconsistent, 1);
    assert.deepEqual(
      jobs[0].differing.map((t: { table: string; sourceRows: number; targetRows: number }) => [
        t.table,
        t.sourceRows,
        t.targetRows,
      ]),
      [["orders", 500017, 499998]],
    );
  });

  it("--start starts one when none runs and exits 0 once every table is equal", async () => {
    sim.setCompare(JOB, {
      duration: "1h",
      tables: [{ db: "shop", table: "orders", source: 5, target: 5 }],
    });
    const run = await drsJobs(
      ["compare", JOB, "--start", "--interval", "200ms"],
      simulatorEnv(sim, TOKEN),
      {
        interruptWhen: () => {
          if (creates().length === 1 && sim.clock().advancedMs === 0) sim.advanceClock("1h");
          return false;
        },
      },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(creates().length, 1);
    assert.match(run.stderr, /started lines comparison/);
    assert.match(run.stdout, /SUCCESSFUL\s+\S+\s+\S+\s+1\/1\s+1\s+0/);
  });

  it("refuses an unknown --type, naming the flag", async () => {
    const run = await drsJobs(["compare", JOB, "--type", "rows"], simulatorEnv(sim, TOKEN));
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--type: must be one of lines, contents, objects \(got "rows"\)/);
    assert.equal(sim.requestLog().length, 0);
  });
});
