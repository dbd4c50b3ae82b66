// waitForJobs: resolves when every job is in a target status, rejects as soon as one can never
// get there, on timeout, or on abort. The shared poller fetches; this judges.
import { DrsClient, type DrsClientOptions } from "../api/client";
import { DrsApiError } from "../api/errors";
import { validateJobIds } from "../api/job-ids";
import { DEFAULT_REQUEST_TIMEOUT_MS } from "../api/settings";
import {
  DEFAULT_TARGET_STATUSES,
  targetSet,
  type JobStatusEntry,
  type TargetStatuses,
} from "../api/status";
import { timerDuration, type Duration } from "../util/duration";
import { closest, InputError, type InputProblem } from "../util/input-error";
import {
  ComparisonFailedError,
  ComparisonTimeoutError,
  JobsFailedError,
  WaitAbortedError,
  WaitTimeoutError,
} from "./errors";
import { sharedPoller, type StatusSource } from "./poller";
import type { WaitProgress } from "./progress";
import { Readiness, type LagRule } from "./readiness";
import { COMPARE_KINDS, type CompareKind } from "../api/compare";
import { COMPARE_POLL_MIN_MS, type ComparisonSource, type ComparisonSummary } from "./compare";
import { ComparisonGate } from "./comparison-gate";

export const DEFAULT_TIMEOUT: Duration = "60m";
export const DEFAULT_POLL_INTERVAL: Duration = "10s";
/** Polling faster than this only burns the caller's API quota. */
export const MIN_POLL_INTERVAL_MS = 100;

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

/** A gate's job: what DRS reported, and the comparisons that found it consistent. */
export type GateJobEntry = JobStatusEntry & { comparisons?: ComparisonSummary[] };

export interface WaitResult {
  /** Every job, ready, as seen by the poll that opened the gate, in the order given. */
  jobs: GateJobEntry[];
  polls: number;
  elapsedMs: number;
}

/** The wait's options, checked: what `check` and the command apply too. */
export interface WaitPlan {
  targets: TargetStatuses;
  timeoutMs: number;
  intervalMs: number;
  /** Set when the wait gates on replication lag. */
  lag?: LagRule;
  /** The comparison kinds the gate runs, in order; empty: none. */
  compare: CompareKind[];
}

type PlannedOptions = Pick<
  WaitOptions,
  "targetStatuses" | "timeout" | "pollInterval" | "maxReplicationLag" | "lagStableFor" | "compare"
>;

/** Collects the InputError problems of several checks, so one error names every bad field. */
function collectProblems() {
  const problems: InputProblem[] = [];
  const attempt = <T>(run: () => T): T | undefined => {
    try {
      return run();
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      problems.push(...err.problems);
      return undefined;
    }
  };
  return { problems, attempt };
}

/**
 * Validates a wait's options, every field at once; an InputError naming each bad one. A
 * timeout of 0 is allowed: a wait always completes one poll, so it means "check once".
 */
export function planWait(options: PlannedOptions = {}): WaitPlan {
  const { problems, attempt } = collectProblems();
  const plan = {
    targets: attempt(() => targetSet(options.targetStatuses ?? DEFAULT_TARGET_STATUSES)),
    timeoutMs: attempt(() => timerDuration(options.timeout ?? DEFAULT_TIMEOUT, "timeout")),
    intervalMs: attempt(() =>
      timerDuration(
        options.pollInterval ?? DEFAULT_POLL_INTERVAL,
        "pollInterval",
        MIN_POLL_INTERVAL_MS,
      ),
    ),
    lag: attempt(() => lagRule(options)),
    compare: attempt(() => compareKinds(options.compare)),
  };
  if (problems.length > 0) throw new InputError(problems);
  return plan as WaitPlan;
}

/** The kinds asked, checked and without repeats; an unknown one is named with the nearest. */
function compareKinds(input: unknown): CompareKind[] {
  if (input === undefined || input === null) return [];
  if (!Array.isArray(input)) {
    throw new InputError({
      field: "compare",
      reason: `must be a list of ${COMPARE_KINDS.join(", ")}`,
    });
  }
  const problems: InputProblem[] = [];
  const kinds: CompareKind[] = [];
  input.forEach((kind, i) => {
    if (typeof kind === "string" && (COMPARE_KINDS as readonly string[]).includes(kind.trim())) {
      const k = kind.trim() as CompareKind;
      if (!kinds.includes(k)) kinds.push(k);
      return;
    }
    const hint =
      typeof kind === "string" ? `; did you mean ${closest(kind, [...COMPARE_KINDS])}?` : "";
    problems.push({
      field: `compare[${i}]`,
      reason: `must be one of ${COMPARE_KINDS.join(", ")} (got ${JSON.stringify(kind)})${hint}`,
    });
  });
  if (problems.length > 0) throw new InputError(problems);
  return kinds;
}

function lagRule(options: PlannedOptions): LagRule | undefined {
  const maxMs =
    options.maxReplicationLag === undefined || options.maxReplicationLag === null
      ? undefined
      : timerDuration(options.maxReplicationLag, "maxReplicationLag");
  const stable =
    options.lagStableFor === undefined || options.lagStableFor === null
      ? undefined
      : timerDuration(options.lagStableFor, "lagStableFor");
  if (maxMs === undefined) {
    if (stable !== undefined) {
      throw new InputError({
        field: "lagStableFor",
        reason: "needs maxReplicationLag (the lag that must stay low)",
      });
    }
    return undefined;
  }
  return { maxMs, stableForMs: stable ?? 0 };
}

