// Percent and time left for the progress line: never holds a job back. batch-progress is
// asked at most every 30 s per job, and its numbers are shown only when fetched since the job
// reached its current status, so a 67% from the full transfer never decorates a later status.
import type { JobProgressEntry } from "../../api/progress";
import type { JobStatusEntry } from "../../api/status";
import { batchProgress } from "../fetchers/batch-progress";
import type { Acceptor } from "../readiness";

/** Progress shown only for display is fetched at most this often per job. */
export const DISPLAY_PROGRESS_EVERY_MS = 30_000;

/** The status a job was in at the last poll, and since when (the tick that first saw it). */
interface StatusSince {
  status: string | undefined;
  since: number;
}

export function displayProgress(): Acceptor<StatusSince> {
  return {
    name: "progress",
    accept({ entry, tick, memory }) {
      const since = memory && memory.status === entry.status ? memory.since : tick.startedAt;
      const observed = tick.observed(batchProgress, entry.id);
      const current = observed && observed.at >= since ? observed.value : undefined;
      return {
        entry: withProgress(entry, current),
        memory: { status: entry.status, since },
        needs: [
          {
            fetcher: batchProgress,
            jobId: entry.id,
            maxAgeMs: DISPLAY_PROGRESS_EVERY_MS,
            forDisplay: true,
          },
        ],
      };
    },
  };
}

/** Percent, lag and time left where batch-progress told them. */
export function withProgress(
  entry: JobStatusEntry,
  progress: JobProgressEntry | undefined,
): JobStatusEntry {
  if (!progress) return entry;
  const out = { ...entry };
  if (progress.percent !== undefined) out.percent = progress.percent;
  if (progress.replicationLagMs !== undefined) out.replicationLagMs = progress.replicationLagMs;
  if (progress.remainingMs !== undefined) out.remainingMs = progress.remainingMs;
  return out;
}
