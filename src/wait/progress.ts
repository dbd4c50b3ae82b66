// What a waiter knows after each poll, and the one-line summary every front end shows.
import type { JobStatusEntry } from "../api/status";
import { formatDuration } from "../util/duration";
import { describeTrend } from "./lag-trend";
import { cannotBecomeReady, type Assessment } from "./readiness";

export interface WaitProgress {
  /** Polls that included this wait's jobs so far. */
  polls: number;
  elapsedMs: number;
  total: number;
  ready: number;
  /** Every job as last seen, in the order given (empty until the first poll answers). */
  jobs: readonly JobStatusEntry[];
  /** Jobs not yet ready. */
  waitingOn: readonly JobStatusEntry[];
  /** PAUSING jobs: they will not progress until an operator resumes them. */
  paused: readonly JobStatusEntry[];
  /** Jobs whose status is not in the known vocabulary (treated as pending). */
  unknown: readonly JobStatusEntry[];
  /** Set when this poll failed after the client's retries; the wait goes on. */
  pollError?: Error;
  /** The lag gate's maximum, when the wait gates on replication lag. */
  maxReplicationLagMs?: number;
  /** How long the lag must stay at or below the maximum, when the wait says (lagStableFor). */
  lagStableForMs?: number;
  /** The comparisons the gate waits for, once every job is otherwise ready (option `compare`). */
  comparing?: CompareProgress;
}

/** The comparison kind the jobs are on, with databases (object types) compared and in all. */
export interface CompareProgress {
  kind: "lines" | "contents" | "objects";
  done: number;
  total: number;
  /** Jobs whose comparisons all ended consistent, of the jobs compared. */
  jobsDone: number;
  jobs: number;
}

function compareProgress(jobs: readonly JobStatusEntry[]): CompareProgress | undefined {
  const comparing = jobs.filter((job) => job.comparing);
  const kind = comparing[0]?.comparing?.kind;
  if (!kind) return undefined;
  const ofKind = comparing.filter((job) => job.comparing!.kind === kind);
  return {
    kind,
    done: ofKind.reduce((n, job) => n + (job.comparing!.done ?? 0), 0),
    total: ofKind.reduce((n, job) => n + (job.comparing!.total ?? 0), 0),
    jobsDone: jobs.filter((job) => job.phase === "ready" && job.comparisons).length,
    jobs: jobs.length,
  };
}

const COMPARE_NOUN = { lines: "rows", contents: "contents", objects: "objects" } as const;

/** `comparing rows: 3/12 databases`. */
export function describeCompareProgress(p: CompareProgress): string {
  const unit = p.kind === "objects" ? "object types" : "databases";
  const counts = p.total > 0 ? `${p.done}/${p.total} ${unit}` : "starting";
  const jobs = p.jobs > 1 ? ` (${p.jobsDone}/${p.jobs} jobs done)` : "";
  return `comparing ${COMPARE_NOUN[p.kind]}: ${counts}${jobs}`;
}

/** What a wait reports after each poll (answered or failed). */
export function progressOf(
  assessment: Assessment,
  elapsedMs: number,
  lag: { maxMs: number; stableForMs: number } | undefined,
  pollError?: Error,
): WaitProgress {
  const { jobs, polls } = assessment;
  const waitingOn = jobs.filter((job) => job.phase !== "ready");
  return {
    polls,
    elapsedMs,
    total: jobs.length,
    ready: jobs.length - waitingOn.length,
    maxReplicationLagMs: lag?.maxMs,
    lagStableForMs: lag?.stableForMs || undefined,
    jobs: polls ? jobs : [],
    waitingOn,
    paused: jobs.filter((job) => job.paused),
    unknown: jobs.filter((job) => job.unknown),
    pollError,
    ...(polls > 0 && { comparing: compareProgress(jobs) }),
  };
}

/** Ids are shown by their first 8 characters, or as many more as keep them distinct. */
const SHORT_ID = 8;

/** The shortest prefix length, from 8, at which `ids` stay distinct (duplicates aside). */
export function distinctPrefixLength(ids: readonly string[]): number {
  const distinct = new Set(ids).size;
  const longest = Math.max(0, ...ids.map((id) => id.length));
  let length = SHORT_ID;
  while (length < longest && new Set(ids.map((id) => id.slice(0, length))).size < distinct) {
    length += 1;
  }
  return length;
}

