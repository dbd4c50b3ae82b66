// POST /v3/{project_id}/jobs/batch-status: the shared checks (jobs-request.ts), then paging.
import {
  DEFAULT_PER_PAGE,
  MAX_PER_PAGE,
  type BatchStatusResponse,
  type PageReq,
} from "../../api/wire";
import type { Call } from "../call";
import { isRecord } from "../validate";
import { readJobsRequest, sendBatch } from "./jobs-request";

export async function batchStatus(call: Call, rawProjectId: string): Promise<void> {
  const { state, entry } = call;
  const request = await readJobsRequest(call, rawProjectId);
  if (!request) return;
  const { body: parsed, jobs } = request;

  const pageReq = parsed.page_req;
  let perPage = DEFAULT_PER_PAGE;
  let curPage = 1;
  if (pageReq !== undefined && pageReq !== null) {
    if (!isRecord(pageReq)) return call.fail(400, "DRS.M00202", "page_req");
    entry.pageReq = pickPageReq(pageReq);
    if (pageReq.per_page !== undefined) {
      const value = pageReq.per_page;
      if (!isInteger(value) || value < 0 || value > MAX_PER_PAGE) {
        return call.fail(
          400,
          "DRS.M00211",
          `per_page=${JSON.stringify(value)} (0-${MAX_PER_PAGE})`,
        );
      }
      perPage = value;
    }
    if (pageReq.cur_page !== undefined) {
      const value = pageReq.cur_page;
      if (!isInteger(value) || value < 1) {
        return call.fail(400, "DRS.M00210", `cur_page=${JSON.stringify(value)}`);
      }
      curPage = value;
    }
  }
  // per_page 0 means "everything on one page"; a scenario's maxPageSize caps either.
  const asked = perPage === 0 ? jobs.length : perPage;
  const pageSize = state.maxPageSize === undefined ? asked : Math.min(asked, state.maxPageSize);
  const pages = Math.ceil(jobs.length / pageSize);
  if (curPage > pages) return call.fail(400, "DRS.M00210", `cur_page=${curPage} > ${pages}`);

  const start = (curPage - 1) * pageSize;
  const ids = jobs.slice(start, start + pageSize);
  const response: BatchStatusResponse = {
    results: ids.map((id) => state.jobs.result(id, call.language)),
    count: ids.length,
  };
  sendBatch(call, response, ({ id }, status) => ({ id, status }));
}

function isInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value);
}

function pickPageReq(pageReq: Record<string, unknown>): PageReq {
  const picked: PageReq = {};
  if (isInteger(pageReq.cur_page)) picked.cur_page = pageReq.cur_page;
  if (isInteger(pageReq.per_page)) picked.per_page = pageReq.per_page;
  return picked;
}
