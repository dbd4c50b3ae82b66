// How a wait ends when it does not succeed. Each error names the jobs concerned so the user
// sees which job and why, one line per job (like pulumi-kubernetes' per-object sub-errors).
import type { JobStatusEntry } from "../api/status";
import { formatDuration } from "../util/duration";
import { lagDetail } from "./progress";

/** One line per job: `id: STATUS (CODE: message)`, or `id: STATUS, lag 42s (max 5s)`. */
export function describeJob(entry: JobStatusEntry, maxLagMs?: number): string {
  const status = entry.status ?? (entry.notFound ? "not found" : "no status");
  const detail = [entry.errorCode, entry.errorMessage].filter(Boolean).join(": ");
  const lag = entry.awaitingLag ? lagDetail(entry, maxLagMs) : undefined;
  return `${entry.id}: ${status}${lag ? `, ${lag}` : ""}${detail ? ` (${detail})` : ""}`;
}

function jobLines(jobs: readonly JobStatusEntry[], maxLagMs?: number): string {
  return jobs.map((job) => `  - ${describeJob(job, maxLagMs)}`).join("\n");
}

/**
 * Every way a wait ends unready. The message names each job concerned and why, so it speaks
 * for itself: the Pulumi adapters show it once on the resource's row, without a stack.
 */
export abstract class WaitError extends Error {}

/** Some job failed, was stopped or does not exist: it can never become ready. */
export class JobsFailedError extends WaitError {
  override readonly name = "JobsFailedError";
  constructor(
    /** The failed, stopped or missing jobs. */
    readonly failedJobs: readonly JobStatusEntry[],
    /** Every job of the wait, as last seen. */
    readonly jobs: readonly JobStatusEntry[],
  ) {
    const n = failedJobs.length;
    super(
      `${n} of ${jobs.length} DRS job${jobs.length === 1 ? "" : "s"} failed, stopped or do${n === 1 ? "es" : ""} not exist:\n${jobLines(failedJobs)}`,
    );
  }
}

/** The timeout passed before every job was ready. */
export class WaitTimeoutError extends WaitError {
  override readonly name: string = "WaitTimeoutError";
  constructor(
    readonly timeoutMs: number,
    /** Jobs not ready at the deadline, with their last status. */
    readonly pendingJobs: readonly JobStatusEntry[],
    readonly jobs: readonly JobStatusEntry[],
    /** The last poll failure, when polls were failing. */
    readonly lastError?: Error,
    /** The lag gate's maximum, when the wait gated on replication lag. */
    readonly maxReplicationLagMs?: number,
  ) {
    const why = lastError ? `\nthe last poll failed: ${lastError.message}` : "";
    super(
      `timed out after ${formatDuration(timeoutMs)} waiting for ${pendingJobs.length} of ${jobs.length} DRS jobs:\n${jobLines(pendingJobs, maxReplicationLagMs)}${why}`,
    );
  }
}

/**
 * The caller's AbortSignal fired; its reason is the `cause`. A string reason says why, first:
 * `the update was cancelled: stopped waiting for the DRS jobs`.
 */
export class WaitAbortedError extends WaitError {
  override readonly name = "WaitAbortedError";
  constructor(
    readonly jobs: readonly JobStatusEntry[],
    reason?: unknown,
  ) {
    super(
      typeof reason === "string" && reason !== ""
        ? `${reason}: stopped waiting for the DRS jobs`
        : "the wait for DRS jobs was cancelled",
      reason === undefined ? {} : { cause: reason },
    );
  }
}

/** A comparison found tables (object types) that differ or went unchecked, or it failed. */
export class ComparisonFailedError extends WaitError {
  override readonly name = "ComparisonFailedError";
  constructor(
    /** One line per differing or unchecked table, or the failed comparison's message. */
    readonly lines: readonly string[],
    /** Every job of the wait, as last seen. */
    readonly jobs: readonly JobStatusEntry[],
  ) {
    super(
      `the DRS data comparison did not find the target consistent:\n${lines.map((l) => `  - ${l}`).join("\n")}`,
    );
  }
}

/** The timeout passed while comparisons were still running: each is named with its progress. */
export class ComparisonTimeoutError extends WaitTimeoutError {
  override readonly name = "ComparisonTimeoutError";
  constructor(
    timeoutMs: number,
    pendingJobs: readonly JobStatusEntry[],
    jobs: readonly JobStatusEntry[],
    /** One line per comparison not finished. */
    readonly comparisons: readonly string[],
    lastError?: Error,
    maxReplicationLagMs?: number,
  ) {
    super(timeoutMs, pendingJobs, jobs, lastError, maxReplicationLagMs);
    const head =
      pendingJobs.length === 0
        ? `timed out after ${formatDuration(timeoutMs)} waiting for the DRS data comparisons of ${jobs.length} jobs:`
        : `${this.message}\nand for the data comparisons:`;
    this.message = `${head}\n${comparisons.map((l) => `  - ${l}`).join("\n")}${
      pendingJobs.length === 0 && lastError ? `\nthe last poll failed: ${lastError.message}` : ""
    }`;
  }
}
