import { strict as assert } from "node:assert";
import { request as httpRequest } from "node:http";
import { startSimulator, type Simulator } from "../../src/sim";
import { JOB_A, JOB_B, PROJECT_ID, adminCall, batchStatus, call } from "./helpers";

const JOBS = [
  { id: JOB_A, status: "INCRE_TRANSFER_STARTED" },
  { id: JOB_B, status: "FULL_TRANSFER_STARTED" },
];
const BOTH = { jobs: [JOB_A, JOB_B] };

/** What a client sees at the transport level: a status and body, or a socket error. */
function rawOutcome(
  url: string,
  timeoutMs = 2000,
): Promise<{ status?: number; body?: string; error?: string }> {
  return new Promise((resolve) => {
    const req = httpRequest(
      url,
      { method: "POST", headers: { "Content-Type": "application/json" }, agent: false },
      (res) => {
        let body = "";
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode, body }));
        res.on("error", (err) => resolve({ status: res.statusCode, body, error: err.message }));
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error("client timeout")));
    req.on("error", (err) => resolve({ error: err.message }));
    req.end(JSON.stringify(BOTH));
  });
}

describe("sim: fault injection", () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({ scenario: { projectId: PROJECT_ID, jobs: JOBS } });
  });
  afterEach(() => sim.stop());

  it("status 429 with Retry-After, `times` times, then normal answers (scenario file form)", async () => {
    const faulty = await startSimulator({
      scenario: { jobs: JOBS, faults: [{ status: 429, times: 2, retryAfter: "1" }] },
    });
    try {
      for (let i = 0; i < 2; i++) {
        const answer = await batchStatus(faulty, BOTH);
        assert.equal(answer.status, 429);
        assert.equal(answer.headers.get("retry-after"), "1");
        assert.equal(answer.json.error_code, "APIG.0308");
        assert.ok(answer.headers.get("x-request-id"));
      }
      assert.equal((await batchStatus(faulty, BOTH)).status, 200);
      assert.deepEqual(faulty.faults(), []);
      assert.deepEqual(
        faulty.requestLog().map((e) => e.fault),
        ["f1:status", "f1:status", undefined],
      );
    } finally {
      await faulty.stop();
    }
  });

  it("status with a custom code and message; 5xx defaults to a DRS/APIG body", async () => {
    sim.addFault({ status: 500, times: 1, errorCode: "DRS.M00004", errorMessage: "boom" });
    sim.addFault({ status: 503, times: 1 });
    const first = await batchStatus(sim, BOTH);
    assert.deepEqual(
      [first.status, first.json],
      [500, { error_code: "DRS.M00004", error_msg: "boom" }],
    );
    const second = await batchStatus(sim, BOTH, { "X-Language": "zh-cn" });
    assert.deepEqual(
      [second.status, second.json],
      [503, { error_code: "APIG.0202", error_msg: "后端不可用。" }],
    );
  });

  it("status with html: the HTML page a load balancer sends, default or given", async () => {
    sim.addFault({ status: 502, html: true, times: 1 });
    sim.addFault({ status: 504, html: "<html>gateway timeout</html>", retryAfter: 2, times: 1 });
    const page = await batchStatus(sim, BOTH);
    assert.equal(page.status, 502);
    assert.equal(page.headers.get("content-type"), "text/html");
    assert.match(page.text, /^<html>[^]*<title>502 Bad Gateway<\/title>[^]*<\/html>\r\n$/);
    assert.ok(page.headers.get("x-request-id"));
    const given = await batchStatus(sim, BOTH);
    assert.deepEqual(
      [given.status, given.text, given.headers.get("retry-after")],
      [504, "<html>gateway timeout</html>", "2"],
    );
    assert.equal((await batchStatus(sim, BOTH)).status, 200);
    assert.deepEqual(
      sim.requestLog().map((e) => [e.status, e.fault, e.errorCode]),
      [
        [502, "f1:status", undefined],
        [504, "f2:status", undefined],
        [200, undefined, undefined],
      ],
    );
    assert.throws(() => sim.addFault({ html: true }), /html: goes with a status/);
    assert.throws(
      () => sim.addFault({ status: 502, html: true, errorCode: "X" }),
      /html: replaces the JSON body/,
    );
    assert.throws(() => sim.addFault({ status: 502, html: "" as never }), /html: must be true/);
  });

  it("delay adds latency, alone or before another effect", async () => {
    sim.addFault({ delay: "300ms", times: 1 });
    let started = Date.now();
    assert.equal((await batchStatus(sim, BOTH)).status, 200);
    assert.ok(Date.now() - started >= 290, `took ${Date.now() - started}ms`);
    sim.addFault({ delay: "200ms", status: 502, times: 1 });
    started = Date.now();
    assert.equal((await batchStatus(sim, BOTH)).status, 502);
    assert.ok(Date.now() - started >= 190);
    // Both were used up: the next request carries no fault.
    assert.equal((await batchStatus(sim, BOTH)).status, 200);
    assert.equal(sim.requestLog().at(-1)!.fault, undefined);
    assert.deepEqual(sim.faults(), []);
  });

  it("drop destroys the connection without an answer; the server keeps serving", async () => {
    sim.addFault({ drop: true, times: 1 });
    const outcome = await rawOutcome(sim.batchStatusUrl);
    assert.equal(outcome.status, undefined);
    assert.match(outcome.error ?? "", /socket hang up|ECONNRESET/);
    assert.equal((await batchStatus(sim, BOTH)).status, 200);
    sim.addFault({ drop: true, times: 1 });
    await assert.rejects(batchStatus(sim, BOTH), /fetch failed/);
    assert.equal((await batchStatus(sim, BOTH)).status, 200);
    assert.equal(sim.requestLog().filter((e) => e.status === 0).length, 2);
  });

  it("hang accepts and never answers until the client gives up; stop() still returns", async () => {
    sim.addFault({ hang: true, times: 1 });
    const outcome = await rawOutcome(sim.batchStatusUrl, 400);
    assert.equal(outcome.error, "client timeout");
    assert.equal((await batchStatus(sim, BOTH)).status, 200);
    sim.addFault({ hang: true });
    const pending = rawOutcome(sim.batchStatusUrl, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await sim.stop();
    assert.ok((await pending).error);
  });

  it("body malformed: 200 with JSON that does not parse", async () => {
    sim.addFault({ body: "malformed", times: 1 });
    const answer = await batchStatus(sim, BOTH);
    assert.equal(answer.status, 200);
    assert.equal(answer.json, undefined);
    assert.throws(() => JSON.parse(answer.text));
  });

  it("body truncated: Content-Length promises more than arrives, then the socket closes", async () => {
    sim.addFault({ body: "truncated", times: 1 });
    const outcome = await rawOutcome(sim.batchStatusUrl);
    assert.equal(outcome.status, 200);
    assert.ok(outcome.error, "the client should see an aborted body");
    assert.ok((outcome.body ?? "").startsWith('{"results":['));
    assert.equal((await batchStatus(sim, BOTH)).status, 200);
  });

  it("body empty: 200 with nothing", async () => {
    sim.addFault({ body: "empty", times: 1 });
    const answer = await batchStatus(sim, BOTH);
    assert.deepEqual([answer.status, answer.text], [200, ""]);
  });

  describe("data faults on a successful answer", () => {
    it("missing: a requested job is absent, count agrees with results", async () => {
      sim.addFault({ data: "missing", times: 1 });
      const answer = await batchStatus(sim, BOTH);
      assert.deepEqual(answer.json, {
        results: [{ id: JOB_A, status: "INCRE_TRANSFER_STARTED" }],
        count: 1,
      });
    });
    it("duplicate: a result appears twice", async () => {
      sim.addFault({ data: "duplicate", times: 1 });
      const answer = await batchStatus(sim, BOTH);
      assert.deepEqual(
        answer.json.results.map((r: { id: string }) => r.id),
        [JOB_A, JOB_B, JOB_A],
      );
      assert.equal(answer.json.count, 3);
    });
    it("count-mismatch: count disagrees with results", async () => {
      sim.addFault({ data: "count-mismatch", times: 1 });
      const answer = await batchStatus(sim, BOTH);
      assert.equal(answer.json.results.length, 2);
      assert.equal(answer.json.count, 3);
    });
    it("count-mismatch with count: the count to report", async () => {
      sim.addFault({ data: "count-mismatch", count: 0, times: 1 });
      const answer = await batchStatus(sim, BOTH);
      assert.deepEqual([answer.json.results.length, answer.json.count], [2, 0]);
      assert.throws(() => sim.addFault({ data: "missing", count: 1 }), /count: goes with data/);
      assert.throws(
        () => sim.addFault({ data: "count-mismatch", count: -1 }),
        /count: must be an integer >= 0/,
      );
    });
    it("unknown-status: a status string not in any list", async () => {
      sim.addFault({ data: "unknown-status", unknownStatus: "QUANTUM_TRANSFER", times: 1 });
      sim.addFault({ data: "unknown-status", times: 1 });
      assert.equal((await batchStatus(sim, BOTH)).json.results[0].status, "QUANTUM_TRANSFER");
      assert.equal((await batchStatus(sim, BOTH)).json.results[0].status, "SIM_UNKNOWN_STATUS");
      assert.equal((await batchStatus(sim, BOTH)).json.results[0].status, "INCRE_TRANSFER_STARTED");
    });
    it("do not fire on error answers (a 400 does not use one up)", async () => {
      sim.addFault({ data: "missing", times: 1 });
      assert.equal((await batchStatus(sim, { jobs: [] })).status, 400);
      assert.equal((await batchStatus(sim, BOTH)).json.count, 1);
    });
  });

  it("a from/until window on the simulator clock", async () => {
    sim.addFault({ status: 503, from: "10s", until: "20s" });
    assert.equal((await batchStatus(sim, BOTH)).status, 200);
    sim.advanceClock("10s");
    assert.equal((await batchStatus(sim, BOTH)).status, 503);
    assert.equal((await batchStatus(sim, BOTH)).status, 503);
    sim.advanceClock("10s");
    assert.equal((await batchStatus(sim, BOTH)).status, 200);
  });

  it("only the given path (exact or prefix*), never IAM or /_sim/ by default", async () => {
    sim.addFault({ status: 500, path: "/v3/other/jobs/batch-status" });
    assert.equal((await batchStatus(sim, BOTH)).status, 200);
    sim.clearFaults();
    sim.addFault({ status: 500, path: "/v3/*" });
    assert.equal((await batchStatus(sim, BOTH)).status, 500);
    sim.clearFaults();
    sim.addFault({ status: 500 });
    assert.equal((await call(`${sim.url}/v3/auth/tokens`, { body: "{}" })).status, 404);
    assert.equal((await adminCall(sim, "GET", "clock")).status, 200);
    sim.clearFaults();
    sim.addFault({ status: 500, path: "/v3/auth/tokens", times: 1 });
    assert.equal((await call(`${sim.url}/v3/auth/tokens`, { body: "{}" })).status, 500);
  });

  it("the first matching fault wins, in the order added", async () => {
    const [first, second] = sim.addFaults([
      { status: 429, times: 1 },
      { status: 503, times: 1 },
    ]);
    assert.deepEqual([first.id, second.id], ["f1", "f2"]);
    assert.equal((await batchStatus(sim, BOTH)).status, 429);
    assert.equal((await batchStatus(sim, BOTH)).status, 503);
  });

  it("admin API: add, list, clear one, clear all", async () => {
    const added = await adminCall(sim, "POST", "faults", {
      faults: [{ status: 429, retryAfter: 2 }, { delay: "1s" }],
    });
    assert.equal(added.status, 201);
    assert.deepEqual(
      added.json.faults.map((f: { id: string; effect: string }) => [f.id, f.effect]),
      [
        ["f1", "status"],
        ["f2", "delay"],
      ],
    );
    assert.equal((await batchStatus(sim, BOTH)).headers.get("retry-after"), "2");
    assert.deepEqual((await adminCall(sim, "DELETE", "faults/f1")).json, { removed: 1 });
    assert.equal((await adminCall(sim, "GET", "faults")).json.faults.length, 1);
    assert.deepEqual((await adminCall(sim, "DELETE", "faults")).json, { removed: 1 });
    const single = await adminCall(sim, "POST", "faults", { body: "empty", times: 1 });
    assert.equal(single.json.faults[0].body, "empty");
    const bad = await adminCall(sim, "POST", "faults", { status: 200 });
    assert.equal(bad.status, 400);
    assert.match(bad.json.error_msg, /faults\[0\]\.status/);
  });
});
