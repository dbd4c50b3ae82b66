// Huawei's official Python DRS SDK drives the simulator's data comparisons: create, a second
// create refused while the first runs, list, then overview and detail with the scenario's
// row counts. If the simulator drifted from the SDK's paths or field names, the SDK's models
// would fail or come back empty here.
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { startSimulator, type Simulator } from "../../src/sim";
import { SDK_PACKAGES, SDK_TEST_KEYS, sdkEnv, sdkPythonOrSkip } from "../support/python-sdk";
import { JOB_A, PROJECT_ID } from "./helpers";

const run = promisify(execFile);
const SCRIPT = join(__dirname, "python-sdk", "compare.py");

describe(`sim: comparisons driven by the official Python SDK (huaweicloudsdkdrs ${SDK_PACKAGES.huaweicloudsdkdrs})`, function () {
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
            status: "INCRE_TRANSFER_STARTED",
            compare: {
              duration: "3m",
              tables: [
                { db: "shop", table: "orders", source: 500017, target: 499998 },
                { db: "shop", table: "customers", source: 10, target: 10 },
                { db: "billing", table: "invoices", source: 7, target: 7 },
              ],
            },
          },
        ],
      },
    });
  });
  afterEach(() => sim.stop());

  const sdk = async (step: "start" | "read") => {
    const { stdout } = await run(python, [SCRIPT], {
      env: {
        ...sdkEnv(),
        DRS_ENDPOINT: sim.url,
        DRS_PROJECT_ID: PROJECT_ID,
        DRS_AK: SDK_TEST_KEYS.accessKey,
        DRS_SK: SDK_TEST_KEYS.secretKey,
        DRS_JOB: JOB_A,
        DRS_STEP: step,
      },
    });
    return JSON.parse(stdout);
  };

  it("creates a row comparison, is refused a second, lists it, and reads the row counts", async function () {
    this.timeout(60_000);
    const started = await sdk("start");
    assert.match(started.first.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(started.second, {
      status: 400,
      error_code: "DRS.10000024",
      error_msg: `Another operation is being performed on the migration task or the migration task is abnormal (comparison ${started.first.id} has not finished).`,
    });
    assert.equal(started.list.count, 1);
    assert.equal(started.list.models, true);
    const [running] = started.list.compare_jobs;
    assert.equal(running.id, started.first.id);
    assert.equal(running.type, "lines");
    assert.equal(running.status, "RUNNING");
    assert.match(running.start_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(running.end_time, null);

    sim.advanceClock("3m");
    const read = await sdk("read");
    const [ended] = read.list.compare_jobs;
    assert.equal(ended.status, "SUCCESSFUL");
    assert.match(ended.end_time, /Z$/);
    assert.equal(read.overview.total_count, 2);
    assert.equal(read.overview.models, true);
    assert.deepEqual(
      read.overview.databases.map((d: Record<string, unknown>) => [
        d.source_db_name,
        d.status,
        d.compare_num,
        d.compare_end_num,
        d.data_inconsistent_num,
        d.uncomparable_num,
      ]),
      [
        ["shop", 0, 2, 2, 1, 0],
        ["billing", 2, 1, 1, 0, 0],
      ],
    );
    assert.equal(read.detail.shop.models, true);
    assert.deepEqual(
      read.detail.shop.tables.map((t: Record<string, unknown>) => [
        t.source_table_name,
        t.source_row_num,
        t.target_row_num,
        t.difference_row_num,
        t.status,
      ]),
      [
        ["orders", 500017, 499998, 19, 0],
        ["customers", 10, 10, 0, 2],
      ],
    );
    assert.deepEqual(
      read.detail.billing.tables.map((t: Record<string, unknown>) => [
        t.source_table_name,
        t.status,
      ]),
      [["invoices", 2]],
    );
    // No object-level comparison was started: the overview is empty, and the SDK says so.
    assert.equal(read.objects.compare_job_id, null);
    assert.equal(read.objects.compare_result, null);
    assert.deepEqual(
      [...new Set(sim.requestLog().map((e) => [e.kind, e.authMode].join(" ")))],
      ["compare aksk"],
    );
  });
});
