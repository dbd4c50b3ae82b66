// The comparison side of a gate: once every job is otherwise ready, one comparison of each
// kind per job is started (or the running one adopted), polled no more often than every
// COMPARE_POLL_MIN_MS per job, and judged by wait/compare.ts's rule. The waiter asks
// `state()` after each event; this class never resolves the wait itself.
//
// What an earlier finished comparison counts for: nothing. Rows keep moving while a job
// replicates, so only a comparison that ran after the gate saw the jobs ready (or one a DBA
// had running then, which is adopted) says anything about the data at cutover.
import type { CompareKind } from "../api/compare";
import { isPermanent } from "./poller";
import {
  judgeComparison,
  KIND_NOUN,
  readReport,
  reportLines,
  startOrAdopt,
  summarizeReport,
  type ComparisonReport,
  type ComparisonSource,
  type ComparisonSummary,
} from "./compare";

/** Jobs whose comparison calls may be in flight at once (there is no batch form). */
export const COMPARE_CONCURRENCY = 4;

export interface CompareProgress {
  kind: CompareKind;
  /** Databases (object types) compared so far and in all, over the jobs comparing this kind. */
  done: number;
  total: number;
  /** Jobs whose comparisons of every kind ended consistent. */
  jobsDone: number;
  jobs: number;
}

/** `comparing rows: 3/12 databases`. */
export function describeCompareProgress(p: CompareProgress): string {
  const unit = p.kind === "objects" ? "object types" : "databases";
  const counts = p.total > 0 ? `${p.done}/${p.total} ${unit}` : "starting";
  const jobs = p.jobs > 1 ? ` (${p.jobsDone}/${p.jobs} jobs done)` : "";
  return `comparing ${KIND_NOUN[p.kind]}: ${counts}${jobs}`;
}

interface JobRun {
  /** Reports of the kinds that ended consistent, in the order asked. */
  finished: ComparisonReport[];
  /** The kind being compared and its latest report (undefined before the first read). */
  kind?: CompareKind;
  comparisonId?: string;
  report?: ComparisonReport;
  /** Waiting for another data-level comparison (a DBA's) to end before starting ours. */
  blockedBy?: string;
  done: boolean;
}

export type GateCompareState =
  | { state: "open"; summaries: Map<string, ComparisonSummary[]> }
  | { state: "waiting"; progress?: CompareProgress; lastError?: Error }
  | { state: "failed"; lines: string[] }
  | { state: "fatal"; error: Error };

export class ComparisonGate {
  readonly #jobs = new Map<string, JobRun>();
  readonly #controller = new AbortController();
  #failure?: string[];
  #fatal?: Error;
  #lastError?: Error;
  #started = false;
  #active = 0;
  readonly #queue: (() => void)[] = [];

  constructor(
    readonly source: ComparisonSource,
    readonly kinds: readonly CompareKind[],
    /** Between two looks at one job's comparison: max(COMPARE_POLL_MIN_MS, the poll interval). */
    readonly pollMs: number,
    private readonly onChange: () => void,
  ) {}

  get started(): boolean {
    return this.#started;
  }

