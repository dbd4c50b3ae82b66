// What a waiter knows after each poll, and the one-line summary every front end shows.
import type { JobStatusEntry } from "../api/status";

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
}

function shortId(id: string): string {
  return id.length > 8 ? `${id.slice(0, 8)}…` : id;
}

/** e.g. `2/3 jobs ready; waiting on dc67695a… (FULL_TRANSFER_STARTED)`. */
export function summarize(progress: WaitProgress): string {
  const head = `${progress.ready}/${progress.total} jobs ready`;
  if (progress.pollError && progress.jobs.length === 0) {
    return `${head}; poll failed, retrying: ${progress.pollError.message}`;
  }
  const shown = progress.waitingOn.slice(0, 3).map((job) => {
    const status = job.status ?? "no status yet";
    return `${shortId(job.id)} (${job.paused ? `${status}: paused, resume it` : status})`;
  });
  const more = progress.waitingOn.length > 3 ? ` and ${progress.waitingOn.length - 3} more` : "";
  const waiting = shown.length ? `; waiting on ${shown.join(", ")}${more}` : "";
  const failed = progress.pollError
    ? `; last poll failed (retrying): ${progress.pollError.message}`
    : "";
  return `${head}${waiting}${failed}`;
}
