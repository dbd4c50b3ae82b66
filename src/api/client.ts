// DrsClient: the only code that speaks HTTP to DRS. One axios instance per client; settings,
// auth, retries and the batch logic are separate modules this composes.
import { inspect } from "node:util";
import { connect, type Authenticator, type Connection } from "./auth";
import { AUTH_TOKEN_HEADER } from "./auth/token";
import { collectStatuses } from "./batch";
import {
  collectPages,
  COMPARE_OPERATION,
  parseComparisonList,
  parseCreated,
  parseDetail,
  parseObjectOverview,
  parseOverview,
  type Comparison,
  type DatabaseComparison,
  type ObjectComparison,
  type TableComparison,
} from "./compare";
import { parseJsonBody, quoteBody, unexpected } from "./body";
import { DrsApiError } from "./errors";
import { Http, responseError, send, type HttpRequest, type HttpResponse } from "./http";
import {
  collectProgress,
  missingProgressEntry,
  parseBatchProgress,
  PROGRESS_OPERATION,
  type JobProgressEntry,
} from "./progress";
import { DEFAULT_RETRY_OPTIONS, withRetries, type RetryOptions } from "./retry";
import { cleanServiceText, Secret } from "./secret";
import {
  describeSettings,
  resolveSettings,
  settingsKey,
  type DrsSettings,
  type DrsSettingsInput,
} from "./settings";
import { InputError } from "../util/input-error";
import { asJobIds, validateJobIds } from "./job-ids";
import { missingObservation, observe, type JobObservation } from "./status";
import {
  batchProgressPath,
  batchStatusPath,
  compareViewPath,
  MAX_COMPARE_PAGE,
  MAX_PER_PAGE,
  objectComparePath,
  tableComparePath,
  type CreateDataLevelTableCompareJobReq,
  type DataCompareType,
  type BatchProgressRequest,
  type BatchStatusRequest,
  type BatchStatusResponse,
  type PageReq,
  type QueryJobStatusResp,
} from "./wire";

const OPERATION = "DRS batch-status";
const SENSITIVE_HEADERS = [AUTH_TOKEN_HEADER, "Authorization", "X-Security-Token"];

export interface DrsClientOptions extends DrsSettingsInput {
  /** Already resolved settings; when given, the other settings fields are ignored. */
  settings?: DrsSettings;
  /** Backoff tuning; `retries` defaults to the settings' maxRetries (HW_MAX_RETRIES). */
  retry?: Partial<RetryOptions>;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** Told of each attempt that failed (a retry may follow): why a slow answer is slow. */
  onFailedAttempt?: (error: DrsApiError) => void;
}

export interface BatchStatusPageResult {
  response: BatchStatusResponse;
  /** `X-Request-Id` of the answer, what Huawei support asks for. */
  requestId?: string;
  attempts: number;
}

export class DrsClient {
  readonly settings: DrsSettings;
  /** Same value for clients that talk to the same endpoint/project with the same credentials. */
  readonly key: string;
  readonly #http: Http;
  readonly #connection: Connection;
  readonly #retry: RetryOptions;
  readonly #headerSecrets = new Map<string, Secret>();
  /** How long one request may take: a wait of `timeout: 0` waits for one answer this long. */
  get requestTimeoutMs(): number {
    return this.settings.requestTimeoutMs;
  }
  /** HTTP requests sent to DRS (attempts included); for diagnostics and tests. */
  requestCount = 0;

  constructor(options: DrsClientOptions = {}) {
    this.settings = options.settings ?? resolveSettings(options);
    this.key = settingsKey(this.settings);
    this.#retry = { ...DEFAULT_RETRY_OPTIONS, retries: this.settings.maxRetries, ...options.retry };
    this.#http = new Http();
    this.#connection = connect(this.settings, this.#http, this.#retry);
  }

