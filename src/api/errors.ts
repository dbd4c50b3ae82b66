import { InputError, type InputProblem } from "../util/input-error";
import { cleanJsonValue, cleanServiceText, type Secret } from "./secret";
import type { DrsErrorBody } from "./wire";

/** How much of a non-JSON body an error message quotes. */
export const BODY_EXCERPT_CHARS = 200;

export interface DrsApiErrorInit {
  /** What was being done, e.g. "DRS batch-status" or "IAM token request". */
  operation: string;
  httpStatus?: number;
  errorCode?: string;
  serviceMessage?: string;
  requestId?: string;
  retryable: boolean;
  /** Set for 429/503 answers that carried a usable `Retry-After`. */
  retryAfterMs?: number;
  /** Transport failures: the Node/axios code, e.g. ECONNRESET, ETIMEDOUT. */
  transportCode?: string;
  /** What the user should do next, appended to the message. */
  hint?: string;
  /** Where the credentials came from (`drs-jobs auth`'s source), named by a 401/403's hint. */
  credentialSource?: string;
}

/**
 * A request to DRS (or IAM) that did not succeed. Carries what Huawei support asks for (the
 * request id) and what the retry layer needs (`retryable`, `retryAfterMs`). It never holds the
 * request itself, so no header (token, signature) can leak through `cause` or inspection.
 */
export class DrsApiError extends Error {
  override readonly name = "DrsApiError";
  readonly operation: string;
  readonly httpStatus?: number;
  readonly errorCode?: string;
  readonly serviceMessage?: string;
  readonly requestId?: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly transportCode?: string;
  /** How many attempts were made before giving up; set by the retry layer. */
  attempts = 1;

  constructor(init: DrsApiErrorInit) {
    super(describe(init));
    this.operation = init.operation;
    this.httpStatus = init.httpStatus;
    this.errorCode = init.errorCode;
    this.serviceMessage = init.serviceMessage;
    this.requestId = init.requestId;
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs;
    this.transportCode = init.transportCode;
  }

  /** The message plus how hard we tried, for the final report. */
  withAttempts(attempts: number): this {
    this.attempts = attempts;
    if (attempts > 1) this.message += ` (gave up after ${attempts} attempts)`;
    return this;
  }
}

function describe(init: DrsApiErrorInit): string {
  const what = init.httpStatus !== undefined ? `HTTP ${init.httpStatus}` : "request failed";
  const code = init.errorCode ? ` ${init.errorCode}` : "";
  const said = init.serviceMessage ? `: ${init.serviceMessage}` : "";
  const id = init.requestId ? ` [request id ${init.requestId}]` : "";
  const hint = init.hint ?? hintFor(init.httpStatus, init.errorCode, init.credentialSource);
  return `${init.operation} ${what}${code}${said}${id}.${hint ? ` ${hint}` : ""}`;
}

/** What to do next, by HTTP status and DRS code. */
export function hintFor(
  httpStatus: number | undefined,
  errorCode: string | undefined,
  credentialSource?: string,
): string {
  if (errorCode === "DRS.M00261")
    return "Check the project id (HW_PROJECT_ID / --project-id) for this region.";
  if (errorCode === "APIG.0303")
    return "The request signature expired: check this machine's clock.";
  if (httpStatus === 401 || httpStatus === 403) {
    // Where they came from: a stack config or a profile file is not fixed by HW_* variables.
    const from =
      credentialSource === undefined || credentialSource === "HW_* environment"
        ? "(HW_AUTH_TOKEN, HW_ACCESS_KEY/HW_SECRET_KEY or HW_USER_NAME/HW_USER_PASSWORD/HW_DOMAIN_NAME)"
        : `from ${credentialSource}`;
    return `Check the credentials ${from}, their DRS permissions and the project id.`;
  }
  if (httpStatus === 404) return "Check the endpoint (HW_DRS_ENDPOINT / --endpoint) and region.";
  if (httpStatus === 429) return "The API gateway is throttling; retry later or poll less often.";
  if (httpStatus !== undefined && httpStatus >= 500) return "The service is failing; retry later.";
  if (httpStatus !== undefined && httpStatus >= 300 && httpStatus < 400) {
    return "Redirects are not followed (credentials would leak); check the endpoint URL.";
  }
  if (httpStatus === 400) return "Check the job ids and request parameters.";
  return "";
}

export interface ParsedErrorBody {
  errorCode?: string;
  serviceMessage?: string;
}

/**
 * Reads both error shapes (`error_code`/`error_msg` and `error.code`/`error.message`). A body
 * that is not JSON is quoted as a short excerpt so the user sees what answered (often an HTML
 * page from a proxy or the wrong host). Every string is cleaned (`cleanServiceText`) after
 * parsing, never before: in the raw JSON an ESC is still the text `\u001b`.
 */
export function parseErrorBody(
  text: string,
  secrets: readonly (Secret | undefined)[] = [],
): ParsedErrorBody {
  const trimmed = text.trim();
  if (trimmed === "") return {};
  let body: unknown;
  try {
    body = JSON.parse(trimmed);
  } catch {
    return { serviceMessage: `non-JSON response: ${excerpt(cleanServiceText(trimmed, secrets))}` };
  }
  if (body === null || typeof body !== "object") {
    return { serviceMessage: `unexpected response: ${quoteJson(body, secrets)}` };
  }
  const shaped = body as DrsErrorBody & { error_message?: unknown };
  const code = stringOr(shaped.error_code) ?? stringOr(shaped.error?.code);
  const message =
    stringOr(shaped.error_msg) ?? stringOr(shaped.error_message) ?? stringOr(shaped.error?.message);
  if (code === undefined && message === undefined) {
    return { serviceMessage: `unexpected response: ${quoteJson(body, secrets)}` };
  }
  return {
    errorCode: code === undefined ? undefined : cleanServiceText(code, secrets),
    serviceMessage: message === undefined ? undefined : cleanServiceText(message, secrets),
  };
}

function quoteJson(body: unknown, secrets: readonly (Secret | undefined)[]): string {
  return excerpt(JSON.stringify(cleanJsonValue(body, secrets)));
}

export function excerpt(text: string, max = BODY_EXCERPT_CHARS): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max)}…`;
}

function stringOr(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * Settings that are missing or contradict each other: an InputError whose problems each say
 * which option or environment variable to set.
 */
export class DrsSettingsError extends InputError {
  override readonly name: string = "DrsSettingsError";

  constructor(problems: readonly InputProblem[]) {
    super(problems, "DRS settings");
  }
}

/**
 * A credential source that is configured but cannot work: half configured (an AK without its
 * SK, an IdP id without a token file), an unreadable profile file, an ID token file that is
 * gone. The CLI exits 4 on it, as on any failure to authenticate.
 */
export class DrsCredentialsError extends DrsSettingsError {
  override readonly name = "DrsCredentialsError";
}