/**
 * Waits until every job is in a target status. Bad options reject (an InputError naming each
 * field), they never throw synchronously. The timeout bounds the polling, but a wait always
 * completes one poll first, so `timeout: 0` checks once and never answers "no status" (unless
 * that first poll is still unanswered one request timeout after the deadline).
 */
export async function waitForJobs(
  jobIds: readonly string[],
  options: WaitOptions = {},
): Promise<WaitResult> {
  const { problems, attempt } = collectProblems();
  const checkedIds = attempt(() => validateJobIds(jobIds));
  const plan = attempt(() => planWait(options));
  if (problems.length > 0) throw new InputError(problems);
  const ids = checkedIds!;
  const { targets, timeoutMs, intervalMs, lag, compare } = plan!;
  const readiness = new Readiness(targets, lag);
  const firstPollWithinMs =
    options.firstPollDelay === undefined
      ? undefined
      : timerDuration(options.firstPollDelay, "firstPollDelay");
  const source = options.client ?? new DrsClient(options);
  const firstPollGraceMs =
    source instanceof DrsClient ? source.settings.requestTimeoutMs : DEFAULT_REQUEST_TIMEOUT_MS;
  const poller = sharedPoller(source);
  const { signal, onProgress } = options;
  if (compare.length > 0 && !isComparisonSource(source)) {
    throw new InputError({ field: "compare", reason: "this status source cannot run comparisons" });
  }

  return new Promise<WaitResult>((resolve, reject) => {
    const start = Date.now();
    let jobs: JobStatusEntry[] = ids.map((id) => ({ id, phase: "pending" }));
    let polls = 0;
    let lastError: Error | undefined;
    /** The deadline passed before any poll completed: the first one decides. */
    let deadlinePassed = false;
    let settled = false;
    let unsubscribe = () => {};
    const gate =
      compare.length > 0
        ? new ComparisonGate(
            source as unknown as ComparisonSource,
            compare,
            Math.max(COMPARE_POLL_MIN_MS, intervalMs),
            () => settleComparisons(),
          )
        : undefined;

    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(grace);
      gate?.stop();
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
          maxReplicationLagMs: lag?.maxMs,
          jobs: polls ? jobs : [],
          waitingOn,
          paused: jobs.filter((job) => job.paused),
          unknown: jobs.filter((job) => job.unknown),
          pollError,
          ...(gate?.started && { comparing: gate.progress() }),
        });
      } catch {
        // A progress callback's bug must not break the wait.
      }
    };
    const onAbort = () => finish(() => reject(new WaitAbortedError(jobs, signal?.reason)));
    const timeOut = () => {
      const pending = jobs.filter((job) => job.phase !== "ready");
      if (gate?.started) {
        const comparing = gate.pendingLines();
        return finish(() =>
          reject(
            new ComparisonTimeoutError(timeoutMs, pending, jobs, comparing, lastError, lag?.maxMs),
          ),
        );
      }
      finish(() => reject(new WaitTimeoutError(timeoutMs, pending, jobs, lastError, lag?.maxMs)));
    };
    const open = (extra: (job: JobStatusEntry) => GateJobEntry = (job) => job) => {
      const opened = jobs.map(extra);
      finish(() => resolve({ jobs: opened, polls, elapsedMs: Date.now() - start }));
    };
    /**
     * Once every job is otherwise ready the comparisons start; the gate opens when they all
     * ended consistent and the latest poll still saw every job ready.
     */
    function settleComparisons(): void {
      if (settled || !gate) return;
      const state = gate.state();
      if (state.state === "fatal") return finish(() => reject(state.error));
      if (state.state === "failed") {
        return finish(() => reject(new ComparisonFailedError(state.lines, jobs)));
      }
      if (state.state === "open") {
        if (jobs.every((job) => job.phase === "ready")) {
          return open((job) => ({ ...job, comparisons: state.summaries.get(job.id) ?? [] }));
        }
        return;
      }
      report(state.lastError);
    }
    let grace: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      if (polls > 0 || lastError !== undefined) return timeOut();
      // No poll has completed yet: the first one decides, but a hanging service does not get
      // its retries on top: one request timeout past the deadline at most.
      deadlinePassed = true;
      grace = setTimeout(timeOut, firstPollGraceMs);
    }, timeoutMs);

    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    unsubscribe = poller.subscribe({
      jobIds: ids,
      intervalMs,
      deadline: start + timeoutMs,
      firstPollWithinMs,
      needsLag: lag !== undefined,
      wantsProgress: options.showProgress === true,
      onResult(byId, progress) {
        polls += 1;
        // A failed batch-progress leaves lag-gated jobs unknown (not ready); say why.
        lastError = lag ? progress.error : undefined;
        const now = Date.now();
        jobs = ids.map((id) => {
          const observation = byId.get(id);
          return observation
            ? readiness.judge(observation, progress.byId.get(id), now)
            : { id, phase: "pending", unknown: true };
        });
        report(lastError);
        const failed = jobs.filter((job) => job.phase === "failed" || job.phase === "stopped");
        if (failed.length > 0) finish(() => reject(new JobsFailedError(failed, jobs)));
        else if (jobs.every((job) => job.phase === "ready")) {
          if (!gate) return open();
          gate.start(ids);
          settleComparisons();
        } else if (deadlinePassed) timeOut();
      },
      onPollError(error) {
        lastError = error;
        report(error);
        if (deadlinePassed) return timeOut();
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

function isComparisonSource(source: StatusSource): boolean {
  return typeof (source as Partial<ComparisonSource>).createComparison === "function";
}
