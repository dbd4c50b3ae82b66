// What a refresh records when DRS leaves a job out of its answer (even when asked again):
// that says nothing about the job, so the entry recorded before stays. Recording it as a
// failed job would make a gate diff as "not ready" and `up --refresh` fail over a glitch.
import type { JobStatusEntry } from "../api/status";

/** `fresh`, with each job the service returned no result for replaced by its `recorded` entry. */
export function keepRecordedWhenMissing(
  fresh: readonly JobStatusEntry[],
  recorded: unknown,
): JobStatusEntry[] {
  if (!fresh.some((job) => job.missing) || !Array.isArray(recorded)) return [...fresh];
  const before = new Map(
    (recorded as (JobStatusEntry | null)[]).flatMap((job) =>
      job && typeof job.id === "string" ? [[job.id, job] as const] : [],
    ),
  );
  return fresh.map((job) => (job.missing ? (before.get(job.id) ?? job) : job));
}
