// A small loopback DRS (and IAM) that enforces the batch-status page's rules and lets a test
// script faults. Meant to be swapped for the real simulator (src/sim) later.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { parseSdkDate, verifySignature } from "../../../src/api/auth/signer";
import { batchStatusPath, MAX_PER_PAGE, type QueryJobStatusResp } from "../../../src/api/wire";

export interface FakeJob {
  status?: string;
  error_code?: string;
  error_message?: string;
}

export type FakeAuth =
  | { token: string }
  | { accessKey: string; secretKey: string }
  | { userName: string; password: string; domainName: string; tokenLifetimeMs?: number };

export type Fault =
  | { kind: "status"; status: number; body?: string; headers?: Record<string, string> }
  | { kind: "drop" }
  | { kind: "hang" };

export interface RecordedRequest {
  at: number;
  headers: IncomingMessage["headers"];
  body: unknown;
  status: number;
}

export interface FakeDrsOptions {
  projectId?: string;
  auth: FakeAuth;
  jobs?: Record<string, FakeJob>;
  /** Serve at most this many results per page whatever per_page asks (a capped service). */
  pageCap?: number;
  /** Leave these ids out of every answer. */
  omitIds?: string[];
  /** Leave these ids out of the first answer that would hold them only. */
  omitOnceIds?: string[];
  /** Repeat every result twice. */
  duplicateResults?: boolean;
  /** Answer this `count` instead of the truth. */
  count?: number;
}

const json = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) => {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};

export class FakeDrs {
  readonly requests: RecordedRequest[] = [];
  readonly iamRequests: RecordedRequest[] = [];
  /** Applied to DRS requests in order, one per request, before any check. */
  readonly faults: Fault[] = [];
  readonly iamFaults: Fault[] = [];
  readonly projectId: string;
  url = "";
  #server: Server;
  #sockets = new Set<Socket>();
  #validTokens = new Set<string>();
  #omittedOnce = new Set<string>();
  #tokenCounter = 0;

