// /_sim/: the admin API over HTTP, a thin JSON skin on SimControl for tests that run the
// simulator out of process (`drs-jobs simulate`). No auth, no faults, not counted; guarded
// against web pages by admin-guard.ts.
import type { IncomingMessage, ServerResponse } from "node:http";
import { SimInputError, type SimControl } from "../control";
import type { FaultInput, JobInput } from "../types";
import { isRecord } from "../validate";
import { refuseAdmin } from "./admin-guard";

type Handler = (body: Record<string, unknown>, match: string[], query: URLSearchParams) => unknown;

interface Route {
  method: string;
  path: RegExp;
  status?: number;
  handler: Handler;
}

function routes(control: SimControl): Route[] {
  const asList = <T>(body: Record<string, unknown>, key: string): T[] =>
    Array.isArray(body[key]) ? (body[key] as T[]) : [body as T];
  return [
    { method: "GET", path: /^\/_sim\/state$/, handler: () => control.summary() },
    { method: "GET", path: /^\/_sim\/jobs\/([^/]+)$/, handler: (_b, [id]) => control.job(id) },
    {
      method: "POST",
      path: /^\/_sim\/jobs$/,
      status: 201,
      handler: (body) => ({ jobs: control.addJobs(asList<JobInput>(body, "jobs")) }),
    },
    {
      method: "PUT",
      path: /^\/_sim\/jobs\/([^/]+)\/status$/,
      handler: (body, [id]) => control.setJobStatus(id, body),
    },
    {
      method: "DELETE",
      path: /^\/_sim\/jobs\/([^/]+)$/,
      handler: (_b, [id]) => ({ removed: control.removeJob(id) }),
    },
    { method: "GET", path: /^\/_sim\/faults$/, handler: () => ({ faults: control.faults() }) },
    {
      method: "POST",
      path: /^\/_sim\/faults$/,
      status: 201,
      handler: (body) => ({ faults: control.addFaults(asList<FaultInput>(body, "faults")) }),
    },
    {
      method: "DELETE",
      path: /^\/_sim\/faults$/,
      handler: () => ({ removed: control.clearFaults() }),
    },
    {
      method: "DELETE",
      path: /^\/_sim\/faults\/([^/]+)$/,
      handler: (_b, [id]) => ({ removed: control.clearFaults(id) }),
    },
    { method: "GET", path: /^\/_sim\/clock$/, handler: () => control.clock() },
    {
      method: "POST",
      path: /^\/_sim\/clock$/,
      handler: (body) => {
        if (body.advance === undefined) throw new SimInputError('advance: is required, e.g. "30s"');
        return control.advanceClock(body.advance as string);
      },
    },
    { method: "GET", path: /^\/_sim\/counters$/, handler: () => control.counters() },
    {
      method: "DELETE",
      path: /^\/_sim\/counters$/,
      handler: () => (control.resetCounters(), control.counters()),
    },
    {
      method: "GET",
      path: /^\/_sim\/requests$/,
      handler: (_b, _m, query) => {
        const limit = query.get("limit");
        if (limit !== null && !/^\d+$/.test(limit))
          throw new SimInputError("limit: must be an integer >= 0");
        return { requests: control.requestLog(limit === null ? undefined : Number(limit)) };
      },
    },
    {
      method: "DELETE",
      path: /^\/_sim\/requests$/,
      handler: () => (control.clearRequestLog(), { requests: [] }),
    },
    {
      method: "POST",
      path: /^\/_sim\/tokens\/revoke$/,
      handler: (body) => {
        if (body.token !== undefined && typeof body.token !== "string") {
          throw new SimInputError("token: must be a string");
        }
        return { revoked: control.revokeTokens(body.token as string | undefined) };
      },
    },
    {
      method: "GET",
      path: /^\/_sim\/temporary-keys$/,
      handler: () => control.temporaryKeys(),
    },
    {
      method: "PUT",
      path: /^\/_sim\/temporary-keys$/,
      handler: (body) => {
        if (body.lifetime === undefined)
          throw new SimInputError('lifetime: is required, e.g. "5s"');
        return control.setTemporaryKeyLifetime(body.lifetime as string);
      },
    },
    {
      method: "POST",
      path: /^\/_sim\/temporary-keys\/expire$/,
      handler: () => ({ expired: control.expireTemporaryKeys() }),
    },
  ];
}

export async function admin(
  control: SimControl,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
): Promise<void> {
  const send = (status: number, body: unknown) => {
    if (res.headersSent || res.destroyed) return;
    const text = JSON.stringify(body);
    res.writeHead(status, {
      "Content-Type": "application/json",
      "Content-Length": Buffer.byteLength(text),
    });
    res.end(text);
  };
  const fail = (status: number, message: string) =>
    send(status, { error_code: `SIM.0${status}`, error_msg: message });

  const refusal = refuseAdmin(req);
  if (refusal) {
    req.resume();
    return fail(refusal.status, refusal.message);
  }
  const candidates = routes(control).filter((route) => route.path.test(path));
  const route = candidates.find((r) => r.method === req.method);
  if (!route) {
    req.resume();
    if (candidates.length === 0)
      return fail(404, `no admin endpoint ${path}; see src/sim/README.md`);
    res.setHeader("Allow", candidates.map((r) => r.method).join(", "));
    return fail(405, `${req.method} is not allowed on ${path}`);
  }
  let match: string[];
  try {
    match = (route.path.exec(path) ?? []).slice(1).map((part) => decodeURIComponent(part));
  } catch {
    req.resume();
    return fail(400, `the path is not valid percent-encoding: ${path}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024 * 1024) return fail(413, "admin body over 64 MiB");
    chunks.push(chunk as Buffer);
  }
  let body: Record<string, unknown> = {};
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (text !== "") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return fail(400, "the body is not valid JSON");
    }
    if (!isRecord(parsed)) return fail(400, "the body must be a JSON object");
    body = parsed;
  }
  try {
    send(route.status ?? 200, route.handler(body, match, query));
  } catch (err) {
    if (err instanceof SimInputError) return fail(err.status, err.message);
    throw err;
  }
}
