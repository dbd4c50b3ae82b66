import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { startSimulator, type Simulator } from "../../../src/sim";
import { EXAMPLE_JOBS, JOB_A, JOB_B, PROJECT_ID, batchStatus } from "../helpers";

const PAGE_EXAMPLE_REQUEST = {
  jobs: [JOB_A, JOB_B],
  page_req: { cur_page: 1, per_page: 10 },
};
const PAGE_EXAMPLE_RESPONSE = {
  results: [
    { id: JOB_A, status: "INCRE_TRANSFER_STARTED" },
    { id: JOB_B, status: "INCRE_TRANSFER_FAILED" },
  ],
  count: 2,
};

describe("sim: POST /v3/{project_id}/jobs/batch-status", () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({ scenario: { projectId: PROJECT_ID, jobs: EXAMPLE_JOBS } });
  });
  afterEach(() => sim.stop());

  describe("the page's example", () => {
    let example: Simulator;
    beforeEach(async () => {
      example = await startSimulator({
        scenario: {
          projectId: PROJECT_ID,
          jobs: [
            { id: JOB_A, status: "INCRE_TRANSFER_STARTED" },
            { id: JOB_B, status: "INCRE_TRANSFER_FAILED" },
          ],
        },
      });
    });
    afterEach(() => example.stop());

    it("answers the example request with the example response", async () => {
      const answer = await batchStatus(example, PAGE_EXAMPLE_REQUEST);
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.json, PAGE_EXAMPLE_RESPONSE);
      assert.match(answer.headers.get("content-type") ?? "", /^application\/json/);
      assert.match(answer.headers.get("x-request-id") ?? "", /^[0-9a-f]{32}$/);
    });

    it("answers curl the same way", async () => {
      const { stdout } = await promisify(execFile)("curl", [
        "-sS",
        "-X",
        "POST",
        "-H",
        "Content-Type: application/json",
        "--data",
        JSON.stringify(PAGE_EXAMPLE_REQUEST),
        `${example.url}/v3/${PROJECT_ID}/jobs/batch-status`,
      ]);
      assert.deepEqual(JSON.parse(stdout), PAGE_EXAMPLE_RESPONSE);
    });
  });

  it("follows the timelines on the simulator clock, with error fields for failed jobs", async () => {
    let answer = await batchStatus(sim, { jobs: [JOB_A, JOB_B] });
    assert.deepEqual(answer.json.results, [
      { id: JOB_A, status: "FULL_TRANSFER_STARTED" },
      { id: JOB_B, status: "FULL_TRANSFER_STARTED" },
    ]);
    sim.advanceClock("15s");
    answer = await batchStatus(sim, { jobs: [JOB_A, JOB_B] });
    assert.deepEqual(answer.json.results, [
      { id: JOB_A, status: "FULL_TRANSFER_STARTED" },
      {
        id: JOB_B,
        status: "INCRE_TRANSFER_FAILED",
        error_code: "DRS.M00004",
        error_message: "Service abnormal",
      },
    ]);
    sim.advanceClock("5s");
    answer = await batchStatus(sim, { jobs: [JOB_A] });
    assert.deepEqual(answer.json, {
      results: [{ id: JOB_A, status: "INCRE_TRANSFER_STARTED" }],
      count: 1,
    });
  });

  it("reports an unknown job ID as DRS.M00289 without a status", async () => {
    const answer = await batchStatus(sim, { jobs: ["no-such-job", JOB_A] });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.json.results[0], {
      id: "no-such-job",
      error_code: "DRS.M00289",
      error_message: "The job does not exist.",
    });
    assert.equal(answer.json.count, 2);
  });

  describe("pagination", () => {
    const ids = Array.from({ length: 12 }, (_, i) => `job-${i}`);
    it("defaults to 5 per page, page 1", async () => {
      const answer = await batchStatus(sim, { jobs: ids });
      assert.deepEqual(
        answer.json.results.map((r: { id: string }) => r.id),
        ids.slice(0, 5),
      );
      assert.equal(answer.json.count, 5);
    });
    it("serves a later page, the last one short; count is the number returned", async () => {
      const answer = await batchStatus(sim, { jobs: ids, page_req: { cur_page: 3, per_page: 5 } });
      assert.deepEqual(
        answer.json.results.map((r: { id: string }) => r.id),
        ids.slice(10),
      );
      assert.equal(answer.json.count, 2);
    });
    it("per_page 0 returns everything", async () => {
      const answer = await batchStatus(sim, { jobs: ids, page_req: { per_page: 0 } });
      assert.equal(answer.json.count, 12);
    });
    it("accepts per_page 100 and a null page_req", async () => {
      assert.equal(
        (await batchStatus(sim, { jobs: ids, page_req: { per_page: 100 } })).json.count,
        12,
      );
      assert.equal((await batchStatus(sim, { jobs: ids, page_req: null })).json.count, 5);
    });
    it("maxPageSize: pages of at most that size whatever per_page asks (off by default)", async () => {
      const capped = await startSimulator({ scenario: { projectId: PROJECT_ID, maxPageSize: 5 } });
      try {
        const page = async (page_req: object) => {
          const answer = await batchStatus(capped, { jobs: ids, page_req });
          return answer.status === 200
            ? answer.json.results.map((r: { id: string }) => r.id)
            : answer.json.error_code;
        };
        assert.deepEqual(await page({ cur_page: 1, per_page: 12 }), ids.slice(0, 5));
        assert.deepEqual(await page({ cur_page: 2, per_page: 12 }), ids.slice(5, 10));
        assert.deepEqual(await page({ cur_page: 3, per_page: 12 }), ids.slice(10));
        assert.equal(await page({ cur_page: 4, per_page: 12 }), "DRS.M00210");
        assert.deepEqual(await page({ per_page: 0 }), ids.slice(0, 5));
        assert.deepEqual(await page({ cur_page: 2, per_page: 3 }), ids.slice(3, 6));
        assert.equal(capped.summary().maxPageSize, 5);
      } finally {
        await capped.stop();
      }
      assert.equal(
        (await batchStatus(sim, { jobs: ids, page_req: { per_page: 12 } })).json.count,
        12,
      );
      assert.equal(sim.summary().maxPageSize, undefined);
    });
  });
});
