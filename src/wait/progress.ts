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
  maxReplicationLagMs?: number,
  pollError?: Error,
): WaitProgress {
  const { jobs, polls } = assessment;
  const waitingOn = jobs.filter((job) => job.phase !== "ready");
  return {
    polls,
    elapsedMs,
    total: jobs.length,
    ready: jobs.length - waitingOn.length,
    maxReplicationLagMs,
    jobs: polls ? jobs : [],
    waitingOn,
    paused: jobs.filter((job) => job.paused),
    unknown: jobs.filter((job) => job.unknown),
    pollError,
    ...(polls > 0 && { comparing: compareProgress(jobs) }),
  };
}

function shortId(id: string): string {
  return id.length > 8 ? `${id.slice(0, 8)}…` : id;
}

const SHOWN = 3;

function listJobs(jobs: readonly JobStatusEntry[], describe: (job: JobStatusEntry) => string) {
  const shown = jobs.slice(0, SHOWN).map((job) => `${shortId(job.id)} (${describe(job)})`);
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
  const parts = [head];
  if (failed.length > 0) {
    parts.push(`failed: ${listJobs(failed, (job) => job.status ?? job.errorCode ?? job.phase)}`);
  }
  if (pending.length > 0) {
    parts.push(
      `waiting on ${listJobs(pending, (job) => {
        const status = job.status ?? "no status yet";
        if (job.paused) return `${status}: paused, resume it`;
        return [status, ...progressDetails(job, progress.maxReplicationLagMs)].join(", ");
      })}`,
    );
  }
  if (progress.comparing) parts.push(describeCompareProgress(progress.comparing));
  if (pollFailed) parts.push(pollFailed);
  return parts.join("; ");
}

/** `67%`, `~12m left`, `lag 42s (max 5s)`: what batch-progress told about a job, if asked. */
export function progressDetails(job: JobStatusEntry, maxLagMs?: number): string[] {
  const details: string[] = [];
  if (job.percent !== undefined && job.replicationLagMs === undefined) {
    details.push(`${job.percent}%`);
  }
  if (job.remainingMs !== undefined && job.replicationLagMs === undefined) {
    details.push(`~${formatDuration(job.remainingMs)} left`);
  }
  const lag = lagDetail(job, maxLagMs);
  if (lag) details.push(lag);
  return details;
}

/** `lag 42s (max 5s)`, `lag unknown (max 5s)` for a job held by the lag gate, else undefined. */
export function lagDetail(job: JobStatusEntry, maxLagMs?: number): string | undefined {
  const max = maxLagMs === undefined ? "" : ` (max ${formatDuration(maxLagMs)})`;
  const trend = job.awaitingLag && job.lagTrend ? `, ${describeTrend(job.lagTrend)}` : "";
  if (job.replicationLagMs !== undefined)
    return `lag ${formatDuration(job.replicationLagMs)}${max}${trend}`;
  return job.awaitingLag ? `lag unknown${max}` : undefined;
}
