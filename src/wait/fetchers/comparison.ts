// DRS data comparisons as a fetcher: for each job asked, the first fetch starts a comparison
// of its kind (or adopts one running, or finds DRS busy with another kind), later fetches read
// what it found. One fetcher per wait and kind, so a wait only ever looks at the comparison it
// started or adopted, never at an older one. Comparisons have no batch form: the jobs of a
// fetch are asked one by one, at most COMPARE_CONCURRENCY at once.
import pLimit from "p-limit";
import type { Comparison, CompareKind } from "../../api/compare";
import type { Fetcher, StatusSource } from "../observations";
import { isPermanent } from "../poller";
import { readReport, startOrAdopt, type ComparisonReport, type ComparisonSource } from "../compare";

/** Jobs whose comparison calls may be in flight at once. */
export const COMPARE_CONCURRENCY = 4;

/** What one fetch learned about one job's comparison. */
export type ComparisonObservation =
  | { report: ComparisonReport }
  /** DRS runs another data-level comparison of the job (one at a time): ours waits. */
  | { blockedBy: Comparison }
  /** A call DRS refused for good (no permission, a job that cannot be compared). */
  | { error: string };

export function isComparisonSource(source: unknown): source is ComparisonSource {
  return typeof (source as Partial<ComparisonSource>).createComparison === "function";
}

let instances = 0;

export function comparisonFetcher(kind: CompareKind): Fetcher<ComparisonObservation> {
  /** The comparison this wait started or adopted, per job. */
  const mine = new Map<string, Comparison>();
  const fetchOne = async (
    source: ComparisonSource,
    jobId: string,
    signal: AbortSignal,
  ): Promise<ComparisonObservation> => {
    try {
      let comparison = mine.get(jobId);
      if (!comparison) {
        const started = await startOrAdopt(source, jobId, kind, signal);
        if ("blockedBy" in started) return { blockedBy: started.blockedBy };
        comparison = started.comparison;
        mine.set(jobId, comparison);
      }
      return { report: await readReport(source, jobId, comparison, signal) };
    } catch (error) {
      // Transient failures fail the fetch: the poller records them and asks again.
      if (signal.aborted || !isPermanent(error)) throw error;
      return { error: error instanceof Error ? error.message : String(error) };
    }
  };
  return {
    kind: `comparison:${kind}#${++instances}`,
    async fetch(source: StatusSource, jobIds, { signal }) {
      if (!isComparisonSource(source)) throw new Error("this status source cannot compare data");
      // Per-job calls (DRS has no batch form): N jobs must not become N simultaneous calls.
      const found = await pLimit(COMPARE_CONCURRENCY).map(jobIds, (id) =>
        fetchOne(source, id, signal),
      );
      return new Map(jobIds.map((id, i) => [id, found[i]]));
    },
  };
}
