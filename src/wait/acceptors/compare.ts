// The comparison gate: once every job is otherwise ready (its status, and the lag gate when
// set), each job is held until a DRS data comparison of each kind, run one after another,
// ended consistent (wait/compare.ts's rule). A comparison that finds a table that differs or
// went unchecked, or that ends FAILED, CANCELLED or TIMEOUT_INTERRUPT, fails the job. What an
// earlier finished comparison counts for: nothing; rows keep moving while a job replicates,
// so only one started (or, running, adopted) once the jobs were ready says anything.
import type { CompareKind } from "../../api/compare";
import type { JobStatusEntry } from "../../api/status";
import {
  judgeComparison,
  reportFailure,
  summarizeReport,
  type ComparisonFailure,
} from "../compare";
import { comparisonFetcher, type ComparisonObservation } from "../fetchers/comparison";
import type { Fetcher } from "../observations";
import type { Acceptor } from "../readiness";

/** Per job: the kinds that ended consistent, in order. */
type Done = NonNullable<JobStatusEntry["comparisons"]>;

/**
 * `pollMs`: how old a running comparison's last look may be, max(15 s, the poll interval).
 * Each call makes fetchers of its own: one wait's comparisons are its own.
 */
export function compareAcceptor(kinds: readonly CompareKind[], pollMs: number): Acceptor<Done> {
  const fetchers = new Map<CompareKind, Fetcher<ComparisonObservation>>(
    kinds.map((kind) => [kind, comparisonFetcher(kind)]),
  );
  return {
    name: "compare",
    afterAll: true,
    accept({ entry, tick, memory, allReady }) {
      const done = memory ?? [];
      // Not before every job is otherwise ready; a job that left the ready state keeps what
      // its comparisons found and goes on when it is back.
      if (entry.phase !== "ready" || (!allReady && memory === undefined)) {
        return { entry, memory };
      }
      const kind = kinds[done.length];
      if (kind === undefined) return { entry: { ...entry, comparisons: done }, memory: done };
      const fetcher = fetchers.get(kind)!;
      const observed = tick.observed(fetcher, entry.id)?.value;
      const held = (comparing: JobStatusEntry["comparing"], maxAgeMs: number) => ({
        entry: { ...entry, phase: "pending" as const, comparing },
        memory: done,
        needs: [{ fetcher, jobId: entry.id, maxAgeMs }],
      });
      if (!observed) return held({ kind }, 0);
      if ("error" in observed) {
        return {
          entry: failed(entry, {
            lines: [{ text: `${entry.id}: ${kind} comparison: ${observed.error}` }],
            more: 0,
          }),
          memory: done,
        };
      }
      if ("blockedBy" in observed) {
        return held({ kind, blockedBy: observed.blockedBy.id }, pollMs);
      }
      const { report } = observed;
      const verdict = judgeComparison(report);
      const c = report.comparison;
      if (verdict.state === "running") {
        return held(
          { kind, id: c.id, status: c.status, done: report.done, total: report.total },
          pollMs,
        );
      }
      if (verdict.state === "failed") {
        const line = `${entry.id}: ${kind} comparison ${c.id ?? ""} ended ${c.status}: ${verdict.message}`;
        return { entry: failed(entry, { lines: [{ text: line }], more: 0 }), memory: done };
      }
      if (verdict.state === "inconsistent") {
        return { entry: failed(entry, reportFailure(report)), memory: done };
      }
      const next = [...done, summarizeReport(report)];
      if (next.length < kinds.length) {
        const nextFetcher = fetchers.get(kinds[next.length])!;
        return {
          entry: { ...entry, phase: "pending", comparing: { kind: kinds[next.length] } },
          memory: next,
          needs: [{ fetcher: nextFetcher, jobId: entry.id, maxAgeMs: 0 }],
        };
      }
      return { entry: { ...entry, comparisons: next }, memory: next };
    },
  };
}

function failed(entry: JobStatusEntry, failure: ComparisonFailure): JobStatusEntry {
  return { ...entry, phase: "failed", comparisonFailure: failure };
}
