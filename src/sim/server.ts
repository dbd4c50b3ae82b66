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
import { LANGUAGES, type Language } from "../api/wire";
import { Call } from "./call";
import type { SimControl } from "./control";
import { defaultFaultCode, knownMessage } from "./messages";
import { admin } from "./routes/admin";
import { BATCH_PROGRESS_PATH, batchProgress } from "./routes/batch-progress";
import { BATCH_STATUS_PATH, batchStatus } from "./routes/batch-status";
import {
  METADATA_TOKEN_PATH,
  metadataToken,
  SECURITY_KEY_PATH,
  securityKey,
} from "./routes/ecs-metadata";
import {
  ID_TOKEN_PATH,
  idTokenExchange,
  SECURITY_TOKENS_PATH,
  securityTokens,
} from "./routes/federation";
import { IAM_TOKENS_PATH, iamTokens } from "./routes/iam";
import { listProjects, PROJECTS_PATH } from "./routes/projects";
import type { SimState } from "./state";
import { loggedHeaders, type RequestKind } from "./stats";
import type { Fault } from "./types";

export function createSimServer(state: SimState, control: SimControl): Server {
  const server = createServer((req, res) => {
    handle(state, control, req, res).catch((err: unknown) => internalError(res, err));
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
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const text = JSON.stringify({ error_code: "DRS.M00004", error_msg: "Service abnormal." });
  res.writeHead(500, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}

function classify(path: string): { kind: RequestKind; projectId?: string } {
  if (path === IAM_TOKENS_PATH) return { kind: "iam-token" };
  if (path === PROJECTS_PATH) return { kind: "iam-projects" };
  if (path === ID_TOKEN_PATH || path === SECURITY_TOKENS_PATH) return { kind: "iam-federation" };
  if (path === METADATA_TOKEN_PATH || path === SECURITY_KEY_PATH) return { kind: "ecs-metadata" };
  const match = BATCH_STATUS_PATH.exec(path);
  if (match) return { kind: "batch-status", projectId: match[1] };
  const progress = BATCH_PROGRESS_PATH.exec(path);
  if (progress) return { kind: "batch-progress", projectId: progress[1] };
  return { kind: "not-found" };
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
  control: SimControl,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  res.setHeader("X-Request-Id", requestId());
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  if (path === "/_sim" || path.startsWith("/_sim/")) {
    return admin(control, req, res, path, new URLSearchParams(q < 0 ? "" : url.slice(q + 1)));
  }

  const started = performance.now();
  const { kind, projectId } = classify(path);
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
  const call = new Call(req, res, state, entry, language, bad);

  const fault = state.faults.takeRequestFault(path, kind);
  if (fault) {
    entry.fault = `${fault.id}:${fault.effect}`;
    if (fault.delayMs > 0) await sleep(fault.delayMs);
    if (res.destroyed) return;
    if ((await applyFault(call, fault)) === "answered") return;
  }

  if (kind === "batch-status") return batchStatus(call, projectId!);
  if (kind === "batch-progress") return batchProgress(call, projectId!);
  if (kind === "iam-token") return iamTokens(call);
  if (path === PROJECTS_PATH)
    return listProjects(call, new URLSearchParams(q < 0 ? "" : url.slice(q + 1)));
  if (path === ID_TOKEN_PATH) return idTokenExchange(call);
  if (path === SECURITY_TOKENS_PATH) return securityTokens(call);
  if (path === METADATA_TOKEN_PATH) return metadataToken(call);
  if (path === SECURITY_KEY_PATH) return securityKey(call);
  call.discardBody();
  call.fail(404, "APIG.0101", `${req.method} ${path}`);
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
      if ((await call.readBody()) === "too-large") call.discardBody();
      if (fault.html !== undefined) {
        // What a load balancer or WAF in front of the gateway answers: its own HTML page.
        const page = fault.html === true ? gatewayPage(status) : fault.html;
        if (call.res.headersSent || call.res.destroyed) return "answered";
        call.res.writeHead(status, {
          ...headers,
          "Content-Type": "text/html",
          "Content-Length": String(Buffer.byteLength(page)),
        });
        call.res.end(page);
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
