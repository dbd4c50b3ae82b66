// POST /v3/{project_id}/jobs/batch-status, checked in the order the real service answers:
// gateway (size, auth), then DRS (project, language, content type, body fields).
import {
  DEFAULT_PER_PAGE,
  MAX_PER_PAGE,
  type BatchStatusResponse,
  type PageReq,
} from "../../api/wire";
import { authenticate } from "../auth";
import type { Call } from "../call";
import { maskKey } from "../stats";
import type { Fault } from "../types";
import { isRecord } from "../validate";

export const BATCH_STATUS_PATH = /^\/v3\/([^/]+)\/jobs\/batch-status\/?$/;

export async function batchStatus(call: Call, rawProjectId: string): Promise<void> {
  const { req, state, entry } = call;
  if (req.method !== "POST") {
    call.discardBody();
    call.fail(405, "APIG.0101", `${req.method} ${entry.path} (use POST)`, { Allow: "POST" });
    return;
  }
  const body = await call.readBody();
  if (body === "aborted") return;
  if (body === "too-large") {
    call.discardBody();
    call.fail(413, "APIG.0201", {
      en: `the body is over ${state.maxBodyBytes} bytes`,
      zh: `请求体超过${state.maxBodyBytes}字节`,
    });
    return;
  }
  const auth = authenticate(req, body, state.auth, state.tokens);
  entry.authMode = auth.mode;
  if (auth.accessKey) entry.accessKey = maskKey(auth.accessKey);
  if (auth.signedHeaders) entry.signedHeaders = auth.signedHeaders;
  if (!auth.ok) return call.fail(401, auth.code, auth.detail);

  const projectId = safeDecode(rawProjectId);
  if (projectId !== state.projectId) return call.fail(403, "DRS.M00261", projectId);
  if (call.badLanguage !== undefined) return call.fail(400, "DRS.M00202", "X-Language");
  const contentType = String(req.headers["content-type"] ?? "");
  if (contentType.split(";")[0].trim().toLowerCase() !== "application/json") {
    return call.fail(415, "DRS.M00007", {
      en: "Content-Type must be application/json",
      zh: "Content-Type必须为application/json",
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    return call.fail(400, "DRS.M00007", {
      en: "the body is not valid JSON",
      zh: "请求体不是合法的JSON",
    });
  }
  if (!isRecord(parsed)) {
    return call.fail(400, "DRS.M00007", {
      en: "the body must be a JSON object",
      zh: "请求体必须是JSON对象",
    });
  }

  const jobs = parsed.jobs;
  if (jobs === undefined || jobs === null) return call.fail(400, "DRS.M00201", "jobs");
  if (!Array.isArray(jobs)) return call.fail(400, "DRS.M00202", "jobs");
  if (jobs.length === 0) return call.fail(400, "DRS.M00201", "jobs");
  const badIndex = jobs.findIndex((id) => typeof id !== "string" || id.trim() === "");
  if (badIndex >= 0) return call.fail(400, "DRS.M00202", `jobs[${badIndex}]`);
  entry.jobCount = jobs.length;

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
  const ids = (jobs as string[]).slice(start, start + pageSize);
  const response: BatchStatusResponse = {
    results: ids.map((id) => state.jobs.result(id, call.language)),
    count: ids.length,
  };
  const fault = state.faults.takeDataFault(entry.path);
  if (fault) {
    entry.fault = `${fault.id}:${fault.effect}:${fault.data}`;
    corrupt(response, fault);
  }
  call.send(200, response);
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

/** Data faults: answers a careless client would take at face value. */
function corrupt(response: BatchStatusResponse, fault: Fault): void {
  const { results } = response;
  switch (fault.data) {
    case "missing":
      results.pop();
      response.count = results.length;
      break;
    case "duplicate":
      if (results.length > 0) results.push({ ...results[0] });
      response.count = results.length;
      break;
    case "count-mismatch":
      response.count = fault.count ?? results.length + 1;
      break;
    case "unknown-status":
      if (results.length > 0) {
        results[0] = { id: results[0].id, status: fault.unknownStatus ?? "SIM_UNKNOWN_STATUS" };
      }
      break;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
