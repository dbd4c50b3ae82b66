// One loop per endpoint/project/credentials in a process: each tick asks for the union of
// every subscriber's jobs in one batchStatus call (which sends one request per 100 ids).
// The poller knows nothing about what "done" means: subscribers judge the results.
import { DrsApiError } from "../api/errors";
import type { JobStatusEntry } from "../api/status";

/** What the poller needs from a DrsClient; tests of the schedule can pass their own. */
export interface StatusSource {
  /** Equal for sources that talk to the same endpoint and project with the same credentials. */
  readonly key: string;
  batchStatus(
    jobIds: readonly string[],
    options: { signal?: AbortSignal },
  ): Promise<JobStatusEntry[]>;
}

export interface Subscriber {
  readonly jobIds: readonly string[];
  readonly intervalMs: number;
  /** Epoch ms; the poller lands one poll shortly before it. */
  readonly deadline: number;
  /** How long its first poll may wait for others to join; default the tuning's coalesceMs. */
  readonly firstPollWithinMs?: number;
  /** A poll that included this subscriber's jobs answered. */
  onResult(statusById: ReadonlyMap<string, JobStatusEntry>): void;
  /** A poll failed after the client's retries; polling goes on. */
  onPollError(error: Error): void;
  /** A poll failed in a way that cannot heal (bad credentials, bad request). */
  onFatal(error: Error): void;
}

export interface PollerTuning {
  /** How long a new subscriber waits for others to join its first poll. */
  coalesceMs: number;
  /** Ticks vary by ± this fraction of the interval, so many processes do not poll in step. */
  jitter: number;
}

export const DEFAULT_TUNING: PollerTuning = { coalesceMs: 25, jitter: 0.1 };

/** Errors after which polling again cannot help. */
export function isPermanent(error: unknown): boolean {
  return !(error instanceof DrsApiError && error.retryable);
}

export class BatchPoller {
  readonly #subscribers = new Set<Subscriber>();
  /** Subscribers no completed poll has covered yet. */
  readonly #unpolled = new Set<Subscriber>();
  #timer?: NodeJS.Timeout;
  #nextAt = Infinity;
  #inFlight?: AbortController;
  #lastPollStart = -Infinity;
  /** Ticks run so far; for diagnostics and tests. */
  ticks = 0;

  constructor(
    readonly source: StatusSource,
    readonly tuning: PollerTuning = DEFAULT_TUNING,
    private readonly onIdle: () => void = () => {},
  ) {}

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  /** Starts polling for `subscriber`; the first poll comes at once. Returns unsubscribe. */
  subscribe(subscriber: Subscriber): () => void {
    this.#subscribers.add(subscriber);
    this.#unpolled.add(subscriber);
    if (!this.#inFlight) this.#scheduleWithin(this.#firstPollWithin(subscriber));
    return () => this.#unsubscribe(subscriber);
  }

  /** The current status of `jobIds`, from the next poll (shared with every other subscriber). */
  fetchOnce(
    jobIds: readonly string[],
    signal?: AbortSignal,
    firstPollWithinMs?: number,
  ): Promise<JobStatusEntry[]> {
    return new Promise((resolve, reject) => {
      const done = (settle: () => void) => {
        signal?.removeEventListener("abort", onAbort);
        unsubscribe();
        settle();
      };
      const onAbort = () => done(() => reject(signal?.reason ?? new Error("aborted")));
      const unsubscribe = this.subscribe({
        jobIds,
        intervalMs: Infinity,
        deadline: Infinity,
        firstPollWithinMs,
        onResult: (byId) => done(() => resolve(jobIds.map((id) => byId.get(id) as JobStatusEntry))),
        onPollError: (error) => done(() => reject(error)),
        onFatal: (error) => done(() => reject(error)),
      });
      if (signal?.aborted) onAbort();
      else signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  #firstPollWithin(subscriber: Subscriber): number {
    return subscriber.firstPollWithinMs ?? this.tuning.coalesceMs;
  }

  #unsubscribe(subscriber: Subscriber): void {
    if (!this.#subscribers.delete(subscriber)) return;
    this.#unpolled.delete(subscriber);
    if (this.#subscribers.size > 0) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#nextAt = Infinity;
    this.#inFlight?.abort();
    this.#inFlight = undefined;
    this.onIdle();
  }

  /** Makes sure a tick happens within `delayMs` (an earlier one stays). */
  #scheduleWithin(delayMs: number): void {
    const at = Date.now() + delayMs;
    if (this.#timer && this.#nextAt <= at) return;
    clearTimeout(this.#timer);
    this.#nextAt = at;
    this.#timer = setTimeout(() => void this.#tick(), delayMs);
  }

  async #tick(): Promise<void> {
    this.#timer = undefined;
    this.#nextAt = Infinity;
    const batch = [...this.#subscribers];
    if (batch.length === 0) return;
    const jobIds = [...new Set(batch.flatMap((s) => s.jobIds))];
    const controller = new AbortController();
    this.#inFlight = controller;
    this.#lastPollStart = Date.now();
    this.ticks += 1;
    let entries: JobStatusEntry[] | undefined;
    let failure: unknown;
    try {
      entries = await this.source.batchStatus(jobIds, { signal: controller.signal });
    } catch (error) {
      failure = error;
    } finally {
      if (this.#inFlight === controller) this.#inFlight = undefined;
    }
    // Aborted: every subscriber left; whoever subscribed since has a tick of its own.
    if (controller.signal.aborted) return;
    const live = batch.filter((s) => this.#subscribers.has(s));
    for (const subscriber of live) this.#unpolled.delete(subscriber);
    if (entries) {
      const byId = new Map(entries.map((entry) => [entry.id, entry]));
      for (const subscriber of live) subscriber.onResult(byId);
    } else {
      const error = failure instanceof Error ? failure : new Error(String(failure));
      const permanent = isPermanent(error);
      for (const subscriber of live) {
        if (permanent) subscriber.onFatal(error);
        else subscriber.onPollError(error);
      }
    }
    if (this.#subscribers.size > 0) this.#scheduleWithin(this.#nextDelay());
  }

  /** Jittered min interval, pulled in so that a poll lands shortly before each deadline. */
  #nextDelay(): number {
    if (this.#unpolled.size > 0) {
      return Math.min(...[...this.#unpolled].map((s) => this.#firstPollWithin(s)));
    }
    const now = Date.now();
    let interval = Infinity;
    for (const s of this.#subscribers) interval = Math.min(interval, s.intervalMs);
    const jitter = 1 + (Math.random() * 2 - 1) * this.tuning.jitter;
    let at = now + interval * jitter;
    for (const s of this.#subscribers) {
      // Room for the request to answer before the deadline, but never a burst of polls.
      const lastChance = s.deadline - Math.min(1000, s.intervalMs / 4);
      if (lastChance < at && lastChance - this.#lastPollStart >= s.intervalMs / 4) {
        at = Math.max(now, lastChance);
      }
    }
    return Math.max(0, at - now);
  }
}

const shared = new Map<string, BatchPoller>();

/** The process-wide poller for `source`'s endpoint, project and credentials. */
export function sharedPoller(source: StatusSource): BatchPoller {
  let poller = shared.get(source.key);
  if (!poller) {
    const created = new BatchPoller(source, DEFAULT_TUNING, () => {
      if (shared.get(source.key) === created) shared.delete(source.key);
    });
    shared.set(source.key, created);
    poller = created;
  }
  return poller;
}
