// The lag gate: a job in INCRE_TRANSFER_STARTED that the status made ready stays pending until
// its replication lag is at or below the maximum on consecutive polls spanning `stableForMs`.
// It needs this tick's batch-progress for such jobs: a gate must not open on an old lag, and a
// lag not reported is not a low lag.
import { canonicalStatus } from "../../api/status";
import { batchProgress } from "../fetchers/batch-progress";
import type { Need } from "../observations";
import type { Acceptor } from "../readiness";
import { keepRecent, lagTrend, type LagSample } from "../lag-trend";
import { withProgress } from "./progress";

export interface LagRule {
  maxMs: number;
  /** 0: a single poll at or below the maximum is enough. */
  stableForMs: number;
}

/**
 * Memory: when the lag was first seen at or below the maximum, in the current run of polls,
 * and the recent lags (for the trend shown while the gate holds the job).
 */
interface LagMemory {
  lowSince?: number;
  samples: LagSample[];
}

export function lagAcceptor(rule: LagRule): Acceptor<LagMemory> {
  // The same need every poll: made once per job.
  const needs = new Map<string, readonly Need[]>();
  const needOf = (jobId: string) => {
    let need = needs.get(jobId);
    if (!need) needs.set(jobId, (need = [{ fetcher: batchProgress, jobId, maxAgeMs: 0 }]));
    return need;
  };
  return {
    name: "lag",
    accept({ entry, tick, now, memory }) {
      const gated =
        entry.phase === "ready" &&
        entry.status !== undefined &&
        canonicalStatus(entry.status) === "INCRE_TRANSFER_STARTED";
      if (!gated) return { entry };
      const observed = tick.observed(batchProgress, entry.id);
      const progress = observed && observed.at >= tick.startedAt ? observed.value : undefined;
      const needs = progress ? undefined : needOf(entry.id);
      // Only this tick's lag is shown, even if the progress line had an older one.
      const { replicationLagMs: _older, ...rest } = entry;
      const seen = withProgress(rest, progress);
      const lagMs = progress?.replicationLagMs;
      const samples =
        lagMs === undefined
          ? (memory?.samples ?? [])
          : keepRecent(memory?.samples ?? [], { at: observed!.at, lagMs });
      const trend = lagTrend(samples, rule.maxMs);
      const held = {
        ...seen,
        phase: "pending" as const,
        awaitingLag: true as const,
        ...(trend && { lagTrend: trend }),
      };
      if (lagMs === undefined || lagMs > rule.maxMs) {
        return { entry: held, memory: { samples }, needs };
      }
      const since = memory?.lowSince ?? now;
      const lowForMs = now - since;
      const kept = { lowSince: since, samples };
      if (lowForMs >= rule.stableForMs) return { entry: seen, memory: kept, needs };
      return { entry: { ...held, lowLagForMs: lowForMs }, memory: kept, needs };
    },
  };
}
