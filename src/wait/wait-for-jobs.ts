// waitForJobs: resolves when every job is in a target status, rejects as soon as one can never
// get there, on timeout, or on abort. The shared poller fetches; this judges.
import { DrsClient, type DrsClientOptions } from "../api/client";
import { DrsApiError } from "../api/errors";
import { reclassify, targetSet, type JobStatusEntry } from "../api/status";
import { parseDuration, type Duration } from "../util/duration";
import { JobsFailedError, WaitAbortedError, WaitTimeoutError } from "./errors";
import { sharedPoller, type StatusSource } from "./poller";
import type { WaitProgress } from "./progress";

export const DEFAULT_TIMEOUT: Duration = "60m";
export const DEFAULT_POLL_INTERVAL: Duration = "10s";
/** Polling faster than this only burns the caller's API quota. */
export const MIN_POLL_INTERVAL_MS = 100;
/** The longest timer Node keeps (about 24.8 days); a longer one fires at once. */
export const MAX_WAIT_DURATION_MS = 2 ** 31 - 1;

/** A wait duration in ms, within what a timer can hold; the error names the field. */
export function waitDuration(input: Duration, field: string, minMs = 0): number {
  const ms = parseDuration(input, field);
  if (ms < minMs) throw new RangeError(`${field}: must be at least ${minMs}ms`);
  if (ms > MAX_WAIT_DURATION_MS) {
    throw new RangeError(`${field}: must be at most ${MAX_WAIT_DURATION_MS}ms (about 24 days)`);
  }
  return ms;
}

export interface WaitOptions extends Omit<DrsClientOptions, "targetStatuses"> {
  /** Statuses that count as ready. Default FULL_TRANSFER_COMPLETE, INCRE_TRANSFER_STARTED. */
  targetStatuses?: readonly string[];
  /** Default 60 minutes, like Terraform's create timeout. */
  timeout?: Duration;
  /** Default 10 seconds. */
  pollInterval?: Duration;
  signal?: AbortSignal;
  /** Called after every poll (and every failed poll) with counts and per-job statuses. */
  onProgress?: (progress: WaitProgress) => void;
  /**
   * How long the first poll may wait so that waits started together share it. Default 25ms;
   * the Pulumi gate uses more, since the engine starts resources over a few hundred ms.
   */
  firstPollDelay?: Duration;
  /** A client (or any status source) to use instead of building one from the settings. */
  client?: StatusSource;
}

export interface WaitResult {
  /** Every job, ready, as seen by the poll that opened the gate, in the order given. */
  jobs: JobStatusEntry[];
  polls: number;
  elapsedMs: number;
}

/** Trimmed, distinct, in order; a clear error naming the bad element otherwise. */
export function validateJobIds(jobIds: unknown, field = "jobIds"): string[] {
  if (!Array.isArray(jobIds)) throw new TypeError(`${field}: must be a list of DRS job IDs`);
  if (jobIds.length === 0) throw new RangeError(`${field}: give at least one DRS job ID`);
  const ids = jobIds.map((id, i) => {
    if (typeof id !== "string")
      throw new TypeError(`${field}[${i}]: must be a string, got ${typeof id}`);
    if (id.trim() === "") throw new RangeError(`${field}[${i}]: is blank`);
    return id.trim();
  });
  return [...new Set(ids)];
}

export function waitForJobs(
  jobIds: readonly string[],
  options: WaitOptions = {},
): Promise<WaitResult> {
  const ids = validateJobIds(jobIds);
  const targets = targetSet(options.targetStatuses);
  const timeoutMs = waitDuration(options.timeout ?? DEFAULT_TIMEOUT, "timeout");
  const intervalMs = waitDuration(
    options.pollInterval ?? DEFAULT_POLL_INTERVAL,
    "pollInterval",
    MIN_POLL_INTERVAL_MS,
  );
  const firstPollWithinMs =
    options.firstPollDelay === undefined
      ? undefined
      : waitDuration(options.firstPollDelay, "firstPollDelay");
  const source = options.client ?? new DrsClient(options);
  const poller = sharedPoller(source);
  const { signal, onProgress } = options;

  return new Promise<WaitResult>((resolve, reject) => {
    const start = Date.now();
    let jobs: JobStatusEntry[] = ids.map((id) => ({ id, phase: "pending" }));
    let polls = 0;
    let lastError: Error | undefined;
    let settled = false;
    let unsubscribe = () => {};

    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      unsubscribe();
      settle();
    };
    const report = (pollError?: Error) => {
      if (!onProgress) return;
      const waitingOn = jobs.filter((job) => job.phase !== "ready");
      try {
        onProgress({
          polls,
          elapsedMs: Date.now() - start,
          total: jobs.length,
          ready: jobs.length - waitingOn.length,
          jobs: polls ? jobs : [],
          waitingOn,
          paused: jobs.filter((job) => job.paused),
          unknown: jobs.filter((job) => job.unknown),
          pollError,
        });
      } catch {
        // A progress callback's bug must not break the wait.
      }
    };
    const onAbort = () => finish(() => reject(new WaitAbortedError(jobs)));
    const timer = setTimeout(() => {
      const pending = jobs.filter((job) => job.phase !== "ready");
      finish(() => reject(new WaitTimeoutError(timeoutMs, pending, jobs, lastError)));
    }, timeoutMs);

    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    unsubscribe = poller.subscribe({
      jobIds: ids,
      intervalMs,
      deadline: start + timeoutMs,
      firstPollWithinMs,
      onResult(byId) {
        polls += 1;
        lastError = undefined;
        jobs = ids.map((id) => {
          const entry = byId.get(id);
          return entry ? reclassify(entry, targets) : { id, phase: "pending", unknown: true };
        });
        report();
        const failed = jobs.filter((job) => job.phase === "failed" || job.phase === "stopped");
        if (failed.length > 0) finish(() => reject(new JobsFailedError(failed, jobs)));
        else if (jobs.every((job) => job.phase === "ready")) {
          finish(() => resolve({ jobs, polls, elapsedMs: Date.now() - start }));
        }
      },
      onPollError(error) {
        lastError = error;
        report(error);
        // Nothing ever answered: a wrong endpoint, not an outage. Say so now, not in an hour.
        if (polls === 0 && isUnreachable(error)) finish(() => reject(error));
      },
      onFatal(error) {
        finish(() => reject(error));
      },
    });
  });
}

/** The host does not resolve or refuses connections (after the client's retries). */
function isUnreachable(error: Error): boolean {
  return (
    error instanceof DrsApiError &&
    (error.transportCode === "ENOTFOUND" || error.transportCode === "ECONNREFUSED")
  );
}