  private constructor(readonly options: FakeDrsOptions) {
    this.projectId = options.projectId ?? "054ba152d480d55b2f5dc0069e7ddef0";
    if ("token" in options.auth) this.#validTokens.add(options.auth.token);
    this.#server = createServer((req, res) => void this.#handle(req, res));
    this.#server.on("connection", (socket) => {
      this.#sockets.add(socket);
      socket.on("close", () => this.#sockets.delete(socket));
    });
  }

  static async start(options: FakeDrsOptions): Promise<FakeDrs> {
    const fake = new FakeDrs(options);
    await new Promise<void>((resolve) => fake.#server.listen(0, "127.0.0.1", resolve));
    fake.url = `http://127.0.0.1:${(fake.#server.address() as AddressInfo).port}`;
    return fake;
  }

  /** IAM tokens issued so far stop working (as if revoked). */
  revokeTokens(): void {
    if (!("token" in this.options.auth)) this.#validTokens.clear();
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const isIam = req.url === "/v3/auth/tokens";
    const record: RecordedRequest = {
      at: Date.now(),
      headers: req.headers,
      body: tryJson(text),
      status: 0,
    };
    (isIam ? this.iamRequests : this.requests).push(record);
    const original = res.writeHead.bind(res);
    res.writeHead = ((status: number, ...rest: never[]) => {
      record.status = status;
      return original(status, ...rest);
    }) as typeof res.writeHead;
    res.setHeader("X-Request-Id", randomUUID());

    const fault = (isIam ? this.iamFaults : this.faults).shift();
    if (fault?.kind === "drop") return void req.socket.destroy();
    if (fault?.kind === "hang") return;
    if (fault?.kind === "status") {
      res.writeHead(fault.status, { "Content-Type": "application/json", ...fault.headers });
      return void res.end(
        fault.body ?? JSON.stringify({ error_code: "APIG.0308", error_msg: "injected" }),
      );
    }
    if (isIam) return this.#iam(req, text, res);
    this.#batchStatus(req, text, res);
  }

  #iam(req: IncomingMessage, text: string, res: ServerResponse): void {
    const auth = this.options.auth;
    const body = tryJson(text) as {
      auth?: {
        identity?: {
          methods?: string[];
          password?: { user?: { name?: string; password?: string; domain?: { name?: string } } };
        };
        scope?: { project?: { id?: string; name?: string } };
      };
    };
    const user = body?.auth?.identity?.password?.user;
    if (
      req.method !== "POST" ||
      !body?.auth?.identity?.methods?.includes("password") ||
      !body.auth.scope?.project
    ) {
      return json(res, 400, { error: { code: "IAM.0010", message: "bad auth body" } });
    }
    if (
      !("userName" in auth) ||
      user?.name !== auth.userName ||
      user?.password !== auth.password ||
      user?.domain?.name !== auth.domainName
    ) {
      return json(res, 401, {
        error: { code: "IAM.0001", message: "The username or password is wrong." },
      });
    }
    const token = `MII-token-${++this.#tokenCounter}-${randomUUID()}`;
    this.#validTokens.add(token);
    const expiresAt = new Date(Date.now() + (auth.tokenLifetimeMs ?? 24 * 3_600_000)).toISOString();
    json(
      res,
      201,
      { token: { expires_at: expiresAt, project: { id: this.projectId } } },
      { "X-Subject-Token": token },
    );
  }

  #batchStatus(req: IncomingMessage, text: string, res: ServerResponse): void {
    const path = req.url ?? "";
    if (req.method !== "POST" || !path.endsWith("/jobs/batch-status"))
      return json(res, 404, { error_code: "APIG.0101", error_msg: "not found" });
    if (path !== batchStatusPath(this.projectId))
      return json(res, 403, { error_code: "DRS.M00261", error_msg: "invalid project ID" });
    const denied = this.#checkAuth(req, text);
    if (denied) return json(res, 401, denied);
    if (!String(req.headers["content-type"]).startsWith("application/json")) {
      return json(res, 400, {
        error_code: "DRS.M00007",
        error_msg: "invalid parameter: Content-Type",
      });
    }
    const body = tryJson(text) as
      { jobs?: unknown; page_req?: { cur_page?: unknown; per_page?: unknown } } | undefined;
    const jobs = body?.jobs;
    if (!Array.isArray(jobs) || jobs.length === 0)
      return json(res, 400, {
        error_code: "DRS.M00201",
        error_msg: "The jobs parameter is empty.",
      });
    if (jobs.length > MAX_PER_PAGE || !jobs.every((j) => typeof j === "string" && j !== "")) {
      return json(res, 400, {
        error_code: "DRS.M00202",
        error_msg: "The jobs parameter value is invalid.",
      });
    }
    const curPage = body?.page_req?.cur_page ?? 1;
    const perPage = body?.page_req?.per_page ?? 5;
    if (
      !Number.isInteger(perPage) ||
      (perPage as number) < 0 ||
      (perPage as number) > MAX_PER_PAGE
    ) {
      return json(res, 400, { error_code: "DRS.M00211", error_msg: "page over limit" });
    }
    let size = (perPage as number) === 0 ? jobs.length : (perPage as number);
    if (this.options.pageCap) size = Math.min(size, this.options.pageCap);
    const pages = Math.max(1, Math.ceil(jobs.length / size));
    if (!Number.isInteger(curPage) || (curPage as number) < 1 || (curPage as number) > pages) {
      return json(res, 400, { error_code: "DRS.M00210", error_msg: "invalid page" });
    }
    const start = ((curPage as number) - 1) * size;
    let results: QueryJobStatusResp[] = (jobs as string[])
      .slice(start, start + size)
      .map((id) => this.#result(id));
    results = results.filter((r) => !this.options.omitIds?.includes(r.id));
    results = results.filter((r) => {
      if (!this.options.omitOnceIds?.includes(r.id) || this.#omittedOnce.has(r.id)) return true;
      this.#omittedOnce.add(r.id);
      return false;
    });
    if (this.options.duplicateResults) results = results.flatMap((r) => [r, { ...r }]);
    json(res, 200, { results, count: this.options.count ?? results.length });
  }

  #result(id: string): QueryJobStatusResp {
    const job = this.options.jobs?.[id];
    if (!job) return { id, error_code: "DRS.M00289", error_message: "The job does not exist." };
    return { id, ...job };
  }

  /** An error body when the request's credentials are not acceptable. */
  #checkAuth(req: IncomingMessage, text: string): object | undefined {
    const auth = this.options.auth;
    if ("accessKey" in auth) {
      const date = parseSdkDate(String(req.headers["x-sdk-date"] ?? ""));
      if (!date || Math.abs(date.getTime() - Date.now()) > 15 * 60_000) {
        return {
          error_code: "APIG.0303",
          error_msg: "Incorrect app authentication information: request expired",
        };
      }
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, String(v)]),
      );
      const ok =
        String(req.headers.authorization ?? "").includes(`Access=${auth.accessKey},`) &&
        verifySignature(
          {
            method: req.method ?? "",
            url: `http://${req.headers.host}${req.url}`,
            headers,
            body: text,
          },
          auth.secretKey,
        );
      return ok
        ? undefined
        : {
            error_code: "APIG.0301",
            error_msg: "Incorrect IAM authentication information: verify aksk signature fail",
          };
    }
    const token = req.headers["x-auth-token"];
    if (typeof token === "string" && this.#validTokens.has(token)) return undefined;
    return { error_code: "APIG.0307", error_msg: "The token must be updated." };
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `n` job ids shaped like DRS ones, all INCRE_TRANSFER_STARTED unless `status` says otherwise. */
export function makeJobs(
  n: number,
  status = "INCRE_TRANSFER_STARTED",
): { ids: string[]; jobs: Record<string, FakeJob> } {
  const ids = Array.from(
    { length: n },
    (_, i) => `${String(i).padStart(8, "0")}-ee3e-49b8-a022-a099bd81jb21`,
  );
  return { ids, jobs: Object.fromEntries(ids.map((id) => [id, { status }])) };
}
