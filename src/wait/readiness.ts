// The acceptor: whether one job is ready for a gate, from what DRS said. Today "in a target
// status", and, when the gate is on replication lag, "and, in INCRE_TRANSFER_STARTED, its lag
// at or below the maximum on consecutive polls spanning `stableForMs`". The poller never
// learns either rule; the waiter asks this once per job per poll.
import type { JobProgressEntry } from "../api/progress";
import {
  canonicalStatus,
  judge,
  type JobObservation,
  type JobStatusEntry,
  type TargetStatuses,
} from "../api/status";

export interface LagRule {
  maxMs: number;
  /** 0: a single poll at or below the maximum is enough. */
  stableForMs: number;
}

export class Readiness {
  /** When each job's lag was first seen at or below the maximum, in the current run of polls. */
  readonly #lowSince = new Map<string, number>();

  constructor(
    readonly targets: TargetStatuses,
    readonly lag?: LagRule,
  ) {}

  judge(
    observation: JobObservation,
    progress: JobProgressEntry | undefined,
    now: number = Date.now(),
  ): JobStatusEntry {
    const entry = withProgress(judge(observation, this.targets), progress);
    const gated =
      this.lag !== undefined &&
      entry.phase === "ready" &&
      entry.status !== undefined &&
      canonicalStatus(entry.status) === "INCRE_TRANSFER_STARTED";
    if (!gated) {
      this.#lowSince.delete(entry.id);
      return entry;
    }
    const lagMs = entry.replicationLagMs;
    // A lag not reported is not a low lag.
    if (lagMs === undefined || lagMs > this.lag!.maxMs) {
      this.#lowSince.delete(entry.id);
      return { ...entry, phase: "pending", awaitingLag: true };
    }
    const since = this.#lowSince.get(entry.id) ?? now;
    this.#lowSince.set(entry.id, since);
    return now - since >= this.lag!.stableForMs
      ? entry
      : { ...entry, phase: "pending", awaitingLag: true };
  }
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
