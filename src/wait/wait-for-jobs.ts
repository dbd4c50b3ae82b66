// waitForJobs: resolves when every job is ready, rejects as soon as one can never get there,
// at the deadline, or on abort. This file only waits: the shared poller fetches what the
// readiness rules ask for, `assess` (readiness.ts) decides, and the loop below wires the
// deadline and the caller's signal to the poller's stream of outcomes.
import type { DrsClientOptions } from "../api/client";
import { DrsApiError } from "../api/errors";
import { asJobIds } from "../api/job-ids";
import { DEFAULT_REQUEST_TIMEOUT_MS, resolveSettings } from "../api/settings";
import type { JobStatusEntry } from "../api/status";
import { formatDuration, timerDuration, type Duration } from "../util/duration";
import { InputError, Problems } from "../util/input-error";
import {
  ComparisonFailedError,
  ComparisonTimeoutError,
  JobsFailedError,
  WaitAbortedError,
  WaitTimeoutError,
} from "./errors";
import { failureLines } from "./compare";
import { isComparisonSource } from "./fetchers/comparison";
import type { StatusSource } from "./observations";
import { planWait } from "./plan";
import { pollerFor, sharedPoller } from "./poller";
import { progressOf, type WaitProgress } from "./progress";
import {
  acceptorsFor,
  assessor,
  cannotBecomeReady,
  notYetPolled,
  type Assessment,
} from "./readiness";

export { DEFAULT_POLL_INTERVAL, DEFAULT_TIMEOUT } from "./plan";

export interface WaitOptions extends DrsClientOptions {
  /** Statuses that count as ready (known DRS statuses, any case). Default FULL_TRANSFER_COMPLETE, INCRE_TRANSFER_STARTED. */
  targetStatuses?: readonly string[];
  /** Default 60 minutes, like Terraform's create timeout. */
  timeout?: Duration;
  /** Default 10 seconds. */
  pollInterval?: Duration;
  /**
   * Gate on replication lag: a job in INCRE_TRANSFER_STARTED is ready only once its lag (from
   * batch-progress) is at or below this. A lag not reported is not ready. Jobs in other target
   * statuses (FULL_TRANSFER_COMPLETE: a full-only migration has no lag) are ready as before.
   */
  maxReplicationLag?: Duration;
  /** With maxReplicationLag: how long the lag must stay low, over consecutive polls. Default one poll. */
  lagStableFor?: Duration;
  /**
   * Safe cutover: once every job is otherwise ready, run one DRS data comparison of each kind
   * per job (or adopt the running one) and open only when every table is consistent. Kinds:
   * "lines" (row counts), "contents", "objects". No comparison request is sent without it.
   */
  compare?: readonly string[];
  /** Fetch percent and time left for the progress callback (at most every 30 s per 100 jobs). */
  showProgress?: boolean;
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

/** The reason the loop's own signal aborts with at the deadline. */
const DEADLINE = Symbol("deadline");

/**
 * Waits until every job is ready. Bad options reject (an InputError naming each field), they
 * never throw synchronously. The timeout holds whatever the service does: a poll still
 * unanswered then is cut off, and the timeout names why there is no status. `timeout: 0` checks
 * once: it waits for the first poll's answer, one request timeout at most.
 */
export async function waitForJobs(
  jobIds: readonly string[],
  options: WaitOptions = {},
): Promise<WaitResult> {
  const problems = new Problems();
  // The edge: checked here once (a list `check` already checked passes), never below.
  const checkedIds = problems.attempt(() => asJobIds(jobIds));
  const plan = problems.attempt(() => planWait(options));
  problems.throwIfAny();
  const ids = checkedIds!;
  const { timeoutMs, intervalMs, lag } = plan!;
  const judge = assessor(acceptorsFor(plan!, { showProgress: options.showProgress }));
  const firstPollWithinMs =
    options.firstPollDelay === undefined
      ? undefined
      : timerDuration(options.firstPollDelay, "firstPollDelay");
  const client = options.client;
  if (client && plan!.compare.length > 0 && !isComparisonSource(client)) {
    throw new InputError({ field: "compare", reason: "this status source cannot compare data" });
  }
  // Without a client, the connection's shared poller (built on its first poll) serves the wait.
  const settings = client ? undefined : (options.settings ?? resolveSettings(options));
  const poller = client ? sharedPoller(client) : pollerFor(settings!, options.retry);
  const firstPollGraceMs =
    (client ? client.requestTimeoutMs : settings!.requestTimeoutMs) ?? DEFAULT_REQUEST_TIMEOUT_MS;

  const started = Date.now();
  const deadline = started + timeoutMs;
  let seen: Seen = { assessment: notYetPolled(ids) };
  const timer = deadlineTimer(timeoutMs, firstPollGraceMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timer.signal]) : timer.signal;
  const report = (next: Seen) => {
    try {
      options.onProgress?.(progressOf(next.assessment, Date.now() - started, lag, next.pollError));
    } catch {
      // A progress callback's bug must not break the wait.
    }
  };
  const outcomes = poller.outcomes(
    {
      jobIds: ids,
      intervalMs,
      deadline,
      firstPollWithinMs,
      needs: (tick) => judge(seen.assessment, tick).needs,
      onFailedAttempt: (error) => (seen = { ...seen, failedAttempt: error }),
    },
    signal,
  );
  try {
    for await (const outcome of outcomes) {
      seen = outcome.tick
        ? judged(judge(seen.assessment, outcome.tick))
        : { assessment: seen.assessment, pollError: outcome.error };
      report(seen);
      const { assessment } = seen;
      if (assessment.phase === "failed") {
        const failed = assessment.jobs.filter(cannotBecomeReady);
        const compared = failed.filter((job) => job.comparisonFailure);
        // A job that failed outright says more than a comparison that found differences.
        if (compared.length === failed.length) {
          const lines = failureLines(compared.map((job) => job.comparisonFailure!));
          throw new ComparisonFailedError(lines, [...assessment.jobs]);
        }
        throw new JobsFailedError(failed, [...assessment.jobs]);
      }
      if (assessment.phase === "ready") {
        return {
          jobs: [...assessment.jobs],
          polls: assessment.polls,
          elapsedMs: Date.now() - started,
        };
      }
      if (Date.now() >= deadline) throw DEADLINE;
      // Nothing ever answered: a wrong endpoint, not an outage. Say so now, not in an hour.
      if (assessment.polls === 0 && isUnreachable(outcome.error)) throw outcome.error;
    }
    throw new Error("the poller stopped without a verdict");
  } catch (error) {
    if (error === DEADLINE) throw timedOut(seen, timeoutMs, Date.now() - started, lag?.maxMs);
    if (options.signal?.aborted && error === options.signal.reason) {
      throw new WaitAbortedError([...seen.assessment.jobs], options.signal.reason);
    }
    throw error;
  } finally {
    timer.clear();
  }
}

