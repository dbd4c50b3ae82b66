// Request counters and a request log for tests that assert "the client sent one request per
// 100 jobs" or "it retried twice". Secrets never enter here: the log keeps the auth mode and
// at most a masked access key, never a token, signature, password or secret key.
import type { PageReq } from "../api/wire";

export type RequestKind =
  | "batch-status"
  | "batch-progress"
  | "compare"
  | "iam-token"
  | "iam-projects"
  | "iam-federation"
  | "ecs-metadata"
  | "not-found";
export type AuthMode =
  "none" | "token" | "iam-token" | "aksk" | "password" | "federation" | "missing" | "invalid";

export interface RequestLogEntry {
  seq: number;
  /** ISO time on the simulator clock when the request arrived. */
  time: string;
  method: string;
  path: string;
  kind: RequestKind;
  requestId: string;
  /** 0 when no answer was sent (a dropped or hung connection). */
  status: number;
  durationMs: number;
  /**
   * Request headers a test may check, by lower-case name: content-type, host, user-agent,
   * x-language, x-project-id, x-sdk-date, x-sdk-content-sha256 as sent (at most 200
   * characters); authorization, x-auth-token and x-security-token as "***" when present.
   */
  headers?: Record<string, string>;
  authMode?: AuthMode;
  /** The names an AK/SK signature covers (its SignedHeaders). */
  signedHeaders?: string[];
  /** The first 4 characters of the access key, then "***". */
  accessKey?: string;
  userName?: string;
  /** IAM: the project the token was asked for, by ID or by name, as the body scoped it. */
  scope?: { id?: string; name?: string };
  jobCount?: number;
  pageReq?: PageReq;
  errorCode?: string;
  /** The ID and effect of the fault that hit this request. */
  fault?: string;
}

export interface RequestCounters {
  total: number;
  byKind: Record<string, number>;
  byPath: Record<string, number>;
  byStatus: Record<string, number>;
}

const DEFAULT_LOG_LIMIT = 10_000;

export class RequestStats {
  private counters = emptyCounters();
  private log: RequestLogEntry[] = [];
  private seq = 0;

  constructor(private readonly logLimit = DEFAULT_LOG_LIMIT) {}

  /** Counts the request now; the entry is completed in place and logged when it ends. */
  begin(entry: Omit<RequestLogEntry, "seq" | "status" | "durationMs">): RequestLogEntry {
    const full: RequestLogEntry = { ...entry, seq: ++this.seq, status: 0, durationMs: 0 };
    this.counters.total += 1;
    bump(this.counters.byKind, entry.kind);
    bump(this.counters.byPath, entry.path);
    return full;
  }

  end(entry: RequestLogEntry, status: number, durationMs: number): void {
    entry.status = status;
    entry.durationMs = Math.round(durationMs);
    bump(this.counters.byStatus, String(status));
    this.log.push(entry);
    // A long benchmark must not grow memory without bound: keep the newest entries.
    if (this.log.length > this.logLimit * 1.5) this.log = this.log.slice(-this.logLimit);
  }

  snapshot(): RequestCounters {
    return structuredClone(this.counters);
  }

  entries(limit?: number): RequestLogEntry[] {
    const tail = this.log.slice(-this.logLimit);
    return structuredClone(limit === undefined ? tail : limit <= 0 ? [] : tail.slice(-limit));
  }

  resetCounters(): void {
    this.counters = emptyCounters();
  }

  clearLog(): void {
    this.log = [];
  }
}

function emptyCounters(): RequestCounters {
  return { total: 0, byKind: {}, byPath: {}, byStatus: {} };
}

function bump(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

export function maskKey(accessKey: string): string {
  return `${accessKey.slice(0, 4)}***`;
}

const LOGGED_HEADERS = [
  "content-type",
  "host",
  "user-agent",
  "x-language",
  "x-project-id",
  "x-sdk-date",
  "x-sdk-content-sha256",
];
const SECRET_HEADERS = ["authorization", "x-auth-token", "x-security-token"];
const MAX_HEADER_CHARS = 200;

/**
 * The headers the request log keeps: an allowlist, so a secret a client puts in some other
 * header is never stored either; credential headers only as "***" (sent or not).
 */
export function loggedHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of LOGGED_HEADERS) {
    const value = headers[name];
    if (value !== undefined) {
      kept[name] = (Array.isArray(value) ? value.join(", ") : value).slice(0, MAX_HEADER_CHARS);
    }
  }
  for (const name of SECRET_HEADERS) if (headers[name] !== undefined) kept[name] = "***";
  return kept;
}
