// One request in flight: what every route needs (state, language, the log entry) and the
// only way routes answer, so a body fault can corrupt whatever answer a route produces. Also
// the server's one body reader and one sender, which the admin API uses too.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Language } from "../api/wire";
import { message, type MessageCode } from "./messages";
import type { SimState } from "./state";
import type { RequestLogEntry } from "./stats";
import type { Fault } from "./types";
import { isRecord } from "./validate";

export const MAX_BODY_BYTES = 1024 * 1024;
const JSON_TYPE = "application/json;charset=UTF-8";

/** A detail in one language for both, or per language when it is prose. */
export type Detail = string | { en: string; zh: string };

/** Answers unless an answer already went out or the client left. */
export function reply(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string>,
): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { ...headers, "Content-Length": String(Buffer.byteLength(text)) });
  res.end(text);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  reply(res, status, JSON.stringify(body), { ...headers, "Content-Type": JSON_TYPE });
}

/** Reads the whole body, refusing more than `limit` bytes without buffering them. */
export function readBody(
  req: IncomingMessage,
  limit: number,
): Promise<Buffer | "too-large" | "aborted"> {
  return new Promise((resolve) => {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) return resolve("too-large");
    if (req.destroyed) return resolve("aborted");
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: Buffer | "too-large" | "aborted") => {
      if (!done) resolve(result);
      done = true;
    };
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (done) return;
      if (size > limit) finish("too-large");
      else chunks.push(chunk);
    });
    req.on("end", () => finish(Buffer.concat(chunks)));
    req.on("error", () => finish("aborted"));
    req.on("close", () => finish("aborted"));
  });
}

/**
 * Call before answering early (405, 413, 404): the connection closes after our answer
 * instead of us reading an unbounded upload, and the client still sees our status.
 */
export function discardBody(req: IncomingMessage, res: ServerResponse): void {
  if (!res.headersSent) res.setHeader("Connection", "close");
  let drained = 0;
  req.on("data", (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > 16 * MAX_BODY_BYTES) req.socket.destroy();
  });
  req.resume();
}

/** A body as a JSON object, or what is wrong with it. */
export function jsonObject(body: Buffer): Record<string, unknown> | "not-json" | "not-object" {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    return "not-json";
  }
  return isRecord(parsed) ? parsed : "not-object";
}

export class Call {
  bodyFault?: Fault;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly state: SimState,
    readonly entry: RequestLogEntry,
    readonly language: Language,
    readonly query: URLSearchParams,
    /** The X-Language value when it is not one the service speaks. */
    readonly badLanguage?: string,
  ) {}

  send(status: number, body: unknown, headers: Record<string, string> = {}): void {
    const { res } = this;
    const text = JSON.stringify(body);
    const fault = this.bodyFault?.body;
    if (fault === "truncated") {
      if (res.headersSent || res.destroyed) return;
      // Promise the whole body, deliver half, then cut: the client sees a premature close.
      res.writeHead(status, {
        ...headers,
        "Content-Type": JSON_TYPE,
        "Content-Length": String(Buffer.byteLength(text)),
      });
      const half = Buffer.from(text).subarray(0, Math.floor(Buffer.byteLength(text) / 2));
      res.write(half, () => res.destroy());
      return;
    }
    const wire = fault === "empty" ? "" : fault === "malformed" ? text.slice(0, -1) + ",}" : text;
    reply(res, status, wire, { ...headers, "Content-Type": JSON_TYPE });
  }

  fail(
    status: number,
    code: MessageCode,
    detail: Detail = "",
    headers: Record<string, string> = {},
  ): void {
    const text =
      typeof detail === "string" ? detail : this.language === "zh-cn" ? detail.zh : detail.en;
    this.entry.errorCode = code;
    this.send(status, { error_code: code, error_msg: message(code, this.language, text) }, headers);
  }

  /** The body, or undefined once the call is over: aborted, or too large (`tooLarge` answers). */
  async body(tooLarge: () => void): Promise<Buffer | undefined> {
    const body = await readBody(this.req, this.state.maxBodyBytes);
    if (body === "too-large") {
      this.discardBody();
      tooLarge();
    }
    return typeof body === "string" ? undefined : body;
  }

  discardBody(): void {
    discardBody(this.req, this.res);
  }
}
