// Huawei's official Python DRS SDK (huaweicloudsdkdrs, pinned in test/support/python-sdk.ts)
// reads the simulator's answers: if the simulator drifted from the real field names or
// types, the SDK's models would fail or come back empty here.
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { startSimulator, type Simulator } from "../../src/sim";
import { SDK_PACKAGES, SDK_TEST_KEYS, sdkEnv, sdkPythonOrSkip } from "../support/python-sdk";
import { JOB_A, JOB_B, PROJECT_ID } from "./helpers";

const run = promisify(execFile);
const UNKNOWN = "00000000-0000-4000-8000-00000000dead";
const OPEN_ENDED = "00000000-0000-4000-8000-0000000open1";
const SCRIPT = join(__dirname, "python-sdk", "read_answers.py");

describe(`sim: read by the official Python SDK (huaweicloudsdkdrs ${SDK_PACKAGES.huaweicloudsdkdrs})`, function () {
  let python: string;
  let sim: Simulator;

  before(async function () {
    python = await sdkPythonOrSkip(this);
  });

  beforeEach(async () => {
    sim = await startSimulator({
      scenario: {
        projectId: PROJECT_ID,
        auth: SDK_TEST_KEYS,
        jobs: [
          {
            id: JOB_A,
            timeline: [
              { at: "0s", status: "FULL_TRANSFER_STARTED", progress: 67 },
              { at: "12m", status: "FULL_TRANSFER_COMPLETE" },
            ],
          },
          { id: JOB_B, timeline: [{ at: "0s", status: "INCRE_TRANSFER_STARTED", lag: "42s" }] },
          // No scripted end: the time left is estimated, as the service reports one.
          { id: OPEN_ENDED, status: "FULL_TRANSFER_STARTED" },
        ],
      },
    });
  });
  afterEach(() => sim.stop());

  it("parses batch-progress and batch-status answers, signed with AK/SK over plain http", async function () {
    this.timeout(60_000);
    const { stdout } = await run(python, [SCRIPT], {
      env: {
        ...sdkEnv(),
        DRS_ENDPOINT: sim.url,
        DRS_PROJECT_ID: PROJECT_ID,
        DRS_AK: SDK_TEST_KEYS.accessKey,
        DRS_SK: SDK_TEST_KEYS.secretKey,
        DRS_JOBS: JSON.stringify([JOB_A, JOB_B, UNKNOWN, OPEN_ENDED]),
      },
    });
    const parsed = JSON.parse(stdout);

    assert.equal(parsed.progress_status, 200);
    const { count, results } = parsed.progress;
    assert.equal(count, 4);
    const [full, incremental, unknown, openEnded] = results;
    assert.equal(full.job_id, JOB_A);
    assert.equal(full.progress, "67");
    assert.equal(full.transfer_status, "FULL_TRANSFER_STARTED");
    assert.equal(full.task_mode, "FULL_INCR_TRANS");
    assert.match(full.remaining_time, /^7[12]\d$/);
    assert.equal(full.incre_trans_delay_millis, null);
    assert.equal(full.progress_map.data.completed, "67%");
    assert.equal(full.apply_rows_rate, -1);
    assert.equal(incremental.job_id, JOB_B);
    assert.equal(incremental.transfer_status, "INCRE_TRANSFER_STARTED");
    assert.equal(incremental.incre_trans_delay, "42");
    assert.equal(incremental.incre_trans_delay_millis, "42000");
    assert.equal(unknown.job_id, UNKNOWN);
    assert.equal(unknown.error_code, "DRS.M00289");
    assert.equal(unknown.error_msg, "The job does not exist.");
    assert.equal(openEnded.transfer_status, "FULL_TRANSFER_STARTED");
    assert.equal(openEnded.remaining_time, "6000");
    // Deserialized into the SDK's own classes, the map's entries included.
    assert.deepEqual(parsed.types, [
      { result: true, progress_map: ["data", "index", "structure"], apply_rows_rate: "int" },
      { result: true, progress_map: ["data", "index", "structure"], apply_rows_rate: "int" },
      { result: true, progress_map: [], apply_rows_rate: "NoneType" },
      { result: true, progress_map: ["data", "index", "structure"], apply_rows_rate: "int" },
    ]);

    assert.deepEqual(
      parsed.status.results.map((r: { id: string; status: string; error_code: string }) => [
        r.id,
        r.status ?? r.error_code,
      ]),
      [
        [JOB_A, "FULL_TRANSFER_STARTED"],
        [JOB_B, "INCRE_TRANSFER_STARTED"],
        [UNKNOWN, "DRS.M00289"],
        [OPEN_ENDED, "FULL_TRANSFER_STARTED"],
      ],
    );
    assert.deepEqual(
      sim.requestLog().map((e) => [e.kind, e.status, e.authMode]),
      [
        ["batch-progress", 200, "aksk"],
        ["batch-status", 200, "aksk"],
      ],
    );
  });
});
