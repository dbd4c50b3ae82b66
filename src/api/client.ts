// DrsClient: the only code that speaks HTTP to DRS. One axios instance per client; settings,
// auth, retries and the batch logic are separate modules this composes.
import { inspect } from "node:util";
import type { AxiosInstance } from "axios";
import { createAuthenticator, settingsSecrets, type Authenticator } from "./auth";
import { AUTH_TOKEN_HEADER } from "./auth/token";
import { collectStatuses } from "./batch";
import { DrsApiError, excerpt } from "./errors";
import { createAxios, responseError, send, type HttpRequest, type HttpResponse } from "./http";
import { DEFAULT_RETRY_OPTIONS, withRetries, type RetryOptions } from "./retry";
import { cleanServiceText, redactSecrets, Secret } from "./secret";
import {
  describeSettings,
  resolveSettings,
  settingsKey,
  type DrsSettings,
  type DrsSettingsInput,
} from "./settings";
import { InputError } from "../util/input-error";
import { validateJobIds } from "./job-ids";
import { missingObservation, observe, type JobObservation } from "./status";
import {
  batchStatusPath,
  MAX_PER_PAGE,
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
  readonly #http: AxiosInstance;
  readonly #auth: Authenticator;
  readonly #retry: RetryOptions;
  /** HTTP requests sent to DRS (attempts included); for diagnostics and tests. */
  requestCount = 0;

  constructor(options: DrsClientOptions = {}) {
    this.settings = options.settings ?? resolveSettings(options);
    this.key = settingsKey(this.settings);
    this.#retry = { ...DEFAULT_RETRY_OPTIONS, retries: this.settings.maxRetries, ...options.retry };
    this.#http = createAxios();
    this.#auth = createAuthenticator(this.settings, this.#http, this.#retry);
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
    const request: HttpRequest = {
      method: "POST",
      url: `${this.settings.endpoint}${batchStatusPath(this.settings.projectId)}`,
      headers: { "Content-Type": "application/json", "X-Language": this.settings.language },
      body: JSON.stringify(body),
    };
    let attempts = 0;
    const answer = await withRetries(
      async (attempt) => {
        attempts = attempt;
        let response = await this.#sendAuthorized(request, options.signal);
        // A revoked IAM token: fetch a new one and try once more, outside the retry budget.
        if (response.status === 401 && this.#auth.credentialRejected(response.sentHeaders)) {
          response = await this.#sendAuthorized(request, options.signal);
        }
        if (response.status < 200 || response.status >= 300) {
          throw responseError(response, OPERATION, this.#secrets(response.sentHeaders));
        }
        const secrets = this.#secrets(response.sentHeaders);
        return { response: parseBatchStatus(response, secrets), requestId: response.requestId };
      },
      this.#retry,
      options.signal,
    );
    return { ...answer, attempts };
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
    const ids = validateJobIds(jobIds);
    const collected = await collectStatuses(ids, async (chunkIds, pageReq) => {
      return (await this.batchStatusPage(chunkIds, pageReq, options)).response;
    });
    return ids.map((id) => {
      const result = collected.results.get(id);
      return result ? observe(result) : missingObservation(id, collected.requests);
    });
  }

  async #sendAuthorized(
    request: HttpRequest,
    signal: AbortSignal | undefined,
  ): Promise<HttpResponse & { sentHeaders: Record<string, string> }> {
    const authHeaders = await this.#auth.authorize(request, signal);
    const sentHeaders = { ...request.headers, ...authHeaders };
    this.requestCount += 1;
    const response = await send(
      this.#http,
      { ...request, headers: sentHeaders },
      {
        operation: OPERATION,
        timeoutMs: this.settings.requestTimeoutMs,
        signal,
        secrets: this.#secrets(sentHeaders),
      },
    );
    return { ...response, sentHeaders };
  }

  #secrets(sentHeaders: Record<string, string>): Secret[] {
    const fromHeaders = SENSITIVE_HEADERS.map((name) => sentHeaders[name])
      .filter((value): value is string => typeof value === "string")
      .map((value) => new Secret(value));
    return [
      ...settingsSecrets(this.settings).filter((s): s is Secret => s !== undefined),
      ...fromHeaders,
    ];
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
  const quote = () => excerpt(redactSecrets(response.body, secrets));
  let body: unknown;
  const text = response.body.trim();
  // An empty or garbled JSON answer is a transient fault (a proxy or the service slipped):
  // retry it. Anything else that does not parse (an HTML portal, the wrong host) is not.
  if (text === "") throw unexpected(response, "empty response body", true);
  try {
    body = JSON.parse(text);
  } catch {
    const garbled = text.startsWith("{") || text.startsWith("[");
    throw unexpected(
      response,
      `${garbled ? "malformed JSON" : "non-JSON"} response: ${quote()}`,
      garbled,
    );
  }
  const results = (body as { results?: unknown } | null)?.results;
  if (!Array.isArray(results)) throw unexpected(response, `no "results" array: ${quote()}`);
  const valid = results
    .filter(
      (r): r is QueryJobStatusResp =>
        r !== null && typeof r === "object" && typeof (r as { id?: unknown }).id === "string",
    )
    .map((r) => cleanResult(r, secrets));
  const count = (body as { count?: unknown }).count;
  return { results: valid, count: typeof count === "number" ? count : valid.length };
}

/** What the service says about a job reaches terminals and logs: clean it once, here. */
function cleanResult(result: QueryJobStatusResp, secrets: Secret[]): QueryJobStatusResp {
  const clean = (value: unknown) =>
    typeof value === "string" ? cleanServiceText(value, secrets) : undefined;
  return {
    ...result,
    status: clean(result.status),
    error_code: clean(result.error_code),
    error_message: clean(result.error_message),
  };
}

function unexpected(response: HttpResponse, message: string, retryable = false): DrsApiError {
  return new DrsApiError({
    operation: OPERATION,
    httpStatus: response.status,
    requestId: response.requestId,
    serviceMessage: message,
    retryable,
    hint: retryable
      ? "The answer was garbled on the way; it is retried."
      : "Check the endpoint (HW_DRS_ENDPOINT / --endpoint) points at DRS.",
  });
}