  /** Starts the comparisons of `jobIds` (once: later calls do nothing). */
  start(jobIds: readonly string[]): void {
    if (this.#started) return;
    this.#started = true;
    for (const id of jobIds) {
      const run: JobRun = { finished: [], done: false };
      this.#jobs.set(id, run);
      void this.#runJob(id, run);
    }
  }

  stop(): void {
    this.#controller.abort();
  }

  state(): GateCompareState {
    if (this.#fatal) return { state: "fatal", error: this.#fatal };
    if (this.#failure) return { state: "failed", lines: this.#failure };
    const runs = [...this.#jobs.values()];
    if (this.#started && runs.every((r) => r.done)) {
      return {
        state: "open",
        summaries: new Map(
          [...this.#jobs].map(([id, r]) => [id, r.finished.map((rep) => summarizeReport(rep))]),
        ),
      };
    }
    return { state: "waiting", progress: this.progress(), lastError: this.#lastError };
  }

  /** The kind most jobs are on now, with its databases done and in all. */
  progress(): CompareProgress | undefined {
    const runs = [...this.#jobs.values()];
    const current = runs.find((r) => !r.done && r.kind)?.kind;
    if (!current) return undefined;
    const comparing = runs.filter((r) => r.kind === current && !r.done);
    return {
      kind: current,
      done: comparing.reduce((n, r) => n + (r.report?.done ?? 0), 0),
      total: comparing.reduce((n, r) => n + (r.report?.total ?? 0), 0),
      jobsDone: runs.filter((r) => r.done).length,
      jobs: runs.length,
    };
  }

  /** For the timeout: each unfinished comparison, named with its progress. */
  pendingLines(): string[] {
    return [...this.#jobs].flatMap(([id, r]) => {
      if (r.done) return [];
      if (r.blockedBy) {
        return [
          `${id}: waiting for DRS comparison ${r.blockedBy} to end before comparing ${r.kind}`,
        ];
      }
      if (!r.comparisonId && !r.report) return [`${id}: ${r.kind ?? "comparison"} not started yet`];
      const rep = r.report;
      const unit = r.kind === "objects" ? "object types" : "databases";
      const progress = rep ? `, ${rep.done}/${rep.total} ${unit}` : "";
      const status = rep?.comparison.status ?? "RUNNING";
      return [`${id}: ${r.kind} comparison ${r.comparisonId ?? "?"} still ${status}${progress}`];
    });
  }

  /** Runs `task` when fewer than COMPARE_CONCURRENCY jobs have calls in flight. */
  async #limited<T>(task: () => Promise<T>): Promise<T> {
    if (this.#active >= COMPARE_CONCURRENCY) {
      await new Promise<void>((resolve) => this.#queue.push(resolve));
    }
    this.#active += 1;
    try {
      return await task();
    } finally {
      this.#active -= 1;
      this.#queue.shift()?.();
    }
  }

  /** A DRS call; a failure that retries could heal is kept and tried again next poll. */
  async #call<T>(task: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        const result = await this.#limited(task);
        this.#lastError = undefined;
        return result;
      } catch (err) {
        if (this.#controller.signal.aborted) throw err;
        const error = err instanceof Error ? err : new Error(String(err));
        if (isPermanent(error)) throw error;
        this.#lastError = error;
        this.onChange();
        await this.#sleep();
      }
    }
  }

  #sleep(): Promise<void> {
    const signal = this.#controller.signal;
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      }, this.pollMs);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  async #runJob(jobId: string, run: JobRun): Promise<void> {
    const signal = this.#controller.signal;
    try {
      for (const kind of this.kinds) {
        run.kind = kind;
        run.report = undefined;
        run.comparisonId = undefined;
        let started = await this.#call(() => startOrAdopt(this.source, jobId, kind, signal));
        while ("blockedBy" in started) {
          run.blockedBy = started.blockedBy.id;
          this.onChange();
          await this.#sleep();
          started = await this.#call(() => startOrAdopt(this.source, jobId, kind, signal));
        }
        run.blockedBy = undefined;
        const { comparison } = started;
        run.comparisonId = comparison.id;
        this.onChange();
        // A first look at once (its progress for the line and a timeout), then every pollMs.
        for (;;) {
          const report = await this.#call(() => readReport(this.source, jobId, comparison, signal));
          run.report = report;
          const verdict = judgeComparison(report);
          if (verdict.state === "running") {
            this.onChange();
            await this.#sleep();
            continue;
          }
          if (verdict.state === "failed") {
            this.#fail([
              `${jobId}: ${kind} comparison ${comparison.id ?? ""} ended ${report.comparison.status}: ${verdict.message}`,
            ]);
            return;
          }
          if (verdict.state === "inconsistent") {
            this.#fail(reportLines(report));
            return;
          }
          run.finished.push(report);
          break;
        }
      }
      run.done = true;
      this.onChange();
    } catch (err) {
      if (signal.aborted) return;
      this.#fatal ??= err instanceof Error ? err : new Error(String(err));
      this.onChange();
    }
  }

  #fail(lines: string[]): void {
    if (!this.#failure) this.#failure = lines;
    this.onChange();
  }
}
