// The HTTP server: gives every request an ID, applies request faults, dispatches, logs, and
// makes sure no input can take the process down (every handler is wrapped, and a failure
// answers 500 in the DRS shape while the server keeps serving).
import { randomUUID } from "node:crypto";
import {
  createServer,
  STATUS_CODES,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { Socket } from "node:net";
import { performance } from "node:perf_hooks";
import {
  batchProgressPath,
  batchStatusPath,
  ID_TOKEN_PATH,
  IAM_TOKENS_PATH,
  LANGUAGES,
  METADATA_TOKEN_PATH,
  PROJECTS_PATH,
  SECURITY_KEY_PATH,
  SECURITY_TOKENS_PATH,
  type Language,
} from "../api/wire";
import { Call, reply, sendJson } from "./call";
import type { SimControls } from "./control";
import { defaultFaultCode, knownMessage } from "./messages";
import { admin } from "./routes/admin";
import { batchProgress } from "./routes/batch-progress";
import { batchStatus } from "./routes/batch-status";
import { compare, COMPARE_PATH } from "./routes/compare";
import { metadataToken, securityKey } from "./routes/ecs-metadata";
import { idTokenExchange, securityTokens } from "./routes/federation";
import { iamTokens } from "./routes/iam";
import { listProjects } from "./routes/projects";
import type { SimState } from "./state";
import { loggedHeaders, type RequestKind } from "./stats";
import type { Fault } from "./types";

interface Route {
  kind: RequestKind;
  /** A path, or a pattern whose group is the project id. */
  path: string | RegExp;
  handle(call: Call, projectId: string): Promise<void> | void;
}

/** A wire.ts path builder as a pattern capturing its one slot, the project id. */
function pattern(build: (projectId: string) => string): RegExp {
  return new RegExp(`^${build("\0").replace("%00", "([^/]+)")}/?$`);
}

// Every route but /_sim/, which is neither logged nor faulted.
const ROUTES: Route[] = [
  { kind: "batch-status", path: pattern(batchStatusPath), handle: batchStatus },
  { kind: "batch-progress", path: pattern(batchProgressPath), handle: batchProgress },
  { kind: "compare", path: COMPARE_PATH, handle: compare },
  { kind: "iam-token", path: IAM_TOKENS_PATH, handle: iamTokens },
  { kind: "iam-projects", path: PROJECTS_PATH, handle: listProjects },
  { kind: "iam-federation", path: ID_TOKEN_PATH, handle: idTokenExchange },
  { kind: "iam-federation", path: SECURITY_TOKENS_PATH, handle: securityTokens },
  { kind: "ecs-metadata", path: METADATA_TOKEN_PATH, handle: metadataToken },
  { kind: "ecs-metadata", path: SECURITY_KEY_PATH, handle: securityKey },
];

const NOT_FOUND: Route = {
  kind: "not-found",
  path: "",
  handle(call) {
    call.discardBody();
    call.fail(404, "APIG.0101", `${call.req.method} ${call.entry.path}`);
  },
};

/** The route for a path, and the project id its pattern captured. */
function route(path: string): [Route, string] {
  for (const r of ROUTES) {
    if (r.path === path) return [r, ""];
    const match = typeof r.path === "string" ? null : r.path.exec(path);
    if (match) return [r, match[1]];
  }
  return [NOT_FOUND, ""];
}

export function createSimServer(state: SimState, controls: SimControls): Server {
  const server = createServer((req, res) => {
    handle(state, controls, req, res).catch((err: unknown) => internalError(res, err));
  });
  // Malformed HTTP (bad request line, oversized headers) never reaches the handler; answer
  // it here rather than letting node print and drop it.
  server.on("clientError", (_err: Error, socket: Socket) => {
    if (socket.writable && !socket.destroyed) {
      const body = JSON.stringify({ error_code: "APIG.0201", error_msg: "Bad request." });
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nConnection: close\r\n` +
          `X-Request-Id: ${requestId()}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    } else socket.destroy();
  });
  // Hundreds of concurrent keep-alive clients are the point of the load test.
  server.maxConnections = 10_000;
  server.keepAliveTimeout = 5_000;
  return server;
}

function requestId(): string {
  return randomUUID().replaceAll("-", "");
}

function internalError(res: ServerResponse, err: unknown): void {
  process.emitWarning(
    `drs simulator: handler failed: ${err instanceof Error ? err.stack : String(err)}`,
  );
  if (res.headersSent || res.destroyed) res.destroy();
  else sendJson(res, 500, { error_code: "DRS.M00004", error_msg: "Service abnormal." });
}

function readLanguage(req: IncomingMessage): { language: Language; bad?: string } {
  const header = req.headers["x-language"];
  if (header === undefined || header === "") return { language: "en-us" };
  const value = String(header).trim().toLowerCase();
  const known = LANGUAGES.find((language) => language === value);
  return known ? { language: known } : { language: "en-us", bad: String(header) };
}

async function handle(
  state: SimState,
  controls: SimControls,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  res.setHeader("X-Request-Id", requestId());
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  const query = new URLSearchParams(q < 0 ? "" : url.slice(q + 1));
  if (path === "/_sim" || path.startsWith("/_sim/")) return admin(controls, req, res, path, query);

  const started = performance.now();
  const [target, projectId] = route(path);
  const { kind } = target;
  const entry = state.stats.begin({
    time: new Date(state.clock.now()).toISOString(),
    method: req.method ?? "",
    path,
    kind,
    requestId: String(res.getHeader("X-Request-Id")),
    headers: loggedHeaders(req.headers),
  });
  res.on("close", () => {
    state.stats.end(entry, res.headersSent ? res.statusCode : 0, performance.now() - started);
  });
  const { language, bad } = readLanguage(req);
  const call = new Call(req, res, state, entry, language, query, bad);

  const fault = state.faults.takeRequestFault(path, kind);
  if (fault) {
    entry.fault = `${fault.id}:${fault.effect}`;
    if (fault.delayMs > 0) await sleep(fault.delayMs);
    if (res.destroyed) return;
    if ((await applyFault(call, fault)) === "answered") return;
  }
  return target.handle(call, projectId);
}

/** Request faults; a body fault only marks the call, the route's answer is corrupted later. */
async function applyFault(call: Call, fault: Fault): Promise<"answered" | "continue"> {
  switch (fault.effect) {
    case "drop":
      call.req.socket.destroy();
      return "answered";
    case "hang":
      // Read and ignore the body so the client finishes sending, then never answer; the
      // socket is closed by the client's timeout or by stop().
      call.req.resume();
      return "answered";
    case "status": {
      const status = fault.status!;
      const headers: Record<string, string> = fault.retryAfter
        ? { "Retry-After": fault.retryAfter }
        : {};
      // Read the body first so the connection stays reusable, as behind a real gateway.
      await call.body(() => undefined);
      if (fault.html !== undefined) {
        // What a load balancer or WAF in front of the gateway answers: its own HTML page.
        const page = fault.html === true ? gatewayPage(status) : fault.html;
        reply(call.res, status, page, { ...headers, "Content-Type": "text/html" });
        return "answered";
      }
      const code = fault.errorCode ?? defaultFaultCode(status);
      const text =
        fault.errorMessage ?? knownMessage(code, call.language) ?? `Injected HTTP ${status}.`;
      call.entry.errorCode = code;
      call.send(status, { error_code: code, error_msg: text }, headers);
      return "answered";
    }
    case "body":
      call.bodyFault = fault;
      return "continue";
    default:
      return "continue";
  }
}

/** An nginx-style error page, as the load balancers in front of cloud gateways send. */
function gatewayPage(status: number): string {
  const title = `${status} ${STATUS_CODES[status] ?? "Error"}`;
  return (
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n` +
    `<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
