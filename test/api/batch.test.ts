import { strict as assert } from "node:assert";
import {
  chunk,
  collectStatuses,
  type CollectedStatuses,
  type FetchPage,
} from "../../src/api/batch";
import { DrsApiError } from "../../src/api/errors";
import type { PageReq, QueryJobStatusResp } from "../../src/api/wire";

const ids = (n: number) => Array.from({ length: n }, (_, i) => `job-${i}`);

/** A scripted service: `serve` decides the results of each call. */
function service(
  serve: (jobIds: string[], page: PageReq, call: number) => QueryJobStatusResp[] | Error,
) {
  const calls: { jobIds: string[]; page: PageReq }[] = [];
  const fetchPage: FetchPage = async (jobIds, page) => {
    calls.push({ jobIds, page });
    const out = serve(jobIds, page, calls.length);
    if (out instanceof Error) throw out;
    return { results: out, count: 999 };
  };
  return { calls, fetchPage };
}
const ok = (id: string): QueryJobStatusResp => ({ id, status: "CREATING" });

/** How many ids got an answer; fails if an answer sits anywhere but at its id's position. */
function answered(out: CollectedStatuses, jobIds: readonly string[]): number {
  assert.equal(out.results.length, jobIds.length);
  out.results.forEach((result, i) => {
    if (result) assert.equal(result.id, jobIds[i], `answer at position ${i}`);
  });
  return out.results.filter((result) => result !== undefined).length;
}

describe("api/batch", () => {
  it("chunks by 100", () => {
    assert.deepEqual(
      chunk(ids(250)).map((c) => c.length),
      [100, 100, 50],
    );
  });

  it("asks each chunk once with an explicit page_req when the service behaves", async () => {
    const s = service((jobIds) => jobIds.map(ok));
    const out = await collectStatuses(ids(250), s.fetchPage);
    assert.equal(s.calls.length, 3);
    assert.deepEqual(
      s.calls.map((c) => c.page),
      [
        { cur_page: 1, per_page: 100 },
        { cur_page: 1, per_page: 100 },
        { cur_page: 1, per_page: 50 },
      ],
    );
    assert.equal(answered(out, ids(250)), 250);
    assert.deepEqual(out.missing, []);
  });

  it("follows further pages when the service serves fewer than asked", async () => {
    // A service that ignores per_page and serves 5 a page.
    const s = service((jobIds, page) =>
      jobIds.slice((page.cur_page! - 1) * 5, page.cur_page! * 5).map(ok),
    );
    const out = await collectStatuses(ids(12), s.fetchPage);
    assert.deepEqual(
      s.calls.map((c) => c.page.cur_page),
      [1, 2, 3],
    );
    assert.equal(answered(out, ids(12)), 12);
  });

  it("asks once more for ids left out, then reports them missing", async () => {
    const s = service((jobIds) => jobIds.filter((id) => id !== "job-3").map(ok));
    const out = await collectStatuses(ids(5), s.fetchPage);
    assert.deepEqual(out.missing, ["job-3"]);
    // page 1 short, page 2 (past the end, empty), follow-up for job-3 (empty).
    assert.deepEqual(
      s.calls.map((c) => [c.jobIds.length, c.page.cur_page]),
      [
        [5, 1],
        [5, 2],
        [1, 1],
      ],
    );
  });

  it("recovers an id left out once", async () => {
    const s = service((jobIds, _page, call) =>
      jobIds.filter((id) => call > 1 || id !== "job-1").map(ok),
    );
    const out = await collectStatuses(ids(3), s.fetchPage);
    assert.deepEqual(out.missing, []);
    assert.equal(answered(out, ids(3)), 3);
  });

  it("treats 'invalid page' on a later page as the end of the pages", async () => {
    const pastEnd = new DrsApiError({
      operation: "op",
      httpStatus: 400,
      errorCode: "DRS.M00210",
      retryable: false,
    });
    const s = service((jobIds, page) => (page.cur_page === 1 ? jobIds.slice(1).map(ok) : pastEnd));
    const out = await collectStatuses(ids(3), s.fetchPage);
    assert.deepEqual(out.missing, ["job-0"]);
  });

  it("still fails on 'invalid page' for the first page", async () => {
    const bad = new DrsApiError({
      operation: "op",
      httpStatus: 400,
      errorCode: "DRS.M00210",
      retryable: false,
    });
    await assert.rejects(collectStatuses(ids(3), service(() => bad).fetchPage), bad);
  });

  it("ignores duplicates and ids not asked for; first answer wins", async () => {
    const s = service((jobIds) => [
      { id: "stranger", status: "CREATING" },
      ...jobIds.flatMap((id) => [
        { id, status: "CREATING" },
        { id, status: "CREATE_FAILED" },
      ]),
    ]);
    const out = await collectStatuses(ids(3), s.fetchPage);
    assert.equal(s.calls.length, 1);
    assert.equal(answered(out, ids(3)), 3);
    assert.equal(out.results[0]?.status, "CREATING");
    assert.equal(
      out.results.some((r) => r?.id === "stranger"),
      false,
    );
  });

  it("files answers that come back out of order at their ids' positions", async () => {
    const s = service((jobIds) => [...jobIds].reverse().map(ok));
    const out = await collectStatuses(ids(5), s.fetchPage);
    assert.equal(s.calls.length, 1);
    assert.equal(answered(out, ids(5)), 5);
  });
});
