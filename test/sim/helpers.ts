// Test helpers: plain HTTP to the simulator (global fetch, or node:http when a test needs
// control fetch does not give: a Host header for signing, raw sockets).
import { request as httpRequest } from "node:http";
import type { Simulator } from "../../src/sim";

export const PROJECT_ID = "054ba152d480d55b2f5dc0069e7ddef0";
export const JOB_A = "9a470239-2308-4bb5-a6bc-1040402fjb21";
export const JOB_B = "dc67695a-ee3e-49b8-a022-a099bd81jb21";

/** The scenario of the brief: the page's two jobs, reaching the page's example answer at 20 s. */
export const EXAMPLE_JOBS = [
  {
    id: JOB_A,
    timeline: [
      { at: "0s", status: "FULL_TRANSFER_STARTED" },
      { at: "20s", status: "INCRE_TRANSFER_STARTED" },
    ],
  },
  {
    id: JOB_B,
    timeline: [
      { at: "0s", status: "FULL_TRANSFER_STARTED" },
      {
        at: "15s",
        status: "INCRE_TRANSFER_FAILED",
        errorCode: "DRS.M00004",
        errorMessage: "Service abnormal",
      },
    ],
  },
];

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // Tests read fields freely; the assertions are the type check.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export async function call(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Answer> {
  const res = await fetch(url, {
    method: init.method ?? "POST",
    headers: init.headers,
    body: init.body as RequestInit["body"],
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** POST batch-status with a JSON body (object bodies are serialized). */
export function batchStatus(
  sim: Simulator,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return call(sim.batchStatusUrl, {
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export function adminCall(
  sim: Simulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<Answer> {
  return call(`${sim.url}/_sim/${path}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** node:http request, for headers fetch will not let us set (Host) or exact byte bodies. */
export function rawCall(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: options.method ?? "POST", headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString(),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}
