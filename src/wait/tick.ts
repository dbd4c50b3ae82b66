// One poll as its subscribers see it: the tick's statuses over the poller's record of every
// other kind of observation, which the tick's fetches add to.
import type { JobObservation } from "../api/status";
import type { Fetcher, Observed, Tick } from "./observations";

/** One tick's statuses over the poller's record of every other kind of observation. */
export class PollTick implements Tick {
  readonly statusById: ReadonlyMap<string, JobObservation>;
  readonly failures = new Map<string, Error>();
  revision = 0;
  /** The poller's record, shared by its ticks: one kind fetched for one waiter serves all. */
  readonly #known: Map<string, Map<string, Observed<unknown>>>;

  constructor(
    readonly startedAt: number,
    entries: readonly JobObservation[],
    known: Map<string, Map<string, Observed<unknown>>>,
  ) {
    // Filled in a loop: an array of [id, entry] pairs first would be 10,000 more objects a poll.
    const statusById = new Map<string, JobObservation>();
    for (const entry of entries) statusById.set(entry.id, entry);
    this.statusById = statusById;
    this.#known = known;
  }

  observed<T>(fetcher: Fetcher<T>, jobId: string): Observed<T> | undefined {
    return this.#known.get(fetcher.kind)?.get(jobId) as Observed<T> | undefined;
  }

  record(kind: string, found: ReadonlyMap<string, unknown>, at: number): void {
    let byJob = this.#known.get(kind);
    if (!byJob) this.#known.set(kind, (byJob = new Map()));
    for (const [jobId, value] of found) byJob.set(jobId, { value, at });
    this.revision += 1;
  }

  fail(kind: string, error: Error): void {
    this.failures.set(kind, error);
    this.revision += 1;
  }
}