const SHOWN = 3;

function listJobs(
  jobs: readonly JobStatusEntry[],
  idLength: number,
  describe: (job: JobStatusEntry) => string,
) {
  const short = (id: string) => (id.length > idLength ? `${id.slice(0, idLength)}…` : id);
  const shown = jobs.slice(0, SHOWN).map((job) => `${short(job.id)} (${describe(job)})`);
  const more = jobs.length > SHOWN ? ` and ${jobs.length - SHOWN} more` : "";
  return `${shown.join(", ")}${more}`;
}

/**
 * e.g. `2/3 jobs ready; waiting on dc67695a… (FULL_TRANSFER_STARTED)`. A job that can no
 * longer become ready is `failed`, not waited on; a failed poll says polling goes on.
 */
export function summarize(progress: WaitProgress): string {
  const head = `${progress.ready}/${progress.total} jobs ready`;
  const pollFailed = progress.pollError
    ? `the last poll failed, the next poll tries again: ${progress.pollError.message}`
    : "";
  if (progress.pollError && progress.jobs.length === 0) return `${head}; ${pollFailed}`;
  const failed = progress.waitingOn.filter(cannotBecomeReady);
  const pending = progress.waitingOn.filter((j) => j.phase === "pending" && !j.comparing);
  // Distinct among every job of the wait, so a shortened id names one job only.
  const idLength =
    failed.length + pending.length > 0
      ? distinctPrefixLength(
          (progress.jobs.length ? progress.jobs : progress.waitingOn).map((j) => j.id),
        )
      : SHORT_ID;
  const parts = [head];
  if (failed.length > 0) {
    parts.push(
      `failed: ${listJobs(failed, idLength, (job) => job.status ?? job.errorCode ?? job.phase)}`,
    );
  }
  if (pending.length > 0) {
    parts.push(
      `waiting on ${listJobs(pending, idLength, (job) => {
        const status = job.status ?? "no status yet";
        if (job.paused) return `${status}: paused, resume it`;
        const details = progressDetails(job, progress.maxReplicationLagMs, progress.lagStableForMs);
        return [status, ...details].join(", ");
      })}`,
    );
  }
  if (progress.comparing) parts.push(describeCompareProgress(progress.comparing));
  if (pollFailed) parts.push(pollFailed);
  return parts.join("; ");
}

/** `67%`, `~12m left`, `lag 42s (max 5s)`: what batch-progress told about a job, if asked. */
export function progressDetails(
  job: JobStatusEntry,
  maxLagMs?: number,
  lagStableForMs?: number,
): string[] {
  const details: string[] = [];
  if (job.percent !== undefined && job.replicationLagMs === undefined) {
    details.push(`${job.percent}%`);
  }
  if (job.remainingMs !== undefined && job.replicationLagMs === undefined) {
    details.push(`~${formatDuration(job.remainingMs)} left`);
  }
  const lag = lagDetail(job, maxLagMs, lagStableForMs);
  if (lag) details.push(lag);
  return details;
}

/**
 * `lag 42s (max 5s)`, `lag unknown (max 5s)`, `lag 2s (max 5s), steady 12s of 30s` for a job
 * held by the lag gate (the last while the lag has been low for less than lagStableFor).
 */
export function lagDetail(
  job: JobStatusEntry,
  maxLagMs?: number,
  lagStableForMs?: number,
): string | undefined {
  const max = maxLagMs === undefined ? "" : ` (max ${formatDuration(maxLagMs)})`;
  const window = lagStableForMs === undefined ? "" : ` of ${formatDuration(lagStableForMs)}`;
  const steady =
    job.lowLagForMs === undefined ? "" : `, steady ${formatDuration(job.lowLagForMs)}${window}`;
  const trend = job.awaitingLag && job.lagTrend ? `, ${describeTrend(job.lagTrend)}` : "";
  if (job.replicationLagMs !== undefined)
    return `lag ${formatDuration(job.replicationLagMs)}${max}${steady}${trend}`;
  return job.awaitingLag ? `lag unknown${max}` : undefined;
}
