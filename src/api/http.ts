// One HTTP exchange over axios, with the safety rules every call to DRS or IAM shares: no
// redirects (they would carry credentials elsewhere), a capped body, a per-request deadline,
// an AbortSignal, and failures turned into DrsApiError without the request attached.
import type { AxiosInstance, AxiosStatic } from "axios";
import { DrsApiError, parseErrorBody } from "./errors";
import { parseRetryAfter, RETRYABLE_HTTP_STATUSES } from "./retry";
import type { Secret } from "./secret";
import { PACKAGE_NAME, PACKAGE_VERSION } from "../util/package-info";

/** Larger bodies are refused; a batch of 100 statuses is a few KiB. */
export const MAX_RESPONSE_BYTES = 5 * 1024 * 1024;

export const USER_AGENT = `${PACKAGE_NAME}/${PACKAGE_VERSION} (node ${process.versions.node})`;

export interface HttpRequest {
  method: "POST" | "GET" | "PUT";
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  requestId?: string;
}

export interface SendOptions {
  /** Names the call in errors, e.g. "DRS batch-status". */
  operation: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Redacted from anything quoted back (error bodies). */
  secrets: readonly (Secret | undefined)[];
}

/**
 * Where requests go: one axios instance with the rules above, made on the first request.
 * axios and the ~50 modules it loads (form-data, mime-db, proxy agents) are required then, not
 * with the package: a Pulumi program or a preview loads this package and sends nothing.
 */
export class Http {
  #instance: AxiosInstance | undefined;

  get instance(): AxiosInstance {
    if (this.#instance === undefined) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const axios = (require("axios") as { default: AxiosStatic }).default;
      this.#instance = axios.create({
        maxRedirects: 0,
        maxContentLength: MAX_RESPONSE_BYTES,
        maxBodyLength: MAX_RESPONSE_BYTES,
        // We read status codes and bodies ourselves, as text, so non-JSON answers can be quoted.
        validateStatus: () => true,
        responseType: "text",
        transformResponse: [(data: unknown) => data],
        // `send` passes a body already serialized (or none); axios' default would JSON.parse
        // every JSON request body again only to check it, a parse per request for nothing.
        transformRequest: [(data: unknown) => data],
        decompress: true,
      });
    }
    return this.#instance;
  }
}

/** Sends once. Resolves for every HTTP status; rejects on transport failure or abort. */
export async function send(
  http: Http,
  request: HttpRequest,
  options: SendOptions,
): Promise<HttpResponse> {
  // A total deadline (axios' own `timeout` is a socket idle timeout in Node).
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), options.timeoutMs);
  const signal = options.signal
    ? AbortSignal.any([options.signal, deadline.signal])
    : deadline.signal;
  try {
    const response = await http.instance.request<string>({
      method: request.method,
      url: request.url,
      headers: { ...request.headers, "User-Agent": USER_AGENT },
      data: request.body === "" ? undefined : request.body,
      signal,
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value);
    }
    const body = typeof response.data === "string" ? response.data : String(response.data ?? "");
    return { status: response.status, headers, body, requestId: headers["x-request-id"] };
  } catch (err) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (deadline.signal.aborted) {
      throw new DrsApiError({
        operation: options.operation,
        transportCode: "ETIMEDOUT",
        serviceMessage: `no answer within ${options.timeoutMs} ms`,
        retryable: true,
        hint: "Check the endpoint and network; the request timeout can be raised (HW_DRS_REQUEST_TIMEOUT).",
      });
    }
    throw transportError(err, options.operation);
  } finally {
    clearTimeout(timer);
  }
}

/** Node's codes for a certificate that does not verify (chain, name, dates). */
const TLS_TRUST_CODES =
  /^(ERR_TLS_CERT_ALTNAME_INVALID|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_\w+)$/;

function transportError(err: unknown, operation: string): DrsApiError {
  // An AxiosError carries Node's code, as a system error does.
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (/maxContentLength/i.test(message) || code === "ERR_FR_MAX_BODY_LENGTH_EXCEEDED") {
    return new DrsApiError({
      operation,
      transportCode: code ?? "ETOOBIG",
      serviceMessage: `response larger than ${MAX_RESPONSE_BYTES} bytes`,
      retryable: false,
      hint: "Check the endpoint: DRS answers are small.",
    });
  }
  if (code !== undefined && TLS_TRUST_CODES.test(code)) {
    // A certificate we do not trust will not become trusted by asking again.
    return new DrsApiError({
      operation,
      transportCode: code,
      serviceMessage: `${code}: ${message}`,
      retryable: false,
      hint: "The server's TLS certificate is not trusted: check the endpoint. Verification is never turned off; NODE_EXTRA_CA_CERTS adds a private CA.",
    });
  }
  // Only the code and Node's message: the axios error holds the request config (and headers).
  return new DrsApiError({
    operation,
    transportCode: code,
    serviceMessage: `${code ? `${code}: ` : ""}${message}`,
    retryable: true,
    hint: "Check the endpoint and network.",
  });
}

/** A non-2xx answer as a DrsApiError, retryable for throttling and passing server failures. */
export function responseError(
  response: HttpResponse,
  operation: string,
  secrets: readonly (Secret | undefined)[],
  credentialSource?: string,
  now: number = Date.now(),
): DrsApiError {
  const parsed = parseErrorBody(response.body, secrets);
  const retryable = RETRYABLE_HTTP_STATUSES.includes(response.status);
  return new DrsApiError({
    operation,
    httpStatus: response.status,
    errorCode: parsed.errorCode,
    serviceMessage: parsed.serviceMessage,
    requestId: response.requestId,
    retryable,
    retryAfterMs: retryable ? parseRetryAfter(response.headers["retry-after"], now) : undefined,
    credentialSource,
  });
}

/**
 * An IAM answer that is not 2xx. Credentials it refused (401/403) are final, not retried, and
 * the error says what to check; anything else is judged as `responseError` judges it.
 */
export function credentialsResponseError(
  response: HttpResponse,
  operation: string,
  secrets: readonly (Secret | undefined)[],
  refusedHint: string,
): DrsApiError {
  const err = responseError(response, operation, secrets);
  if (response.status !== 401 && response.status !== 403) return err;
  return new DrsApiError({
    operation,
    httpStatus: err.httpStatus,
    errorCode: err.errorCode,
    serviceMessage: err.serviceMessage,
    requestId: err.requestId,
    retryable: false,
    hint: refusedHint,
  });
}
