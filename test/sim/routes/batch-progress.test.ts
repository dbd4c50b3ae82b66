import { strict as assert } from "node:assert";
import {
  parseScenario,
  ScenarioError,
  startSimulator,
  type ScenarioInput,
  type Simulator,
} from "../../../src/sim";
import { adminCall, batchStatus, call, JOB_A, JOB_B, PROJECT_ID, type Answer } from "../helpers";

const TOKEN = "progress-token";
const UNKNOWN = "00000000-0000-4000-8000-00000000dead";

/** JOB_A: a full migration at 40 % that turns incremental at 20 s, 60 s behind, 2 s at 24 s. */
const LAGGING: ScenarioInput = {
  projectId: PROJECT_ID,
  auth: { token: TOKEN },
  jobs: [
    {
      id: JOB_A,
      timeline: [
        { at: "0s", status: "FULL_TRANSFER_STARTED", progress: 40 },
        { at: "20s", status: "INCRE_TRANSFER_STARTED", lag: "60s" },
        { at: "24s", status: "INCRE_TRANSFER_STARTED", lag: "2s" },
      ],
    },
    { id: JOB_B, taskMode: "FULL_TRANS", status: "FULL_TRANSFER_COMPLETE" },
  ],
};

describe("sim: POST /v3/{project_id}/jobs/batch-progress", () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({ scenario: LAGGING });
  });
  afterEach(() => sim.stop());

  const progress = (
    body: unknown,
    headers: Record<string, string> = { "X-Auth-Token": TOKEN },
  ): Promise<Answer> =>
    call(sim.batchProgressUrl, {
      headers: { "Content-Type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  const resultFor = async (id: string) => (await progress({ jobs: [id] })).json.results[0];

  it("reports a full migration's percent and time left as strings, and no lag", async () => {
    const answer = await progress({ jobs: [JOB_A] });
    assert.equal(answer.status, 200);
    assert.equal(answer.json.count, 1);
    const result = answer.json.results[0];
    assert.equal(result.job_id, JOB_A);
    assert.equal(result.progress, "40");
    assert.equal(result.transfer_status, "FULL_TRANSFER_STARTED");
    assert.equal(result.task_mode, "FULL_INCR_TRANS");
    // The status changes at 20 s: that is the time left the script knows of.
    assert.equal(result.remaining_time, "20");
    assert.deepEqual(result.progress_map.data, { completed: "40%", remaining_time: "20" });
    assert.equal(result.incre_trans_delay, undefined);
    assert.equal(result.incre_trans_delay_millis, undefined);
    assert.equal(result.apply_rows_rate, -1);
    assert.match(result.process_time, /^\d{13}$/);
    assert.equal(result.error_code, undefined);
  });

  it("estimates the time left of a full migration with no scripted end from its rate", async () => {
    sim.addJobs([
      { id: "open-25", timeline: [{ at: "0s", status: "FULL_TRANSFER_STARTED", progress: 25 }] },
      { id: "open-0", status: "FULL_TRANSFER_STARTED" },
    ]);
    sim.advanceClock("1000s");
    const before = sim.clock().elapsedMs;
    const [running, starting] = (await progress({ jobs: ["open-25", "open-0"] })).json.results;
    const after = sim.clock().elapsedMs;
    // 25 % in the time since it started (on the simulator's clock): 75 % more at that rate.
    const remaining = Number(running.remaining_time);
    assert.ok(
      remaining >= Math.floor((75 * before) / 25 / 1000) &&
        remaining <= Math.ceil((75 * after) / 25 / 1000) + 1,
      `${remaining} s for ${before}..${after} ms`,
    );
    assert.equal(running.progress_map.data.remaining_time, running.remaining_time);
    // No progress yet, no rate: 1 % a minute.
    assert.equal(starting.progress, "0");
    assert.equal(starting.remaining_time, "6000");
  });

  it("follows the timeline's lag in seconds and milliseconds", async () => {
    sim.advanceClock("20s");
    const lagging = await resultFor(JOB_A);
    assert.equal(lagging.transfer_status, "INCRE_TRANSFER_STARTED");
    assert.equal(lagging.progress, "100");
    assert.equal(lagging.incre_trans_delay, "60");
    assert.equal(lagging.incre_trans_delay_millis, "60000");
    assert.equal(lagging.remaining_time, "0");
    assert.equal(lagging.apply_rows_rate, 0);
    sim.advanceClock("4s");
    const caughtUp = await resultFor(JOB_A);
    assert.equal(caughtUp.incre_trans_delay, "2");
    assert.equal(caughtUp.incre_trans_delay_millis, "2000");
  });

  it("gives a full-only job its task mode and no lag", async () => {
    const result = await resultFor(JOB_B);
    assert.equal(result.task_mode, "FULL_TRANS");
    assert.equal(result.transfer_status, "FULL_TRANSFER_COMPLETE");
    assert.equal(result.progress, "100");
    assert.equal(result.incre_trans_delay, undefined);
  });

  it("answers every id in the order asked, unknown ones with a per-job error", async () => {
    const answer = await progress({ jobs: [JOB_B, UNKNOWN, JOB_A] });
    assert.equal(answer.status, 200);
    assert.deepEqual(
      answer.json.results.map((r: { job_id: string }) => r.job_id),
      [JOB_B, UNKNOWN, JOB_A],
    );
    assert.deepEqual(answer.json.results[1], {
      job_id: UNKNOWN,
      error_code: "DRS.M00289",
      error_msg: "The job does not exist.",
    });
    const zh = await progress(
      { jobs: [UNKNOWN] },
      { "X-Auth-Token": TOKEN, "X-Language": "zh-cn" },
    );
    assert.equal(zh.json.results[0].error_msg, "任务不存在。");
  });

  it("validates the request like batch-status", async () => {
    const cases: [unknown, number, string, RegExp?][] = [
      [{}, 400, "DRS.M00201", /jobs/],
      [{ jobs: null }, 400, "DRS.M00201"],
      [{ jobs: [] }, 400, "DRS.M00201"],
      [{ jobs: JOB_A }, 400, "DRS.M00202", /jobs/],
      [{ jobs: [JOB_A, 7] }, 400, "DRS.M00202", /jobs\[1\]/],
      [{ jobs: [" "] }, 400, "DRS.M00202", /jobs\[0\]/],
      ["[1", 400, "DRS.M00007"],
      [[JOB_A], 400, "DRS.M00007"],
    ];
    for (const [body, status, code, message] of cases) {
      const answer = await progress(body);
      assert.equal(answer.status, status, JSON.stringify(body));
      assert.equal(answer.json.error_code, code, JSON.stringify(body));
      if (message) assert.match(answer.json.error_msg, message);
    }
    const text = await call(sim.batchProgressUrl, {
      headers: { "Content-Type": "text/plain", "X-Auth-Token": TOKEN },
      body: JSON.stringify({ jobs: [JOB_A] }),
    });
    assert.equal(text.status, 415);
    const get = await call(sim.batchProgressUrl, { method: "GET" });
    assert.equal(get.status, 405);
    assert.equal(get.headers.get("allow"), "POST");
    const other = await call(`${sim.url}/v3/other-project/jobs/batch-progress`, {
      headers: { "Content-Type": "application/json", "X-Auth-Token": TOKEN },
      body: JSON.stringify({ jobs: [JOB_A] }),
    });
    assert.equal(other.json.error_code, "DRS.M00261");
  });

  it("authenticates like batch-status", async () => {
    const none = await progress({ jobs: [JOB_A] }, {});
    assert.equal(none.status, 401);
    assert.equal(none.json.error_code, "APIG.0301");
    const wrong = await progress({ jobs: [JOB_A] }, { "X-Auth-Token": "nope" });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.json.error_code, "APIG.1002");
    const log = sim.requestLog();
    assert.deepEqual(
      log.map((e) => [e.kind, e.authMode, e.status]),
      [
        ["batch-progress", "missing", 401],
        ["batch-progress", "invalid", 401],
      ],
    );
  });

  it("answers more than 100 ids at once and counts batch-progress apart from batch-status", async () => {
    const ids = Array.from({ length: 150 }, (_, i) => `${JOB_A.slice(0, -4)}${1000 + i}`);
    const answer = await progress({ jobs: ids });
    assert.equal(answer.json.count, 150);
    await batchStatus(sim, { jobs: [JOB_A] }, { "X-Auth-Token": TOKEN });
    const counters = sim.counters();
    assert.equal(counters.byKind["batch-progress"], 1);
    assert.equal(counters.byKind["batch-status"], 1);
    const [first] = sim.requestLog();
    assert.equal(first.kind, "batch-progress");
    assert.equal(first.jobCount, 150);
  });

  it("admin: sets a job's lag and progress, keeping its status when none is given", async () => {
    sim.advanceClock("20s");
    const set = await adminCall(sim, "PUT", `jobs/${JOB_A}/status`, { lag: "3s" });
    assert.equal(set.status, 200);
    assert.equal(set.json.current.status, "INCRE_TRANSFER_STARTED");
    assert.equal(set.json.progress.incre_trans_delay_millis, "3000");
    assert.equal((await resultFor(JOB_A)).incre_trans_delay_millis, "3000");
    // The script ended there: the drop to 2 s at 24 s no longer happens.
    sim.advanceClock("10s");
    assert.equal((await resultFor(JOB_A)).incre_trans_delay_millis, "3000");

    const full = sim.setJobStatus(JOB_B, { status: "FULL_TRANSFER_STARTED", progress: 67 });
    assert.equal(full.progress.progress, "67");
    assert.equal(full.taskMode, "FULL_TRANS");
    assert.equal((await resultFor(JOB_B)).progress, "67");

    const bad = await adminCall(sim, "PUT", `jobs/${JOB_A}/status`, { progress: 101, lag: "soon" });
    assert.equal(bad.status, 400);
    assert.match(bad.json.error_msg, /body\.progress: must be a percentage/);
    assert.match(bad.json.error_msg, /body\.lag: cannot read "soon"/);
  });

  it("faults can target batch-progress alone by route", async () => {
    sim.addFaults([
      { route: "batch-progress", status: 503, times: 1 },
      { route: "batch-progress", data: "missing", times: 1 },
    ]);
    const status = await batchStatus(sim, { jobs: [JOB_A] }, { "X-Auth-Token": TOKEN });
    assert.equal(status.status, 200);
    const failed = await progress({ jobs: [JOB_A, JOB_B] });
    assert.equal(failed.status, 503);
    const short = await progress({ jobs: [JOB_A, JOB_B] });
    assert.equal(short.status, 200);
    assert.deepEqual(
      short.json.results.map((r: { job_id: string }) => r.job_id),
      [JOB_A],
    );
    assert.equal(short.json.count, 1);
    assert.deepEqual(sim.faults(), []);
    assert.deepEqual(
      sim.requestLog().map((e) => [e.kind, e.status, e.fault?.replace(/^f\d+:/, "")]),
      [
        ["batch-status", 200, undefined],
        ["batch-progress", 503, "status"],
        ["batch-progress", 200, "data:missing"],
      ],
    );
  });

  it("a scenario names bad progress, lag, task mode and fault route by their path", () => {
    try {
      parseScenario({
        jobs: [
          {
            id: JOB_A,
            taskMode: "SOMETIMES",
            timeline: [{ at: "0s", status: "FULL_TRANSFER_STARTED", progress: -1, lag: "later" }],
          },
        ],
        faults: [{ status: 500, route: "batch-everything" }],
      });
      assert.fail("expected a ScenarioError");
    } catch (err) {
      assert.ok(err instanceof ScenarioError, String(err));
      const text = err.issues.join("\n");
      assert.match(text, /jobs\[0\]\.taskMode: must be one of FULL_TRANS, INCR_TRANS/);
      assert.match(text, /jobs\[0\]\.timeline\[0\]\.progress: must be a percentage/);
      assert.match(text, /jobs\[0\]\.timeline\[0\]\.lag: cannot read "later"/);
      assert.match(text, /faults\[0\]\.route: must be one of batch-status, batch-progress/);
    }
  });
});
