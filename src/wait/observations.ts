// The contract between readiness rules and the poller: what a poll observes, and how a rule
// asks for an observation beyond the status. A rule names a `Fetcher` in each `Need`; the
// poller calls each fetcher once a tick for every job some waiter needs it for, and never
// learns why it was asked.
import type { JobIds } from "../api/job-ids";
import type { JobProgressEntry } from "../api/progress";
import type { JobObservation } from "../api/status";

/** What the poller needs from a DrsClient; tests of the schedule can pass their own. */
export interface StatusSource {
  /** Equal for sources that talk to the same endpoint and project with the same credentials. */
  readonly key: string;
  /** How long one request may take (a `timeout: 0` wait waits this long); default 30 s. */
  readonly requestTimeoutMs?: number;
  batchStatus(
    jobIds: readonly string[],
    options: { signal?: AbortSignal; onFailedAttempt?: (error: Error) => void },
  ): Promise<JobObservation[]>;
  /** Needed only by waits that gate on lag or show progress. */
  batchProgress?(
    jobIds: readonly string[],
    options: { signal?: AbortSignal },
  ): Promise<JobProgressEntry[]>;
}

/** One thing learned about a job, and when it was fetched (epoch ms). */
export interface Observed<T> {
  readonly value: T;
  readonly at: number;
}

/**
 * Fetches one kind of observation for many jobs at once. The poller gives it every job that
 * any waiter needs it for in a tick (so one request per 100 jobs, however many waiters), and
 * keeps what it returns, keyed by `kind`, for the needs of later ticks.
 */
export interface Fetcher<T> {
  /** Names the kind in the poller's record and in errors: "batch-progress". */
  readonly kind: string;
  fetch(
    source: StatusSource,
    jobIds: JobIds,
    options: { signal: AbortSignal },
  ): Promise<ReadonlyMap<string, T>>;
}

/** An observation a readiness rule wants: `fetcher`'s, for `jobId`, at most `maxAgeMs` old. */
export interface Need {
  readonly fetcher: Fetcher<unknown>;
  readonly jobId: string;
  /** 0: fetched during this tick (after its statuses). */
  readonly maxAgeMs: number;
  /** Only shown to the user: when its fetch fails, the wait does not report the failure. */
  readonly forDisplay?: boolean;
}

/** What one poll saw: this tick's statuses and the latest of every other kind fetched. */
export interface Tick {
  /** When the tick's batch-status was sent: an observation fetched since is this tick's. */
  readonly startedAt: number;
  /** Every job of the tick; one missing here got no answer at all. */
  readonly statusById: ReadonlyMap<string, JobObservation>;
  /** The latest observation of `fetcher`'s kind for `jobId`, this tick's or older. */
  observed<T>(fetcher: Fetcher<T>, jobId: string): Observed<T> | undefined;
  /** The fetchers that failed during this tick (after the client's retries), by kind. */
  readonly failures: ReadonlyMap<string, Error>;
  /**
   * Grows with each fetch this tick records or fails: one tick at one revision reads the same.
   * Absent on a tick that never changes (one a test builds).
   */
  readonly revision?: number;
}

/** True when `tick` already holds what `need` asks for. */
export function satisfied(tick: Tick, need: Need): boolean {
  const observed = tick.observed(need.fetcher, need.jobId);
  return observed !== undefined && tick.startedAt - observed.at <= need.maxAgeMs;
}