  /**
   * One batch-status request (retried on transient faults) with the caller's `page_req`, the
   * response as the service sent it. At most 100 job ids.
   */
  async batchStatusPage(
    jobIds: readonly string[],
    pageReq: PageReq,
    options: RequestOptions = {},
  ): Promise<BatchStatusPageResult> {
    if (jobIds.length === 0 || jobIds.length > MAX_PER_PAGE) {
      throw new InputError({
        field: "jobIds",
        reason: `batchStatusPage takes 1 to ${MAX_PER_PAGE} job ids, got ${jobIds.length}`,
      });
    }
    const body: BatchStatusRequest = { jobs: [...jobIds], page_req: pageReq };
    return this.#post(OPERATION, batchStatusPath, body, options, parseBatchStatus);
  }

  /**
   * What DRS says about every distinct job in `jobIds`, in the order given: ceil(N/100)
   * requests when the service behaves. Jobs the service leaves out even when asked again come
   * back `missing`, with code DRS.CLIENT.MISSING, so the caller always gets one per job.
   * Readiness is the caller's to judge (`judge` with its targets).
   */
  async batchStatus(
    jobIds: readonly string[],
    options: RequestOptions = {},
  ): Promise<JobObservation[]> {
    // Checked once: a poller's list (already checked) passes through, a caller's is checked.
    const ids = asJobIds(jobIds);
    const collected = await collectStatuses(ids, async (chunkIds, pageReq) => {
      return (await this.batchStatusPage(chunkIds, pageReq, options)).response;
    });
    return ids.map((id, position) => {
      const result = collected.results[position];
      return result ? observe(result) : missingObservation(id, collected.requests);
    });
  }

