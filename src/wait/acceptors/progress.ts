// Percent and time left for the progress line: never holds a job back. batch-progress is
// asked at most every 30 s per job, and its numbers are shown only when fetched since the job
// reached its current status, so a 67% from the full transfer never decorates a later status.
import type { JobProgressEntry } from "../../api/progress";
import type { JobStatusEntry } from "../../api/status";
import { batchProgress } from "../fetchers/batch-progress";
import type { Need } from "../observations";
import type { Acceptor } from "../readiness";

/** Progress shown only for display is fetched at most this often per job. */
export const DISPLAY_PROGRESS_EVERY_MS = 30_000;

/** The status a job was in at the last poll, and since when (the tick that first saw it). */
interface StatusSince {
  status: string | undefined;
  since: number;
}

export function displayProgress(): Acceptor<StatusSince> {
  // The same need every poll: made once per job (a wait may hold 10,000).
  const needs = new Map<string, readonly Need[]>();
  const needOf = (jobId: string) => {
    let need = needs.get(jobId);
    if (!need) {
      need = [
        { fetcher: batchProgress, jobId, maxAgeMs: DISPLAY_PROGRESS_EVERY_MS, forDisplay: true },
      ];
      needs.set(jobId, need);
    }
    return need;
  };
  return {
    name: "progress",
    accept({ entry, tick, memory }) {
      const same = memory !== undefined && memory.status === entry.status;
      const kept = same ? memory : { status: entry.status, since: tick.startedAt };
      const observed = tick.observed(batchProgress, entry.id);
      const current = observed && observed.at >= kept.since ? observed.value : undefined;
      const due = !observed || tick.startedAt - observed.at > DISPLAY_PROGRESS_EVERY_MS;
      const needs = due ? needOf(entry.id) : undefined;
      return { entry: withProgress(entry, current), memory: kept, needs };
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
