// One request in flight: what every route needs (state, language, the log entry) and the
// only way routes answer, so a body fault can corrupt whatever answer a route produces.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Language } from "../api/wire";
import { message, type MessageCode } from "./messages";
import type { SimState } from "./state";
import type { RequestLogEntry } from "./stats";
import type { Fault } from "./types";

export const MAX_BODY_BYTES = 1024 * 1024;
const JSON_TYPE = "application/json;charset=UTF-8";

/** A detail in one language for both, or per language when it is prose. */
export type Detail = string | { en: string; zh: string };

export class Call {
  bodyFault?: Fault;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly state: SimState,
    readonly entry: RequestLogEntry,
    readonly language: Language,
    /** The X-Language value when it is not one the service speaks. */
    readonly badLanguage?: string,
  ) {}

  send(status: number, body: unknown, headers: Record<string, string> = {}): void {
    const { res } = this;
    if (res.headersSent || res.destroyed) return;
    const text = JSON.stringify(body);
    const fault = this.bodyFault?.body;
    const wire = fault === "empty" ? "" : fault === "malformed" ? text.slice(0, -1) + ",}" : text;
    res.writeHead(status, {
      ...headers,
      "Content-Type": JSON_TYPE,
      "Content-Length": String(Buffer.byteLength(wire)),
    });
    if (fault === "truncated") {
      // Promise the whole body, deliver half, then cut: the client sees a premature close.
      const half = Buffer.from(text).subarray(0, Math.floor(Buffer.byteLength(text) / 2));
      res.write(half, () => res.destroy());
      return;
    }
    res.end(fault === "empty" ? undefined : wire);
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

  /** Reads the whole body, refusing more than the limit without buffering it. */
  readBody(): Promise<Buffer | "too-large" | "aborted"> {
    const { req } = this;
    const limit = this.state.maxBodyBytes;
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
  discardBody(): void {
    const { req, res } = this;
    if (!res.headersSent) res.setHeader("Connection", "close");
    let drained = 0;
    req.on("data", (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > 16 * MAX_BODY_BYTES) req.socket.destroy();
    });
    req.resume();
  }
}