/**
 * Aborts with DEADLINE after `timeoutMs`: whatever the service does, requests in flight then are
 * cut off. A timeout of 0 means "check once": the first poll decides, but a hanging service does
 * not get its retries on top: `graceMs` (one request timeout) at most.
 */
function deadlineTimer(timeoutMs: number, graceMs: number) {
  const controller = new AbortController();
  const handle = setTimeout(() => controller.abort(DEADLINE), timeoutMs || graceMs);
  return { signal: controller.signal, clear: () => clearTimeout(handle) };
}

/** What the wait knows: the latest assessment, and why the last poll failed if it did. */
interface Seen {
  assessment: Assessment;
  /** The last poll failed, or a fetch the rules needed did: the wait goes on. */
  pollError?: Error;
  /** An attempt of the poll in flight failed; the client is retrying it. */
  failedAttempt?: Error;
}

function judged(assessment: Assessment): Seen {
  return { assessment, pollError: assessment.fetchError };
}

/** The timeout, naming why there is no status when no poll answered: the last error, or none. */
function timedOut(seen: Seen, timeoutMs: number, waitedMs: number, maxLagMs?: number) {
  const jobs = [...seen.assessment.jobs];
  const pending = jobs.filter((job) => job.phase !== "ready");
  const why =
    seen.pollError ??
    seen.failedAttempt ??
    (seen.assessment.polls === 0
      ? new Error(`no answer within ${formatDuration(waitedMs)}`)
      : undefined);
  const comparing = pending.filter((job) => job.comparing);
  if (comparing.length > 0) {
    const others = pending.filter((job) => !job.comparing);
    const lines = comparing.map((job) => comparingLine(job.id, job.comparing!));
    return new ComparisonTimeoutError(timeoutMs, others, jobs, lines, why, maxLagMs);
  }
  return new WaitTimeoutError(timeoutMs, pending, jobs, why, maxLagMs);
}

/** `<job>: lines comparison <id> still RUNNING, 3/12 databases`. */
function comparingLine(jobId: string, c: NonNullable<JobStatusEntry["comparing"]>): string {
  if (c.blockedBy) {
    return `${jobId}: waiting for DRS comparison ${c.blockedBy} to end before comparing ${c.kind}`;
  }
  if (!c.id) return `${jobId}: ${c.kind} comparison not started yet`;
  const unit = c.kind === "objects" ? "object types" : "databases";
  const progress = c.total !== undefined ? `, ${c.done ?? 0}/${c.total} ${unit}` : "";
  return `${jobId}: ${c.kind} comparison ${c.id} still ${c.status ?? "RUNNING"}${progress}`;
}

/** The host does not resolve or refuses connections (after the client's retries). */
function isUnreachable(error: Error | undefined): error is DrsApiError {
  return (
    error instanceof DrsApiError &&
    (error.transportCode === "ENOTFOUND" || error.transportCode === "ECONNREFUSED")
  );
}
