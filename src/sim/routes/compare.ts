// The data-comparison routes under /v3/{project_id}/jobs/{job_id}/: `table/compare` (POST
// starts one, GET lists them), `compare/{id}/{line,content}-{overview,detail}`, and
// `object/compare` (POST starts one, GET its overview). Checks in the order batch-status
// makes them: method, auth, project, language, then the job and the body.
import {
  COMPARE_BUSY_CODE,
  COMPARE_VIEWS,
  DATA_COMPARE_TYPES,
  MAX_COMPARE_PAGE,
  type CompareView,
  type DataCompareType,
} from "../../api/wire";
import { authenticate } from "../auth";
import { jsonObject, type Call } from "../call";
import { CompareBusy } from "../compare";

/** Any comparison path; groups: project, job, and the rest. */
export const COMPARE_PATH =
  /^\/v3\/([^/]+)\/jobs\/([^/]+)\/(table\/compare|object\/compare|compare\/[^/]+\/[a-z-]+)\/?$/;

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export async function compare(call: Call): Promise<void> {
  const { req, state, entry } = call;
  const match = COMPARE_PATH.exec(entry.path)!;
  const [projectId, jobId, rest] = [decode(match[1]), decode(match[2]), match[3]];
  const methods = rest.startsWith("compare/") ? ["GET"] : ["GET", "POST"];
  const method = req.method ?? "";
  if (!methods.includes(method)) {
    call.discardBody();
    return call.fail(405, "APIG.0101", `${method} ${entry.path}`, { Allow: methods.join(", ") });
  }
  const body = await call.body(() =>
    call.fail(413, "APIG.0201", `the body is over ${state.maxBodyBytes} bytes`),
  );
  if (!body) return;
  const auth = authenticate(call, body);
  if (!auth.ok) return call.fail(401, auth.code, auth.detail);
  if (projectId !== state.projectId) return call.fail(403, "DRS.M00261", projectId);
  if (call.badLanguage !== undefined) return call.fail(400, "DRS.M00202", "X-Language");
  if (!state.jobs.has(jobId) || !state.jobs.current(jobId)) {
    return call.fail(400, "DRS.M00289");
  }
  const page = paging(call);
  if (!page) return;

  if (rest === "table/compare" && method === "POST") {
    const parsed = jsonObject(body);
    if (typeof parsed === "string") return call.fail(400, "DRS.M00007", "the body");
    const type = parsed.type;
    if (type === undefined) return call.fail(400, "DRS.M00201", "type");
    if (!DATA_COMPARE_TYPES.includes(type as DataCompareType)) {
      return call.fail(400, "DRS.M00202", "type");
    }
    return start(call, () => ({ id: state.compares.start(jobId, type as DataCompareType) }));
  }
  if (rest === "table/compare") {
    const all = state.compares.list(jobId);
    return call.send(200, { count: all.length, compare_jobs: slice(all, page) });
  }
  if (rest === "object/compare" && method === "POST") {
    // Documented as answering 202 with an empty object.
    return start(call, () => (state.compares.startObjects(jobId), {}), 202);
  }
  if (rest === "object/compare") return call.send(200, state.compares.objectOverview(jobId));

  const [, compareJobId, view] = rest.split("/");
  const run = state.compares.find(jobId, decode(compareJobId));
  if (!COMPARE_VIEWS.includes(view as CompareView)) {
    return call.fail(404, "APIG.0101", `${method} ${entry.path}`);
  }
  if (!run) return call.fail(400, "DRS.M00202", "compare_job_id");
  const content = view.startsWith("content-");
  if (content !== (run.type === "contents")) {
    return call.fail(400, "DRS.M00202", `compare_job_id (a ${run.type} comparison)`);
  }
  if (view.endsWith("-overview")) {
    const all: object[] = content
      ? state.compares.contentOverview(run)
      : state.compares.overview(run);
    return call.send(200, {
      total_count: all.length,
      [content ? "content_compare_result_infos" : "data_compare_overview_infos"]: slice(all, page),
    });
  }
  const db = call.query.get("db_name");
  if (db === null || db === "") return call.fail(400, "DRS.M00201", "db_name");
  const which = call.query.get("type");
  if (which !== null && which !== "compare" && which !== "unCompare") {
    return call.fail(400, "DRS.M00202", "type");
  }
  const all: object[] = content
    ? state.compares.contentDetail(run, db, which)
    : state.compares.detail(run, db, which);
  return call.send(200, {
    total_count: all.length,
    [content ? "content_compare_result_infos" : "table_line_compare_result_infos"]: slice(
      all,
      page,
    ),
  });
}

function start(call: Call, run: () => object, status = 200): void {
  try {
    call.send(status, run());
  } catch (err) {
    if (!(err instanceof CompareBusy)) throw err;
    call.entry.errorCode = COMPARE_BUSY_CODE;
    call.send(400, {
      error_code: COMPARE_BUSY_CODE,
      error_msg:
        call.language === "zh-cn"
          ? `任务正在进行其他操作或任务状态异常（对比任务${err.running}未结束）。`
          : `Another operation is being performed on the migration task or the migration task is abnormal (comparison ${err.running} has not finished).`,
    });
  }
}

/** `limit` (1-1000, default 1000) and `offset` (>= 0, default 0). */
function paging(call: Call): { limit: number; offset: number } | undefined {
  const read = (name: string, fallback: number, min: number, max: number) => {
    const text = call.query.get(name);
    if (text === null) return fallback;
    const n = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(n >= min && n <= max)) {
      call.fail(400, "DRS.M00202", `${name}=${text} (${min}-${max})`);
      return undefined;
    }
    return n;
  };
  const limit = read("limit", MAX_COMPARE_PAGE, 1, MAX_COMPARE_PAGE);
  if (limit === undefined) return undefined;
  const offset = read("offset", 0, 0, Number.MAX_SAFE_INTEGER);
  if (offset === undefined) return undefined;
  return { limit, offset };
}

function slice<T>(all: T[], page: { limit: number; offset: number }): T[] {
  return all.slice(page.offset, page.offset + page.limit);
}
