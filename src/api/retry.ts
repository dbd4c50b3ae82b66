// Retries with p-retry: transient faults only (network, 429, 5xx), jittered exponential
// backoff, `Retry-After` honoured, and an AbortSignal that ends even a backoff sleep at once.
import pRetry, { AbortError } from "p-retry";
import { DrsApiError } from "./errors";

/** A server may ask for a long pause; we wait at most this long per attempt. */
export const MAX_RETRY_AFTER_MS = 60_000;

export interface RetryOptions {
  /** Retries after the first attempt (HW_MAX_RETRIES). Default 4. */
  retries: number;
  /** First backoff delay in ms. Default 500. */
  minTimeout: number;
  /** Largest backoff delay in ms. Default 10 000. */
  maxTimeout: number;
  /** Cap for a server's `Retry-After`, in ms. Default 60 000. */
  maxRetryAfter: number;
}

export const DEFAULT_RETRY_OPTIONS: RetryOptions = Object.freeze({
  retries: 4,
  minTimeout: 500,
  maxTimeout: 10_000,
  maxRetryAfter: MAX_RETRY_AFTER_MS,
});

/** Statuses worth another attempt: throttling and the gateway/server failures that pass. */
export const RETRYABLE_HTTP_STATUSES: readonly number[] = [429, 500, 502, 503, 504];

/**
 * Parses `Retry-After` (delta seconds or an HTTP date) to ms, capped at `maxMs`. Undefined when
 * absent or unreadable, so the ordinary backoff applies.
 */
export function parseRetryAfter(
  value: string | undefined,
  now: number = Date.now(),
  maxMs: number = MAX_RETRY_AFTER_MS,
): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  // Only an HTTP date remains valid; Date.parse would also accept "-3" or "1.5".
  else if (!/^[A-Za-z]{3},/.test(text)) return undefined;
  else {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Math.min(Math.max(0, ms), maxMs);
}

const spent = new WeakSet<object>();

/**
 * Marks a failure that already went through its own retries (a key exchange, a project
 * lookup): the request that needed it must not start them over, though it stays retryable for
 * a poller, which may try again at its next tick.
 */
export function retriesSpent(err: unknown): unknown {
  if (typeof err === "object" && err !== null) spent.add(err);
  return err;
}

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, runs out of retries or
 * `signal` aborts (then the abort reason is thrown). The final DrsApiError records attempts.
 */
export async function withRetries<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: RetryOptions,
  signal?: AbortSignal,
): Promise<T> {
  let attempts = 0;
  try {
    return await pRetry(
      async (attemptNumber) => {
        attempts = attemptNumber;
        try {
          return await attempt(attemptNumber);
        } catch (err) {
          if (err instanceof DrsApiError && err.retryable && !spent.has(err)) throw err;
          // Anything else (4xx, bad settings, programming errors) must not be retried.
          throw new AbortError(err instanceof Error ? err : new Error(String(err)));
        }
      },
      {
        retries: options.retries,
        minTimeout: options.minTimeout,
        maxTimeout: options.maxTimeout,
        factor: 2,
        randomize: true,
        signal,
        onFailedAttempt: async ({ error, retriesLeft, retryDelay }) => {
          // p-retry sleeps `retryDelay` next; a server's Retry-After tops that up so the total
          // pause is at least what the server asked for.
          const asked = error instanceof DrsApiError ? error.retryAfterMs : undefined;
          if (retriesLeft > 0 && asked !== undefined) {
            const extra = Math.min(asked, options.maxRetryAfter) - retryDelay;
            if (extra > 0) await sleep(extra, signal);
          }
        },
      },
    );
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    if (err instanceof DrsApiError) throw err.withAttempts(attempts);
    throw err;
  }
}

/** A sleep that rejects with the abort reason as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
