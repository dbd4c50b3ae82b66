// One loop per endpoint/project/credentials in a process. Each tick asks for the union of
// every subscriber's jobs in one batchStatus call (one request per 100 ids), then asks each
// subscriber what else it needs (`Need`s: a fetcher, a job, how fresh) and calls each fetcher
// once for every job anyone needs it for, again until nobody needs more. The poller knows no
// rule: it neither decides what is needed nor what the answers mean; subscribers judge them.
import { DrsClient } from "../api/client";
import { DrsApiError } from "../api/errors";
import { knownJobIds, type JobIds } from "../api/job-ids";
import type { RetryOptions } from "../api/retry";
import { settingsKey, type DrsSettings } from "../api/settings";
import type { JobObservation } from "../api/status";
import {
  satisfied,
  type Fetcher,
  type Need,
  type Observed,
  type StatusSource,
  type Tick,
} from "./observations";
import { Alarm } from "./alarm";
import { PollTick } from "./tick";

export type { StatusSource };

/**
 * How many times a tick asks again for what is still needed: a rule may need A, then B because
 * of what A said (a comparison started, then its status).
 */
const MAX_NEED_ROUNDS = 4;

export interface Subscriber {
  readonly jobIds: JobIds;
  readonly intervalMs: number;
  /** Epoch ms; the poller lands one poll shortly before it. */
  readonly deadline: number;
  /** How long its first poll may wait for others to join; default the tuning's coalesceMs. */
  readonly firstPollWithinMs?: number;
  /** What it needs beyond the statuses, given what this tick saw so far. */
  needs?(tick: Tick): readonly Need[];
  /** A poll that included this subscriber's jobs answered: what DRS said, to be judged. */
  onResult(tick: Tick): void;
  /** An attempt of a poll failed; the client may retry it (why an answer is slow in coming). */
  onFailedAttempt?(error: Error): void;
  /** A poll failed after the client's retries; polling goes on. */
  onPollError(error: Error): void;
  /** A poll failed in a way that cannot heal (bad credentials, bad request). */
  onFatal(error: Error): void;
}

