// Reading a DRS answer's JSON body, shared by every operation: what is a transient slip
// (empty or garbled JSON, retried) and what is the wrong peer (HTML, anything else).
import { DrsApiError, excerpt } from "./errors";
import type { HttpResponse } from "./http";
import { cleanServiceText, type Secret } from "./secret";

/** The body parsed, or a DrsApiError naming `operation`; secrets never quoted back. */
export function parseJsonBody(
  response: HttpResponse,
  secrets: readonly Secret[],
  operation: string,
): unknown {
  const text = response.body.trim();
  // An empty or garbled JSON answer is a transient fault (a proxy or the service slipped):
  // retry it. Anything else that does not parse (an HTML portal, the wrong host) is not.
  if (text === "") throw unexpected(response, operation, "empty response body", true);
  try {
    return JSON.parse(text);
  } catch {
    const garbled = text.startsWith("{") || text.startsWith("[");
    throw unexpected(
      response,
      operation,
      `${garbled ? "malformed JSON" : "non-JSON"} response: ${quoteBody(response, secrets)}`,
      garbled,
    );
  }
}

/** The start of the body, secrets redacted, for error messages. */
export function quoteBody(response: HttpResponse, secrets: readonly Secret[]): string {
  return excerpt(cleanServiceText(response.body, secrets));
}

export function unexpected(
  response: HttpResponse,
  operation: string,
  message: string,
  retryable = false,
): DrsApiError {
  return new DrsApiError({
    operation,
    httpStatus: response.status,
    requestId: response.requestId,
    serviceMessage: message,
    retryable,
    hint: retryable
      ? "The answer was garbled on the way; it is retried."
      : "Check the endpoint (HW_DRS_ENDPOINT / --endpoint) points at DRS.",
  });
}
