// /_sim/: the admin API over HTTP, for tests that run the simulator out of process
// (`drs-jobs simulate`): each route is one line binding a path to a control (control.ts).
// No auth, no faults, not counted; guarded against web pages by admin-guard.ts.
import type { IncomingMessage, ServerResponse } from "node:http";
import { jsonObject, readBody, sendJson } from "../call";
import { SimInputError, type SimControls } from "../control";
import type { CompareInput, FaultInput, JobInput } from "../types";
import { refuseAdmin } from "./admin-guard";

type Body = Record<string, unknown>;
type Handler = (c: SimControls, body: Body, id: string, query: URLSearchParams) => unknown;

const MAX_ADMIN_BODY_BYTES = 64 * 1024 * 1024;

/** One object, or a list of them under `key`. */
const asList = <T>(body: Body, key: string): T[] =>
  Array.isArray(body[key]) ? (body[key] as T[]) : [body as T];

function required(body: Body, key: string, example: string): string {
  if (body[key] === undefined) throw new SimInputError(`${key}: is required, e.g. "${example}"`);
  return body[key] as string;
}

function limit(query: URLSearchParams): number | undefined {
  const text = query.get("limit");
  if (text !== null && !/^\d+$/.test(text))
    throw new SimInputError("limit: must be an integer >= 0");
  return text === null ? undefined : Number(text);
}

function token(body: Body): string | undefined {
  if (body.token !== undefined && typeof body.token !== "string") {
    throw new SimInputError("token: must be a string");
  }
  return body.token as string | undefined;
}

// "METHOD /path" under /_sim, `:id` one path segment; a third entry is the success status.
const ROUTES = (
  [
    ["GET /state", (c) => c.summary()],
    ["GET /jobs/:id", (c, _b, id) => c.job(id)],
    ["POST /jobs", (c, b) => ({ jobs: c.addJobs(asList<JobInput>(b, "jobs")) }), 201],
    ["PUT /jobs/:id/status", (c, b, id) => c.setJobStatus(id, b)],
    ["GET /jobs/:id/compare", (c, _b, id) => c.compare(id)],
    ["PUT /jobs/:id/compare", (c, b, id) => c.setCompare(id, b as CompareInput)],
    ["DELETE /jobs/:id", (c, _b, id) => ({ removed: c.removeJob(id) })],
    ["GET /faults", (c) => ({ faults: c.faults() })],
    ["POST /faults", (c, b) => ({ faults: c.addFaults(asList<FaultInput>(b, "faults")) }), 201],
    ["DELETE /faults", (c) => ({ removed: c.clearFaults() })],
    ["DELETE /faults/:id", (c, _b, id) => ({ removed: c.clearFaults(id) })],
    ["GET /clock", (c) => c.clock()],
    ["POST /clock", (c, b) => c.advanceClock(required(b, "advance", "30s"))],
    ["GET /counters", (c) => c.counters()],
    ["DELETE /counters", (c) => (c.resetCounters(), c.counters())],
    ["GET /requests", (c, _b, _id, q) => ({ requests: c.requestLog(limit(q)) })],
    ["DELETE /requests", (c) => (c.clearRequestLog(), { requests: [] })],
    ["POST /tokens/revoke", (c, b) => ({ revoked: c.revokeTokens(token(b)) })],
    ["GET /temporary-keys", (c) => c.temporaryKeys()],
    ["PUT /temporary-keys", (c, b) => c.setTemporaryKeyLifetime(required(b, "lifetime", "5s"))],
    ["POST /temporary-keys/expire", (c) => ({ expired: c.expireTemporaryKeys() })],
  ] satisfies [string, Handler, number?][]
).map(([spec, handler, status]: [string, Handler, number?]) => {
  const [method, path] = spec.split(" ");
  return { method, path: new RegExp(`^/_sim${path.replace(":id", "([^/]+)")}$`), handler, status };
});

export async function admin(
  controls: SimControls,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
): Promise<void> {
  const fail = (status: number, message: string, headers?: Record<string, string>) => {
    req.resume(); // an unread body must not stall the connection
    sendJson(res, status, { error_code: `SIM.0${status}`, error_msg: message }, headers);
  };
  const refusal = refuseAdmin(req);
  if (refusal) return fail(refusal.status, refusal.message);
  const candidates = ROUTES.filter((route) => route.path.test(path));
  const route = candidates.find((r) => r.method === req.method);
  if (!route) {
    if (candidates.length === 0)
      return fail(404, `no admin endpoint ${path}; see src/sim/README.md`);
    const allow = candidates.map((r) => r.method).join(", ");
    return fail(405, `${req.method} is not allowed on ${path}`, { Allow: allow });
  }
  let id: string;
  try {
    id = decodeURIComponent(route.path.exec(path)?.[1] ?? "");
  } catch {
    return fail(400, `the path is not valid percent-encoding: ${path}`);
  }
  const raw = await readBody(req, MAX_ADMIN_BODY_BYTES);
  if (raw === "aborted") return;
  if (raw === "too-large") return fail(413, "admin body over 64 MiB");
  const body = raw.toString("utf8").trim() === "" ? {} : jsonObject(raw);
  if (body === "not-json") return fail(400, "the body is not valid JSON");
  if (body === "not-object") return fail(400, "the body must be a JSON object");
  try {
    sendJson(res, route.status ?? 200, route.handler(controls, body, id, query));
  } catch (err) {
    if (err instanceof SimInputError) return fail(err.status, err.message);
    throw err;
  }
}
