// One loop per endpoint/project/credentials in a process: each tick asks for the union of
// every subscriber's jobs in one batchStatus call (which sends one request per 100 ids), and
// batch-progress only for what some subscriber needs: every tick, the jobs in
// INCRE_TRANSFER_STARTED of subscribers that gate on replication lag; every 30 s at most,
// the jobs of subscribers that show progress. The poller knows nothing about what "done"
// means: subscribers judge the results.
import { DrsApiError } from "../api/errors";
import type { JobProgressEntry } from "../api/progress";
import { canonicalStatus, type JobObservation } from "../api/status";

/** What the poller needs from a DrsClient; tests of the schedule can pass their own. */
export interface StatusSource {
  /** Equal for sources that talk to the same endpoint and project with the same credentials. */
  readonly key: string;
  batchStatus(
    jobIds: readonly string[],
    options: { signal?: AbortSignal },
  ): Promise<JobObservation[]>;
  /** Needed only by subscribers that gate on lag or show progress. */
  batchProgress?(
    jobIds: readonly string[],
    options: { signal?: AbortSignal },
  ): Promise<JobProgressEntry[]>;
}

/** Progress shown only for display is fetched at most this often (per 100 jobs). */
export const DISPLAY_PROGRESS_EVERY_MS = 30_000;

/** The batch-progress side of a poll: the latest entries known, and why it failed if it did. */
export interface PollProgress {
  /** Fresh this tick for lag-gated jobs in INCRE_TRANSFER_STARTED; up to 30 s old otherwise. */
  byId: ReadonlyMap<string, JobProgressEntry>;
  /** batch-progress failed this tick: lag-gated jobs have no lag (unknown, so not ready). */
  error?: Error;
}

export interface Subscriber {
  readonly jobIds: readonly string[];
  readonly intervalMs: number;
  /** Epoch ms; the poller lands one poll shortly before it. */
  readonly deadline: number;
  /** How long its first poll may wait for others to join; default the tuning's coalesceMs. */
  readonly firstPollWithinMs?: number;
  /** Gates on replication lag: its jobs in INCRE_TRANSFER_STARTED need batch-progress each tick. */
  readonly needsLag?: boolean;
  /** Shows percent and time left: batch-progress for its jobs, at most every 30 s. */
  readonly wantsProgress?: boolean;
  /** A poll that included this subscriber's jobs answered: what DRS said, to be judged. */
  onResult(statusById: ReadonlyMap<string, JobObservation>, progress: PollProgress): void;
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

/** A timer that remembers when it will fire, so an earlier request can replace a later one. */
class Alarm {
  at = Infinity;
  #handle?: NodeJS.Timeout;

  /** Fires `run` within `delayMs`, unless it is already due sooner. */
  within(delayMs: number, run: () => void): void {
    const at = Date.now() + delayMs;
    if (this.#handle && this.at <= at) return;
    this.clear();
    this.at = at;
    this.#handle = setTimeout(() => {
      this.#handle = undefined;
      this.at = Infinity;
      run();
    }, delayMs);
  }

  get pending(): boolean {
    return this.#handle !== undefined;
  }

  clear(): void {
    clearTimeout(this.#handle);
    this.#handle = undefined;
    this.at = Infinity;
  }
}

/**
 * Two kinds of polls: the regular tick asks for every subscriber's jobs; a subscriber that
 * arrives between ticks gets a first poll of its own jobs (with whoever else arrives in the
 * same window) unless the regular tick is due by then. So staggered waits cost their own
 * jobs once, not everyone's jobs once each.
 *
 * A subscriber's jobs are polled until it settles, ready ones too: a gate opens on one poll
 * that saw every job ready, and a job can leave the ready state (INCRE_TRANSFER_FAILED).
 */
export class BatchPoller {
  readonly #subscribers = new Set<Subscriber>();
  /** Subscribers no completed poll has covered yet. */
  readonly #unpolled = new Set<Subscriber>();
  readonly #regular = new Alarm();
  readonly #firstPoll = new Alarm();
  readonly #inFlight = new Set<AbortController>();
  #regularInFlight = false;
  #lastRegularStart = -Infinity;
  /** A throttled poll's Retry-After: no regular tick before this (epoch ms). */
  #notBefore = -Infinity;
  /** Polls sent so far (each one batchStatus call); for diagnostics and tests. */
  ticks = 0;
  /** The latest batch-progress entry of each job asked about. */
  readonly #progress = new Map<string, JobProgressEntry>();
  #lastDisplayFetch = -Infinity;

