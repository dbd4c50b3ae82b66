import { strict as assert } from "node:assert";
import { startSimulator, type Simulator } from "../../src/sim";
import { EXAMPLE_JOBS, JOB_A, JOB_B, PROJECT_ID, adminCall, batchStatus } from "./helpers";

describe("sim: admin API (/_sim/) and clock", () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({
      scenario: { projectId: PROJECT_ID, auth: { token: "demo-token" }, jobs: EXAMPLE_JOBS },
    });
  });
  afterEach(() => sim.stop());
  const query = (jobs: string[], lang = "en-us") =>
    batchStatus(sim, { jobs }, { "X-Auth-Token": "demo-token", "X-Language": lang });

  it("GET state summarises the simulator, without secrets", async () => {
    const answer = await adminCall(sim, "GET", "state");
    assert.equal(answer.status, 200);
    assert.equal(answer.json.projectId, PROJECT_ID);
    assert.equal(answer.json.jobs, 2);
    assert.deepEqual(answer.json.auth, ["token"]);
    assert.ok(!answer.text.includes("demo-token"));
  });

  it("the clock: GET, advance, refuses a bad duration; timelines follow it", async () => {
    const before = (await adminCall(sim, "GET", "clock")).json;
    assert.equal(before.advancedMs, 0);
    const after = await adminCall(sim, "POST", "clock", { advance: "30s" });
    assert.equal(after.status, 200);
    assert.equal(after.json.advancedMs, 30_000);
    assert.ok(Date.parse(after.json.now) - Date.parse(before.now) >= 30_000);
    assert.equal((await query([JOB_A])).json.results[0].status, "INCRE_TRANSFER_STARTED");
    const bad = await adminCall(sim, "POST", "clock", { advance: "soon" });
    assert.equal(bad.status, 400);
    assert.match(bad.json.error_msg, /^advance: /);
    assert.equal((await adminCall(sim, "POST", "clock", {})).status, 400);
    assert.equal(sim.clock().advancedMs, 30_000);
  });

  it("refuses an advance that would leave the clock outside a valid date, before applying it", async () => {
    await adminCall(sim, "POST", "clock", { advance: "1h" });
    const huge = await adminCall(sim, "POST", "clock", { advance: "999999999999h" });
    assert.equal(huge.status, 400);
    assert.match(huge.json.error_msg, /^advance: .*valid date/);
    assert.equal(sim.clock().advancedMs, 3_600_000, "nothing was applied");
    // Still serving: the next request answers as before the refused one.
    assert.equal((await adminCall(sim, "GET", "clock")).status, 200);
    assert.equal((await query([JOB_A])).status, 200);
    assert.throws(() => sim.advanceClock(`${Number.MAX_SAFE_INTEGER}s`), /valid date/);
    assert.equal(sim.clock().advancedMs, 3_600_000);
  });

  it("sets a job's status now, with an error code, and drops the rest of its script", async () => {
    const set = await adminCall(sim, "PUT", `jobs/${JOB_A}/status`, {
      status: "FULL_TRANSFER_FAILED",
      errorCode: "DRS.M00004",
    });
    assert.equal(set.status, 200);
    assert.deepEqual(set.json.current, {
      id: JOB_A,
      status: "FULL_TRANSFER_FAILED",
      error_code: "DRS.M00004",
      error_message: "Service abnormal.",
    });
    sim.advanceClock("1h");
    const [result] = (await query([JOB_A], "zh-cn")).json.results;
    assert.deepEqual(result, {
      id: JOB_A,
      status: "FULL_TRANSFER_FAILED",
      error_code: "DRS.M00004",
      error_message: "服务异常。",
    });
    const bad = await adminCall(sim, "PUT", `jobs/${JOB_A}/status`, { errorMessage: "x" });
    assert.equal(bad.status, 400);
  });

  it("setJobStatus creates an unknown job; a bare error code reports a deleted job", async () => {
    sim.setJobStatus("new-job", "CREATING");
    sim.setJobStatus(JOB_B, { errorCode: "DRS.M05004" });
    const { results } = (await query(["new-job", JOB_B])).json;
    assert.deepEqual(results, [
      { id: "new-job", status: "CREATING" },
      { id: JOB_B, error_code: "DRS.M05004", error_message: "The job has been deleted." },
    ]);
  });

  it("adds jobs (one or many, all or nothing), reads and removes them", async () => {
    const one = await adminCall(sim, "POST", "jobs", {
      id: "job-c",
      timeline: [
        { at: 0, status: "CREATING" },
        { at: "5m", status: "FULL_TRANSFER_STARTED" },
      ],
    });
    assert.equal(one.status, 201);
    const many = await adminCall(sim, "POST", "jobs", {
      jobs: [
        { id: "job-d", status: "CONFIGURATION" },
        { id: "job-e", status: "PAUSING" },
      ],
    });
    assert.equal(many.json.jobs.length, 2);
    assert.equal((await adminCall(sim, "POST", "jobs", { id: "job-c", status: "X" })).status, 409);
    const invalid = await adminCall(sim, "POST", "jobs", {
      jobs: [{ id: "job-f", status: "A" }, { id: "" }],
    });
    assert.equal(invalid.status, 400);
    assert.match(invalid.json.error_msg, /jobs\[1\]\.id/);
    assert.equal((await adminCall(sim, "GET", "jobs/job-f")).status, 404);

    const view = await adminCall(sim, "GET", "jobs/job-c");
    assert.equal(view.json.current.status, "CREATING");
    assert.equal(view.json.timeline[1].atMs, 300_000);
    assert.deepEqual((await adminCall(sim, "DELETE", "jobs/job-c")).json, { removed: true });
    assert.equal((await query(["job-c"])).json.results[0].error_code, "DRS.M00289");
  });

  it("counts requests by kind, path and status, and resets", async () => {
    await query([JOB_A]);
    await query([]);
    await batchStatus(sim, { jobs: [JOB_A] });
    await adminCall(sim, "GET", "state");
    const counters = (await adminCall(sim, "GET", "counters")).json;
    assert.deepEqual(counters, {
      total: 3,
      byKind: { "batch-status": 3 },
      byPath: { [`/v3/${PROJECT_ID}/jobs/batch-status`]: 3 },
      byStatus: { "200": 1, "400": 1, "401": 1 },
    });
    assert.deepEqual(sim.counters(), counters);
    const reset = await adminCall(sim, "DELETE", "counters");
    assert.equal(reset.json.total, 0);
  });

  it("logs requests with job count, page_req and auth mode, secrets redacted", async () => {
    await batchStatus(
      sim,
      { jobs: [JOB_A, JOB_B], page_req: { cur_page: 1, per_page: 1 } },
      { "X-Auth-Token": "demo-token" },
    );
    const { requests } = (await adminCall(sim, "GET", "requests?limit=1")).json;
    assert.equal(requests.length, 1);
    const [entry] = requests;
    assert.equal(entry.method, "POST");
    assert.equal(entry.status, 200);
    assert.equal(entry.jobCount, 2);
    assert.deepEqual(entry.pageReq, { cur_page: 1, per_page: 1 });
    assert.equal(entry.authMode, "token");
    assert.match(entry.requestId, /^[0-9a-f]{32}$/);
    assert.ok(!JSON.stringify(requests).includes("demo-token"));
    assert.equal(entry.headers["content-type"], "application/json");
    assert.equal(entry.headers["x-auth-token"], "***");
    assert.equal((await adminCall(sim, "GET", "requests?limit=x")).status, 400);
    await adminCall(sim, "DELETE", "requests");
    assert.deepEqual(sim.requestLog(), []);
  });

  it("logs an allowlist of headers: credentials as *** only, anything else not at all", async () => {
    await batchStatus(
      sim,
      { jobs: [JOB_A] },
      {
        "User-Agent": `probe/1.0 ${"u".repeat(300)}`,
        "X-Language": "zh-cn",
        "X-Project-Id": PROJECT_ID,
        "X-Security-Token": "security-token-value",
        Authorization: "Bearer authorization-value",
        "X-Debug-Password": "debug-password-value",
        Cookie: "session=cookie-value",
      },
    );
    const [entry] = sim.requestLog();
    const headers = entry.headers ?? {};
    assert.deepEqual(Object.keys(headers).sort(), [
      "authorization",
      "content-type",
      "host",
      "user-agent",
      "x-language",
      "x-project-id",
      "x-security-token",
    ]);
    assert.equal(headers["x-language"], "zh-cn");
    assert.equal(headers["x-project-id"], PROJECT_ID);
    assert.equal(headers.host, `${sim.host}:${sim.port}`);
    assert.equal(headers["user-agent"].length, 200);
    assert.equal(headers.authorization, "***");
    assert.equal(headers["x-security-token"], "***");
    assert.ok(!/-value/.test(JSON.stringify(sim.requestLog())));
  });

  it("answers unknown admin paths 404 and wrong methods 405, in JSON", async () => {
    const missing = await adminCall(sim, "GET", "nope");
    assert.equal(missing.status, 404);
    assert.equal(missing.json.error_code, "SIM.0404");
    const wrong = await adminCall(sim, "PATCH", "clock");
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get("allow"), "GET, POST");
    const badJson = await fetch(`${sim.url}/_sim/clock`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{",
    });
    assert.equal(badJson.status, 400);
  });

  it("mirrors every control as a method", async () => {
    sim.addJob({ id: "m1", status: "CREATING" });
    assert.equal(sim.job("m1").current.status, "CREATING");
    assert.equal(sim.removeJob("m1"), true);
    assert.throws(() => sim.job("m1"), /does not exist/);
    const fault = sim.addFault({ status: 429, times: 1 });
    assert.deepEqual(
      sim.faults().map((f) => f.id),
      [fault.id],
    );
    assert.equal(sim.clearFaults(fault.id), 1);
    assert.throws(() => sim.advanceClock("-1s"), /advance/);
    const { advanceClock } = sim;
    assert.equal(advanceClock("1s").advancedMs, 1000);
    sim.resetCounters();
    sim.clearRequestLog();
    assert.equal(sim.revokeTokens(), 0);
    assert.equal(sim.summary().jobs, 2);
  });
});