  /**
   * The progress of every distinct job in `jobIds`, in the order given: ceil(N/100)
   * batch-progress requests when the service behaves. A job the service leaves out even when
   * asked again comes back with `missing: true`; a per-job `error_code` is that job's error.
   */
  async batchProgress(
    jobIds: readonly string[],
    options: RequestOptions = {},
  ): Promise<JobProgressEntry[]> {
    const ids = asJobIds(jobIds);
    const collected = await collectProgress(ids, async (chunkIds) => {
      const body: BatchProgressRequest = { jobs: chunkIds };
      const post = this.#post(
        PROGRESS_OPERATION,
        batchProgressPath,
        body,
        options,
        parseBatchProgress,
      );
      return (await post).response;
    });
    return ids.map(
      (id) => collected.results.get(id) ?? missingProgressEntry(id, collected.requests),
    );
  }

  /**
   * Starts a data-level comparison of `jobId` now (`POST table/compare`); its compare job id.
   * DRS refuses it (400) while the job has an unfinished one.
   */
  async createComparison(
    jobId: string,
    type: DataCompareType,
    options: RequestOptions = {},
  ): Promise<string> {
    const [id] = validateJobIds([jobId]);
    const body: CreateDataLevelTableCompareJobReq = { type };
    const path = (projectId: string) => tableComparePath(projectId, id);
    return (await this.#request("POST", COMPARE_OPERATION, path, body, options, parseCreated))
      .response;
  }

  /** Starts an object-level comparison of `jobId` (`POST object/compare`, which answers `{}`). */
  async createObjectComparison(jobId: string, options: RequestOptions = {}): Promise<void> {
    const [id] = validateJobIds([jobId]);
    const path = (projectId: string) => objectComparePath(projectId, id);
    await this.#request("POST", COMPARE_OPERATION, path, {}, options, () => undefined);
  }

  /** Every data-level comparison of `jobId` (`GET table/compare`, pages followed). */
  async listComparisons(jobId: string, options: RequestOptions = {}): Promise<Comparison[]> {
    const [id] = validateJobIds([jobId]);
    return collectPages((offset) =>
      this.#get((p) => tableComparePath(p, id), { offset }, options, parseComparisonList),
    );
  }

  /** Per database: a comparison's totals (line-overview or content-overview, pages followed). */
  async comparisonOverview(
    jobId: string,
    compareJobId: string,
    type: DataCompareType,
    options: RequestOptions = {},
  ): Promise<DatabaseComparison[]> {
    const [id] = validateJobIds([jobId]);
    const view = type === "lines" ? "line-overview" : "content-overview";
    return collectPages((offset) =>
      this.#get(
        (p) => compareViewPath(p, id, compareJobId, view),
        { offset },
        options,
        parseOverview(view),
      ),
    );
  }

  /**
   * Per table of database `db`: a comparison's results (line-detail or content-detail, pages
   * followed). `which` picks the tables DRS compared or those it could not compare.
   */
  async comparisonDetail(
    jobId: string,
    compareJobId: string,
    type: DataCompareType,
    db: string,
    which: "compare" | "unCompare" = "compare",
    options: RequestOptions = {},
  ): Promise<TableComparison[]> {
    const [id] = validateJobIds([jobId]);
    const view = type === "lines" ? "line-detail" : "content-detail";
    return collectPages((offset) =>
      this.#get(
        (p) => compareViewPath(p, id, compareJobId, view),
        { db_name: db, type: which, offset },
        options,
        parseDetail(view, db),
      ),
    );
  }

  /** The job's latest object-level comparison (`GET object/compare`), undefined if none. */
  async objectComparison(
    jobId: string,
    options: RequestOptions = {},
  ): Promise<ObjectComparison | undefined> {
    const [id] = validateJobIds([jobId]);
    const path = (p: string) => objectComparePath(p, id);
    return (
      await this.#request("GET", COMPARE_OPERATION, path, undefined, options, parseObjectOverview)
    ).response;
  }

  /** A GET with `limit` at the maximum and `query`, answering one parsed page. */
  async #get<T>(
    path: (projectId: string) => string,
    query: Record<string, string | number>,
    options: RequestOptions,
    parse: (response: HttpResponse, secrets: Secret[]) => T,
  ): Promise<T> {
    const search = new URLSearchParams({ limit: String(MAX_COMPARE_PAGE) });
    for (const [key, value] of Object.entries(query)) search.set(key, String(value));
    const withQuery = (projectId: string) => `${path(projectId)}?${search.toString()}`;
    return (await this.#request("GET", COMPARE_OPERATION, withQuery, undefined, options, parse))
      .response;
  }

  /**
   * One POST to DRS, authorized and retried on transient faults; any 2xx answer is parsed
   * (some editions answer 202 where the page says 200).
   */
  #post<T>(
    operation: string,
    path: (projectId: string) => string,
    body: object,
    options: RequestOptions,
    parse: (response: HttpResponse, secrets: Secret[]) => T,
  ): Promise<{ response: T; requestId?: string; attempts: number }> {
    return this.#request("POST", operation, path, body, options, parse);
  }

  /**
   * One call to DRS (a GET when `body` is undefined), authorized and retried on transient
   * faults; any 2xx answer is parsed. Every DRS call goes through here.
   */
  async #request<T>(
    method: "POST" | "GET",
    operation: string,
    path: (projectId: string) => string,
    body: object | undefined,
    options: RequestOptions,
    parse: (response: HttpResponse, secrets: Secret[]) => T,
  ): Promise<{ response: T; requestId?: string; attempts: number }> {
    const { projectId, auth } = await this.#connection.authorize(options.signal);
    const request: HttpRequest = {
      method,
      url: `${this.settings.endpoint}${path(projectId)}`,
      headers: { "Content-Type": "application/json", "X-Language": this.settings.language },
      body: body === undefined ? "" : JSON.stringify(body),
    };
    let attempts = 0;
    const answer = await withRetries(
      toldOfFailures(options, async (attempt) => {
        attempts = attempt;
        let response = await this.#sendAuthorized(auth, request, operation, options.signal);
        // A revoked IAM token or expired temporary keys: fetch new ones and try once more,
        // outside the retry budget.
        if (response.status === 401 && auth.credentialRejected(response.sentHeaders, response)) {
          response = await this.#sendAuthorized(auth, request, operation, options.signal);
        }
        if (response.status < 200 || response.status >= 300) {
          throw responseError(
            response,
            operation,
            response.secrets,
            this.settings.credentialSource,
          );
        }
        return { response: parse(response, response.secrets), requestId: response.requestId };
      }),
      this.#retry,
      options.signal,
    );
    return { ...answer, attempts };
  }

  /** The project id: as given, or looked up in IAM by region on first use (once per process). */
  projectId(signal?: AbortSignal): Promise<string> {
    return this.#connection.authorize(signal).then((a) => a.projectId);
  }

  async #sendAuthorized(
    auth: Authenticator,
    request: HttpRequest,
    operation: string,
    signal: AbortSignal | undefined,
  ): Promise<HttpResponse & { sentHeaders: Record<string, string>; secrets: Secret[] }> {
    const authHeaders = await auth.authorize(request, signal);
    const sentHeaders = { ...request.headers, ...authHeaders };
    // Once per attempt: the send, the parse and any error redact with the same list.
    const secrets = this.#secrets(sentHeaders);
    this.requestCount += 1;
    const response = await send(
      this.#http,
      { ...request, headers: sentHeaders },
      { operation, timeoutMs: this.settings.requestTimeoutMs, signal, secrets },
    );
    return { ...response, sentHeaders, secrets };
  }

  #secrets(sentHeaders: Record<string, string>): Secret[] {
    const secrets = [...this.#connection.secrets()];
    for (const name of SENSITIVE_HEADERS) {
      const value = sentHeaders[name];
      if (typeof value === "string") secrets.push(this.#headerSecret(value));
    }
    return secrets;
  }

  /**
   * The same Secret for the same header value (a token is sent for hours): redaction caches
   * each secret's JSON-escaped form on the Secret, so a new one per request would redo it.
   */
  #headerSecret(value: string): Secret {
    let secret = this.#headerSecrets.get(value);
    if (secret === undefined) {
      // Rotated credentials leave old values behind; a handful is all one client sends at once.
      if (this.#headerSecrets.size >= 8) this.#headerSecrets.clear();
      secret = new Secret(value);
      this.#headerSecrets.set(value, secret);
    }
    return secret;
  }

  [inspect.custom](): string {
    return `DrsClient(${describeSettings(this.settings)})`;
  }

  toJSON(): object {
    return { endpoint: this.settings.endpoint, projectId: this.settings.projectId };
  }
}