/** What a subscription sees, in order: each answered poll, or each failed one. */
export type PollOutcome = { tick: Tick; error?: undefined } | { tick?: undefined; error: Error };

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
  /** The latest observation of each kind (a fetcher's) for each job asked about. */
  readonly #observed = new Map<string, Map<string, Observed<unknown>>>();

  #source?: StatusSource;
  readonly #makeSource: () => StatusSource;

  /** `source` may be a function: the client is then built on the first poll, not before. */
  constructor(
    source: StatusSource | (() => StatusSource),
    readonly tuning: PollerTuning = DEFAULT_TUNING,
    private readonly onIdle: () => void = () => {},
  ) {
    this.#makeSource = typeof source === "function" ? source : () => source;
  }

  get source(): StatusSource {
    return (this.#source ??= this.#makeSource());
  }

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
    jobIds: JobIds,
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
        onResult: (tick) =>
          done(() => resolve(jobIds.map((id) => tick.statusById.get(id) as JobObservation))),
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

  /**
   * Every answered poll of `subscriber`'s jobs, or each failed one, in order, until `signal`
   * aborts (then it throws the reason) or a poll fails in a way that cannot heal (then it
   * throws that error). Leaving the loop unsubscribes.
   */
  async *outcomes(
    subscriber: Omit<Subscriber, "onResult" | "onPollError" | "onFatal">,
    signal: AbortSignal,
  ): AsyncGenerator<PollOutcome, void, undefined> {
    const queue: PollOutcome[] = [];
    let fatal: Error | undefined;
    let wake = () => {};
    const push = (outcome: PollOutcome) => {
      queue.push(outcome);
      wake();
    };
    const onAbort = () => wake();
    signal.addEventListener("abort", onAbort, { once: true });
    const unsubscribe = this.subscribe({
      ...subscriber,
      needs: subscriber.needs?.bind(subscriber),
      onFailedAttempt: subscriber.onFailedAttempt?.bind(subscriber),
      onResult: (tick) => push({ tick }),
      onPollError: (error) => push({ error }),
      onFatal: (error) => {
        fatal = error;
        wake();
      },
    });
    try {
      for (;;) {
        if (signal.aborted) throw signal.reason;
        const next = queue.shift();
        if (next) yield next;
        else if (fatal) throw fatal;
        else await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
      unsubscribe();
    }
  }

  async #tick(kind: "regular" | "first"): Promise<void> {
    // One regular tick at a time; the one in flight schedules the next when it answers.
    if (kind === "regular" && this.#regularInFlight) return;
    const batch = kind === "regular" ? [...this.#subscribers] : [...this.#unpolled];
    if (batch.length === 0) return;
    const jobIds = knownJobIds(batch.flatMap((s) => s.jobIds));
    const controller = new AbortController();
    this.#inFlight.add(controller);
    const startedAt = Date.now();
    if (kind === "regular") {
      this.#regularInFlight = true;
      this.#lastRegularStart = startedAt;
    }
    this.ticks += 1;
    let tick: PollTick | undefined;
    let failure: unknown;
    try {
      const entries = await this.source.batchStatus(jobIds, {
        signal: controller.signal,
        onFailedAttempt: (error) => {
          for (const s of batch) if (this.#subscribers.has(s)) s.onFailedAttempt?.(error);
        },
      });
      tick = new PollTick(startedAt, entries, this.#observed);
      await this.#fetchNeeds(batch, tick, controller.signal);
    } catch (error) {
      failure = error;
    }
    // Aborted: every subscriber left; whoever subscribed since has polls of its own.
    if (controller.signal.aborted) return;
    this.#inFlight.delete(controller);
    if (kind === "regular") this.#regularInFlight = false;
    this.#deliver(batch, failure === undefined ? tick : undefined, failure);
    const delay = this.#nextDelay();
    // No delay when only one-shot readers remain: their first polls are on the other alarm.
    if (kind === "regular" && Number.isFinite(delay))
      this.#regular.within(delay, this.#regularTick);
  }

  /**
   * What the batch's subscribers need beyond the statuses, each fetcher called once per round
   * for every job anyone needs it for. A job is asked of a fetcher at most once a tick, and a
   * fetcher that fails is not asked again this tick (the tick records why).
   */
  async #fetchNeeds(batch: readonly Subscriber[], tick: PollTick, signal: AbortSignal) {
    /** Per fetcher kind, the jobs already asked of it this tick. */
    const asked = new Map<string, Set<string>>();
    for (let round = 0; round < MAX_NEED_ROUNDS; round += 1) {
      const due = new Map<Fetcher<unknown>, Set<string>>();
      for (const subscriber of batch) {
        if (!subscriber.needs || !this.#subscribers.has(subscriber)) continue;
        for (const need of subscriber.needs(tick)) {
          const kind = need.fetcher.kind;
          let askedOfKind = asked.get(kind);
          if (!askedOfKind) asked.set(kind, (askedOfKind = new Set()));
          if (askedOfKind.has(need.jobId) || tick.failures.has(kind) || satisfied(tick, need)) {
            continue;
          }
          askedOfKind.add(need.jobId);
          let ids = due.get(need.fetcher);
          if (!ids) due.set(need.fetcher, (ids = new Set()));
          ids.add(need.jobId);
        }
      }
      if (due.size === 0) return;
      await Promise.all(
        [...due].map(async ([fetcher, ids]) => {
          try {
            const found = await fetcher.fetch(this.source, knownJobIds(ids), { signal });
            tick.record(fetcher.kind, found, Date.now());
          } catch (error) {
            if (signal.aborted) throw error;
            tick.fail(fetcher.kind, error instanceof Error ? error : new Error(String(error)));
          }
        }),
      );
    }
  }

  #deliver(batch: Subscriber[], tick: Tick | undefined, failure: unknown): void {
    const live = batch.filter((s) => this.#subscribers.has(s));
    for (const subscriber of live) this.#unpolled.delete(subscriber);
    if (tick) {
      for (const subscriber of live) subscriber.onResult(tick);
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

function sharedUnder(key: string, source: StatusSource | (() => StatusSource)): BatchPoller {
  let poller = shared.get(key);
  if (!poller) {
    const created = new BatchPoller(source, DEFAULT_TUNING, () => {
      if (shared.get(key) === created) shared.delete(key);
    });
    shared.set(key, created);
    poller = created;
  }
  return poller;
}

/** The process-wide poller for `source`'s endpoint, project and credentials. */
export function sharedPoller(source: StatusSource): BatchPoller {
  return sharedUnder(source.key, source);
}

/**
 * The process-wide poller for a connection (endpoint, project, credentials). Its client is
 * built on its first poll, so a read or wait that joins a running poller builds nothing.
 */
export function pollerFor(settings: DrsSettings, retry?: Partial<RetryOptions>): BatchPoller {
  return sharedUnder(settingsKey(settings), () => new DrsClient({ settings, retry }));
}