  constructor(
    readonly source: StatusSource,
    readonly tuning: PollerTuning = DEFAULT_TUNING,
    private readonly onIdle: () => void = () => {},
  ) {}

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  /** Starts polling for `subscriber`; its first poll comes at once. Returns unsubscribe. */
  subscribe(subscriber: Subscriber): () => void {
    this.#subscribers.add(subscriber);
    this.#unpolled.add(subscriber);
    const within = subscriber.firstPollWithinMs ?? this.tuning.coalesceMs;
    const unsubscribe = () => this.#unsubscribe(subscriber);
    if (!this.#regular.pending && !this.#regularInFlight) {
      // Idle: the regular tick itself is this subscriber's first poll.
      this.#regular.within(within, this.#regularTick);
      return unsubscribe;
    }
    if (this.#regular.at > Date.now() + within) this.#firstPoll.within(within, this.#firstTick);
    // A faster subscriber brings the next regular tick forward (an in-flight one reschedules).
    if (this.#regular.pending && Number.isFinite(subscriber.intervalMs)) {
      this.#regular.within(within + subscriber.intervalMs, this.#regularTick);
    }
    return unsubscribe;
  }

  /** The current status of `jobIds`, from the next poll (shared with every other subscriber). */
  fetchOnce(
    jobIds: readonly string[],
    signal?: AbortSignal,
    firstPollWithinMs?: number,
  ): Promise<JobObservation[]> {
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
        onResult: (byId) => done(() => resolve(jobIds.map((id) => byId.get(id) as JobObservation))),
        onPollError: (error) => done(() => reject(error)),
        onFatal: (error) => done(() => reject(error)),
      });
      if (signal?.aborted) onAbort();
      else signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  #unsubscribe(subscriber: Subscriber): void {
    if (!this.#subscribers.delete(subscriber)) return;
    this.#unpolled.delete(subscriber);
    if (this.#subscribers.size > 0) return;
    this.#regular.clear();
    this.#firstPoll.clear();
    for (const controller of this.#inFlight) controller.abort();
    this.#inFlight.clear();
    this.#regularInFlight = false;
    this.onIdle();
  }

  readonly #regularTick = () => void this.#tick("regular");
  readonly #firstTick = () => void this.#tick("first");

  async #tick(kind: "regular" | "first"): Promise<void> {
    // One regular tick at a time; the one in flight schedules the next when it answers.
    if (kind === "regular" && this.#regularInFlight) return;
    const batch = kind === "regular" ? [...this.#subscribers] : [...this.#unpolled];
    if (batch.length === 0) return;
    const jobIds = [...new Set(batch.flatMap((s) => s.jobIds))];
    const controller = new AbortController();
    this.#inFlight.add(controller);
    if (kind === "regular") {
      this.#regularInFlight = true;
      this.#lastRegularStart = Date.now();
    }
    this.ticks += 1;
    let entries: JobObservation[] | undefined;
    let progress: PollProgress = { byId: this.#progress };
    let failure: unknown;
    try {
      entries = await this.source.batchStatus(jobIds, { signal: controller.signal });
      progress = await this.#fetchProgress(batch, entries, controller.signal);
    } catch (error) {
      failure = error;
    }
    // Aborted: every subscriber left; whoever subscribed since has polls of its own.
    if (controller.signal.aborted) return;
    this.#inFlight.delete(controller);
    if (kind === "regular") this.#regularInFlight = false;
    this.#deliver(batch, entries, progress, failure);
    const delay = this.#nextDelay();
    // No delay when only one-shot readers remain: their first polls are on the other alarm.
    if (kind === "regular" && Number.isFinite(delay))
      this.#regular.within(delay, this.#regularTick);
  }

  /**
   * batch-progress for what the batch's subscribers need: the lag-gated jobs now in
   * INCRE_TRANSFER_STARTED (every tick: a gate must not open on an old lag), and, at most every
   * 30 s, the jobs of those showing progress. Nothing at all when nobody needs either.
   */
  async #fetchProgress(
    batch: readonly Subscriber[],
    entries: readonly JobObservation[],
    signal: AbortSignal,
  ): Promise<PollProgress> {
    const live = batch.filter((s) => this.#subscribers.has(s));
    const incremental = new Set<string>();
    for (const entry of entries) {
      if (entry.errorCode === undefined && entry.status !== undefined) {
        if (canonicalStatus(entry.status) === "INCRE_TRANSFER_STARTED") incremental.add(entry.id);
      }
    }
    const lagIds = new Set<string>();
    for (const s of live) {
      if (s.needsLag) for (const id of s.jobIds) if (incremental.has(id)) lagIds.add(id);
    }
    const displayIds = new Set<string>();
    const now = Date.now();
    if (now - this.#lastDisplayFetch >= DISPLAY_PROGRESS_EVERY_MS) {
      for (const s of live) {
        if (s.wantsProgress) for (const id of s.jobIds) if (!lagIds.has(id)) displayIds.add(id);
      }
    }
    if (lagIds.size === 0 && displayIds.size === 0) return { byId: this.#progress };
    // A lag must be this tick's or unknown, never an older one.
    for (const id of lagIds) this.#progress.delete(id);
    try {
      if (!this.source.batchProgress) throw new Error("this status source cannot read progress");
      const ids = [...lagIds, ...displayIds];
      for (const entry of await this.source.batchProgress(ids, { signal })) {
        this.#progress.set(entry.id, entry);
      }
      if (displayIds.size > 0) this.#lastDisplayFetch = now;
      return { byId: this.#progress };
    } catch (error) {
      if (signal.aborted) throw error;
      return {
        byId: this.#progress,
        error: error instanceof Error ? error : new Error(String(error)),
      };
    }
  }

  #deliver(
    batch: Subscriber[],
    entries: JobObservation[] | undefined,
    progress: PollProgress,
    failure: unknown,
  ): void {
    const live = batch.filter((s) => this.#subscribers.has(s));
    for (const subscriber of live) this.#unpolled.delete(subscriber);
    if (entries) {
      const byId = new Map(entries.map((entry) => [entry.id, entry]));
      for (const subscriber of live) subscriber.onResult(byId, progress);
      return;
    }
    const error = failure instanceof Error ? failure : new Error(String(failure));
    // The client already waited out Retry-After within its retries; if the service still
    // throttles, the next tick honours it too, whatever the interval says.
    if (error instanceof DrsApiError && error.retryAfterMs) {
      this.#notBefore = Math.max(this.#notBefore, Date.now() + error.retryAfterMs);
    }
    const permanent = isPermanent(error);
    for (const subscriber of live) {
      if (permanent) subscriber.onFatal(error);
      else subscriber.onPollError(error);
    }
  }

  /** Jittered min interval, pulled in so that a poll lands shortly before each deadline. */
  #nextDelay(): number {
    if (this.#subscribers.size === 0) return Infinity;
    const now = Date.now();
    let interval = Infinity;
    for (const s of this.#subscribers) interval = Math.min(interval, s.intervalMs);
    const jitter = 1 + (Math.random() * 2 - 1) * this.tuning.jitter;
    let at = now + interval * jitter;
    for (const s of this.#subscribers) {
      // Room for the request to answer before the deadline: one poll at `lastChance`, unless
      // the last one was just before it. Spaced by the margin, not the interval: a 10h
      // interval must not skip a 4s deadline.
      const margin = Math.min(1000, s.intervalMs / 4);
      const lastChance = s.deadline - margin;
      if (lastChance < at && lastChance - this.#lastRegularStart >= margin / 4) {
        at = Math.max(now, lastChance);
      }
    }
    return Math.max(0, at - now, this.#notBefore - now);
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