/** The answer's body, checked for the shape we rely on; stray entries are dropped. */
function parseBatchStatus(response: HttpResponse, secrets: Secret[]): BatchStatusResponse {
  const body = parseJsonBody(response, secrets, OPERATION);
  const results = (body as { results?: unknown } | null)?.results;
  if (!Array.isArray(results)) {
    throw unexpected(response, OPERATION, `no "results" array: ${quoteBody(response, secrets)}`);
  }
  const valid: QueryJobStatusResp[] = [];
  for (const r of results as unknown[]) {
    if (r !== null && typeof r === "object" && typeof (r as { id?: unknown }).id === "string") {
      valid.push(cleanResult(r as QueryJobStatusResp, secrets));
    }
  }
  const count = (body as { count?: unknown }).count;
  return { results: valid, count: typeof count === "number" ? count : valid.length };
}

/**
 * What the service says about a job reaches terminals and logs: clean it once, here. A result
 * with nothing to clean (nearly all) is returned as parsed: JSON.parse made it, nobody else
 * holds it, and a copy per job per poll is what a wait of 10,000 jobs cannot afford.
 */
function cleanResult(result: QueryJobStatusResp, secrets: Secret[]): QueryJobStatusResp {
  const status = cleanField(result.status, secrets);
  const errorCode = cleanField(result.error_code, secrets);
  const errorMessage = cleanField(result.error_message, secrets);
  if (
    status === result.status &&
    errorCode === result.error_code &&
    errorMessage === result.error_message
  ) {
    return result;
  }
  return { ...result, status, error_code: errorCode, error_message: errorMessage };
}

/** A string field cleaned; anything else (a number, an object) is not read as a string. */
function cleanField(value: unknown, secrets: Secret[]): string | undefined {
  return typeof value === "string" ? cleanServiceText(value, secrets) : undefined;
}

/** `attempt`, telling `options.onFailedAttempt` of each DRS error it ends with (not an abort). */
function toldOfFailures<T>(
  options: RequestOptions,
  attempt: (attemptNumber: number) => Promise<T>,
): (attemptNumber: number) => Promise<T> {
  if (!options.onFailedAttempt) return attempt;
  return async (attemptNumber) => {
    try {
      return await attempt(attemptNumber);
    } catch (err) {
      if (err instanceof DrsApiError && !options.signal?.aborted) options.onFailedAttempt?.(err);
      throw err;
    }
  };
}
