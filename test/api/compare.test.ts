// The comparison calls of DrsClient against the simulator over HTTP: paging followed, codes
// named, the busy refusal surfaced, service text cleaned; and the simulator's scenario and
// admin checks for `compare`, each naming the field.
import { strict as assert } from "node:assert";
import { DrsClient } from "../../src/api/client";
import { DrsApiError } from "../../src/api/errors";
import { parseScenario, ScenarioError, startSimulator, type Simulator } from "../../src/sim";

const TOKEN = "MIIE-compare-client-token-0123456789";
const JOB = "9a470239-2308-4bb5-a6bc-1040402fjb21";

describe("api: data comparisons", () => {
  let sim: Simulator;
  let client: DrsClient;
  beforeEach(async () => {
    sim = await startSimulator({
      scenario: {
        auth: { token: TOKEN },
        jobs: [{ id: JOB, status: "INCRE_TRANSFER_STARTED" }],
      },
    });
    client = new DrsClient({
      endpoint: sim.url,
      projectId: sim.projectId,
      authToken: TOKEN,
      env: {},
      retry: { retries: 0 },
    });
  });
  afterEach(() => sim.stop());
  const compareRequests = () => sim.requestLog().filter((e) => e.kind === "compare");

  it("follows pages: 1500 tables of one database come back from two line-detail requests", async () => {
    const tables = Array.from({ length: 1500 }, (_, i) => ({
      db: "big",
      table: `t${i}`,
      source: i,
      target: i === 1499 ? 0 : i,
    }));
    sim.setCompare(JOB, { duration: "1s", tables });
    const id = await client.createComparison(JOB, "lines");
    sim.advanceClock("1s");
    sim.clearRequestLog();
    const detail = await client.comparisonDetail(JOB, id, "lines", "big");
    assert.equal(detail.length, 1500);
    assert.deepEqual(
      compareRequests().map((e) => new URL(e.path, "http://x").pathname.endsWith("line-detail")),
      [true, true],
    );
    const last = detail[1499];
    assert.deepEqual(
      [last.table, last.state, last.code, last.sourceRows, last.targetRows, last.differenceRows],
      ["t1499", "inconsistent", 0, 1499, 0, 1499],
    );
    assert.equal(detail[0].state, "consistent");
  });

  it("names states while running and after: comparing, then consistent or inconsistent per database", async () => {
    sim.setCompare(JOB, {
      duration: "10s",
      tables: [
        { db: "shop", table: "orders", source: 3, target: 2 },
        { db: "billing", table: "invoices", source: 7, target: 7 },
      ],
    });
    const id = await client.createComparison(JOB, "lines");
    const [running] = await client.listComparisons(JOB);
    assert.deepEqual(
      [running.id, running.kind, running.status, running.phase],
      [id, "lines", "RUNNING", "running"],
    );
    assert.equal(running.endedAt, undefined);
    const during = await client.comparisonOverview(JOB, id, "lines");
    assert.deepEqual(
      during.map((d) => [d.sourceDb, d.state]),
      [
        ["shop", "comparing"],
        ["billing", "comparing"],
      ],
    );
    sim.advanceClock("10s");
    const [ended] = await client.listComparisons(JOB);
    assert.equal(ended.phase, "succeeded");
    assert.match(ended.endedAt!, /Z$/);
    const after = await client.comparisonOverview(JOB, id, "lines");
    assert.deepEqual(
      after.map((d) => [d.sourceDb, d.state, d.tables, d.tablesCompared, d.tablesInconsistent]),
      [
        ["shop", "inconsistent", 1, 1, 1],
        ["billing", "consistent", 1, 1, 0],
      ],
    );
  });

  it("surfaces DRS's refusal of a second comparison (400 DRS.10000024), without retrying it", async () => {
    sim.setCompare(JOB, { duration: "1h", tables: [] });
    await client.createComparison(JOB, "lines");
    await assert.rejects(client.createComparison(JOB, "contents"), (err: unknown) => {
      assert.ok(err instanceof DrsApiError);
      assert.equal(err.httpStatus, 400);
      assert.equal(err.errorCode, "DRS.10000024");
      assert.match(err.message, /has not finished/);
      return true;
    });
    assert.equal(compareRequests().length, 2);
  });

  it("retries a comparison call that DRS answered 503, as batch-status does (route fault)", async () => {
    const retrying = new DrsClient({
      endpoint: sim.url,
      projectId: sim.projectId,
      authToken: TOKEN,
      env: {},
      retry: { retries: 2, minTimeout: 10, maxTimeout: 20 },
    });
    sim.addFault({ status: 503, times: 1, route: "compare" });
    assert.deepEqual(await retrying.listComparisons(JOB), []);
    assert.deepEqual(
      compareRequests().map((e) => e.status),
      [503, 200],
    );
  });

  it("cleans DRS's failure message: control characters stripped, the token redacted", async () => {
    sim.setCompare(JOB, {
      duration: "1s",
      tables: [],
      fail: `source lost\u001b[2J; token ${TOKEN}`,
    });
    await client.createComparison(JOB, "lines");
    sim.advanceClock("1s");
    const [failed] = await client.listComparisons(JOB);
    assert.equal(failed.phase, "failed");
    assert.equal(failed.status, "FAILED");
    assert.ok(!failed.message!.includes("\u001b"), "no escape character");
    assert.doesNotMatch(failed.message!, new RegExp(TOKEN));
    assert.match(failed.message!, /^source lost/);
  });

  it("reads contents comparisons and object comparisons with their own field names", async () => {
    sim.setCompare(JOB, {
      duration: "1s",
      tables: [{ db: "shop", table: "orders", source: 3, target: 2 }],
      objects: [
        { type: "VIEW", source: 3, target: 2 },
        { type: "TABLE", source: 1, target: 1 },
      ],
    });
    const id = await client.createComparison(JOB, "contents");
    assert.equal(await client.objectComparison(JOB), undefined);
    await client.createObjectComparison(JOB);
    sim.advanceClock("1s");
    const [db] = await client.comparisonOverview(JOB, id, "contents");
    assert.deepEqual([db.sourceDb, db.state, db.tablesInconsistent], ["shop", "inconsistent", 1]);
    const [table] = await client.comparisonDetail(JOB, id, "contents", "shop");
    assert.deepEqual(
      [table.table, table.state, table.sourceRows, table.targetRows],
      ["orders", "inconsistent", 3, 2],
    );
    const objects = await client.objectComparison(JOB);
    assert.equal(objects?.phase, "succeeded");
    assert.deepEqual(
      objects?.types.map((t) => [t.type, t.state, t.sourceCount, t.targetCount]),
      [
        ["VIEW", "inconsistent", 3, 2],
        ["TABLE", "consistent", 1, 1],
      ],
    );
  });

  it("the scenario's compare is checked, every problem named by its field", () => {
    assert.throws(
      () =>
        parseScenario({
          jobs: [
            {
              id: JOB,
              status: "INCRE_TRANSFER_STARTED",
              compare: {
                duration: "soon",
                tables: [
                  { db: "shop", table: "orders", source: -1, target: 2, rows: 1 },
                  { db: "shop" },
                ],
                fail: "",
              },
            },
          ],
        }),
      (err: unknown) => {
        assert.ok(err instanceof ScenarioError);
        const text = err.issues.join("\n");
        assert.match(text, /jobs\[0\]\.compare\.duration: /);
        assert.match(text, /jobs\[0\]\.compare\.fail: must be a non-empty string/);
        assert.match(text, /jobs\[0\]\.compare\.tables\[0\]\.source: must be a row count/);
        assert.match(text, /jobs\[0\]\.compare\.tables\[0\]\.rows: unknown field/);
        assert.match(text, /jobs\[0\]\.compare\.tables\[1\]\.table: is required/);
        assert.match(text, /jobs\[0\]\.compare\.tables\[1\]\.source: must be a row count/);
        return true;
      },
    );
  });

  it("the admin API changes a job's tables for the next comparison, and names a bad field", async () => {
    const put = (body: unknown) =>
      fetch(`${sim.url}/_sim/jobs/${JOB}/compare`, {
        method: "PUT",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    const bad = await put({ tables: [{ db: "shop", table: "orders", source: 1, target: "2" }] });
    assert.equal(bad.status, 400);
    assert.match(
      ((await bad.json()) as { error_msg: string }).error_msg,
      /compare\.tables\[0\]\.target: must be a row count/,
    );
    const good = await put({
      duration: "2s",
      tables: [{ db: "shop", table: "orders", source: 1, target: 2 }],
    });
    assert.equal(good.status, 200);
    assert.deepEqual(((await good.json()) as { tables: unknown }).tables, [
      { db: "shop", table: "orders", source: 1, target: 2 },
    ]);
    const id = await client.createComparison(JOB, "lines");
    sim.advanceClock("2s");
    const [table] = await client.comparisonDetail(JOB, id, "lines", "shop");
    assert.deepEqual([table.sourceRows, table.targetRows, table.state], [1, 2, "inconsistent"]);
    const unknown = await fetch(`${sim.url}/_sim/jobs/nope/compare`, {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: "{}",
    });
    assert.equal(unknown.status, 404);
  });
});
