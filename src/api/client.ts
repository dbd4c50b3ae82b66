// DrsClient: the only code that speaks HTTP to DRS. One axios instance per client; settings,
// auth, retries and the batch logic are separate modules this composes.
import { inspect } from "node:util";
import type { AxiosInstance } from "axios";
import {
  createAuthenticator,
  createKeySource,
  lookupProjectId,
  settingsSecrets,
  type Authenticator,
  type KeySource,
} from "./auth";
import { abortable } from "./auth/keys";
import { AUTH_TOKEN_HEADER } from "./auth/token";
import { collectStatuses, distinctJobIds } from "./batch";
import { DrsApiError, excerpt } from "./errors";
import { createAxios, responseError, send, type HttpRequest, type HttpResponse } from "./http";
import { DEFAULT_RETRY_OPTIONS, withRetries, type RetryOptions } from "./retry";
import { redactSecrets, Secret } from "./secret";
import {
  credentialsKey,
  describeSettings,
  resolveSettings,
  settingsKey,
  type DrsSettings,
  type DrsSettingsInput,
} from "./settings";
import { classify, missingEntry, targetSet, type JobStatusEntry } from "./status";
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
  /** Statuses that count as `ready`. Default FULL_TRANSFER_COMPLETE, INCRE_TRANSFER_STARTED. */
  targetStatuses?: Iterable<string>;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface BatchStatusOptions extends RequestOptions {
  /** Overrides the client's target statuses for this call. */
  targetStatuses?: Iterable<string>;
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
  readonly #keys?: KeySource;
  #auth?: Promise<{ projectId: string; auth: Authenticator }>;
  readonly #retry: RetryOptions;
  readonly #targets: Set<string>;
  /** HTTP requests sent to DRS (attempts included); for diagnostics and tests. */
  requestCount = 0;

  constructor(options: DrsClientOptions = {}) {
    this.settings = options.settings ?? resolveSettings(options);
    this.key = settingsKey(this.settings);
    this.#retry = { ...DEFAULT_RETRY_OPTIONS, retries: this.settings.maxRetries, ...options.retry };
    this.#http = createAxios();
    this.#keys = createKeySource(
      this.settings.credentials,
      this.#http,
      this.#retry,
      this.settings.requestTimeoutMs,
    );
    this.#targets = targetSet(options.targetStatuses);
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
      throw new RangeError(
        `batchStatusPage takes 1 to ${MAX_PER_PAGE} job ids, got ${jobIds.length}`,
      );
    }
    const body: BatchStatusRequest = { jobs: [...jobIds], page_req: pageReq };
    const { projectId, auth } = await this.#authenticator(options.signal);
    const request: HttpRequest = {
      method: "POST",
      url: `${this.settings.endpoint}${batchStatusPath(projectId)}`,
      headers: { "Content-Type": "application/json", "X-Language": this.settings.language },
      body: JSON.stringify(body),
    };
    let attempts = 0;
    const answer = await withRetries(
      async (attempt) => {
        attempts = attempt;
        let response = await this.#sendAuthorized(auth, request, options.signal);
        // A revoked IAM token or expired temporary keys: fetch new ones and try once more,
        // outside the retry budget.
        if (response.status === 401 && auth.credentialRejected(response.sentHeaders, response)) {
          response = await this.#sendAuthorized(auth, request, options.signal);
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
   * The status of every distinct job in `jobIds`, in the order given: ceil(N/100) requests when
   * the service behaves. Jobs the service leaves out even when asked again come back as
   * `failed` entries with code DRS.CLIENT.MISSING, so the caller always gets one per job.
   */
  async batchStatus(
    jobIds: readonly string[],
    options: BatchStatusOptions = {},
  ): Promise<JobStatusEntry[]> {
    const ids = distinctJobIds(jobIds);
    if (ids.length === 0) return [];
    const targets = options.targetStatuses ? targetSet(options.targetStatuses) : this.#targets;
    const collected = await collectStatuses(ids, async (chunkIds, pageReq) => {
      return (await this.batchStatusPage(chunkIds, pageReq, options)).response;
    });
    return ids.map((id) => {
      const result = collected.results.get(id);
      return result ? classify(result, targets) : missingEntry(id, collected.requests);
    });
  }

  /** The project id: as given, or looked up in IAM by region on first use (once per process). */
  projectId(signal?: AbortSignal): Promise<string> {
    return this.#authenticator(signal).then((a) => a.projectId);
  }

  #authenticator(signal?: AbortSignal): Promise<{ projectId: string; auth: Authenticator }> {
    if (!this.#auth) {
      const s = this.settings;
      const made = (async () => {
        const projectId =
          s.projectId ??
          (await lookupProjectId({
            iamEndpoint: s.iamEndpoint,
            region: s.region!,
            keys: this.#keys!,
            identity: credentialsKey(s.credentials),
            http: this.#http,
            retry: this.#retry,
            timeoutMs: s.requestTimeoutMs,
          }));
        return {
          projectId,
          auth: createAuthenticator(s, projectId, this.#keys, this.#http, this.#retry),
        };
      })();
      this.#auth = made;
      // A failed lookup is not kept: the next call asks again.
      made.catch(() => {
        if (this.#auth === made) this.#auth = undefined;
      });
    }
    return abortable(this.#auth, signal);
  }

  async #sendAuthorized(
    auth: Authenticator,
    request: HttpRequest,
    signal: AbortSignal | undefined,
  ): Promise<HttpResponse & { sentHeaders: Record<string, string> }> {
    const authHeaders = await auth.authorize(request, signal);
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
    return [...settingsSecrets(this.settings), ...(this.#keys?.secrets() ?? []), ...fromHeaders];
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
  const valid = results.filter(
    (r): r is QueryJobStatusResp =>
      r !== null && typeof r === "object" && typeof (r as { id?: unknown }).id === "string",
  );
  const count = (body as { count?: unknown }).count;
  return { results: valid, count: typeof count === "number" ? count : valid.length };
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
