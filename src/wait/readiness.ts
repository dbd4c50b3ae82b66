// Whether a wait is over, decided by one pure function over what the polls saw. `assess` runs
// the wait's acceptors over each job, in order (the status first, then each rule that can hold
// a job back), and returns every job's phase, the wait's phase, and the observations the
// acceptors need next. The poller fetches those and knows no rule; the loop (wait-for-jobs.ts)
// only waits. A new readiness rule is one acceptor file under acceptors/ and one line in
// `acceptorsFor`; a new kind of observation is one fetcher file under fetchers/.
import type { JobStatusEntry } from "../api/status";
import { displayProgress, withProgress } from "./acceptors/progress";
import { compareAcceptor } from "./acceptors/compare";
import { lagAcceptor } from "./acceptors/lag";
import { COMPARE_POLL_MIN_MS } from "./compare";
import { statusAcceptor } from "./acceptors/status";
import { satisfied, type Need, type Tick } from "./observations";
import type { WaitPlan } from "./plan";

export { withProgress };

export interface AcceptorInput<Memory> {
  /** The job as the acceptors before this one judged it (the first gets a placeholder). */
  readonly entry: JobStatusEntry;
  readonly tick: Tick;
  /** When the tick is judged (epoch ms). */
  readonly now: number;
  /** What this acceptor kept about the job after the previous poll. */
  readonly memory: Memory | undefined;
  /**
   * For an acceptor that runs `afterAll`: whether every job of the wait was ready by the
   * acceptors before it (a rule such as a data comparison starts only then).
   */
  readonly allReady?: boolean;
}

export interface Accepted<Memory> {
  readonly entry: JobStatusEntry;
  /** Kept for the next poll; left out, it is forgotten. */
  readonly memory?: Memory;
  /**
   * Observations this acceptor wants for the job; until they come it judges without them. One
   * already met is skipped by the poller, but listing only what lacks keeps a tick of 10,000
   * jobs cheap.
   */
  readonly needs?: readonly Need[];
}

/** One rule of readiness over one job: pure, so a tick can be judged as often as needed. */
export interface Acceptor<Memory = unknown> {
  readonly name: string;
  /** Runs after every other acceptor has judged every job, and learns `allReady`. */
  readonly afterAll?: boolean;
  accept(input: AcceptorInput<Memory>): Accepted<Memory>;
}

export type WaitPhase = "pending" | "ready" | "failed";

/** Where a wait stands after the polls so far. */
export interface Assessment {
  /** `failed` as soon as one job can never become ready; `ready` when every job is. */
  readonly phase: WaitPhase;
  /** Every job, in the order given. */
  readonly jobs: readonly JobStatusEntry[];
  /** Polls that answered. */
  readonly polls: number;
  /** What the acceptors still lack: what the poller fetches next. */
  readonly needs: readonly Need[];
  /** A fetch needed to judge readiness failed this tick: why some job could not be judged. */
  readonly fetchError?: Error;
  /** Per job, what each acceptor kept, by its position in the rule. */
  readonly memory: ReadonlyMap<string, readonly unknown[]>;
}

/** The acceptors a wait's plan calls for. */
export function acceptorsFor(
  plan: Pick<WaitPlan, "targets" | "lag"> & Partial<Pick<WaitPlan, "compare" | "intervalMs">>,
  options: { showProgress?: boolean } = {},
): readonly Acceptor[] {
  const acceptors: Acceptor[] = [statusAcceptor(plan.targets)];
  if (options.showProgress) acceptors.push(displayProgress());
  if (plan.lag) acceptors.push(lagAcceptor(plan.lag));
  if (plan.compare && plan.compare.length > 0) {
    acceptors.push(
      compareAcceptor(plan.compare, Math.max(COMPARE_POLL_MIN_MS, plan.intervalMs ?? 0)),
    );
  }
  return acceptors;
}

/** A job that can never become ready: failed, stopped, or gone. */
export function cannotBecomeReady(job: JobStatusEntry): boolean {
  return job.phase === "failed" || job.phase === "stopped";
}

/** Before the first poll answers: every job pending, nothing known. */
export function notYetPolled(jobIds: readonly string[]): Assessment {
  return {
    phase: "pending",
    jobs: jobIds.map((id) => ({ id, phase: "pending" })),
    polls: 0,
    needs: [],
    memory: new Map(),
  };
}

/** Judges `tick` after `previous`: the next assessment. Pure. */
export function assess(
  acceptors: readonly Acceptor[],
  previous: Assessment,
  tick: Tick,
  now: number = Date.now(),
): Assessment {
  const needs: Need[] = [];
  // Copied only when some job's memory changes: a wait may hold 10,000 jobs.
  let memory: Map<string, readonly unknown[]> | undefined;
  let fetchError: Error | undefined;
  /** Each job's memories as they stand: the previous ones until an acceptor changes one. */
  const keeps = new Map<string, readonly unknown[] | undefined>();
  const run = (i: number, entry: JobStatusEntry, allReady?: boolean): JobStatusEntry => {
    const kept = previous.memory.get(entry.id);
    const accepted = acceptors[i].accept({
      entry,
      tick,
      now,
      memory: kept?.[i],
      ...(allReady !== undefined && { allReady }),
    });
    if (accepted.memory !== kept?.[i]) {
      let keep = keeps.get(entry.id);
      if (keep === kept) keeps.set(entry.id, (keep = kept ? [...kept] : []));
      (keep as unknown[])[i] = accepted.memory;
    }
    if (accepted.needs) {
      for (const need of accepted.needs) {
        needs.push(need);
        if (!need.forDisplay && !satisfied(tick, need)) {
          fetchError ??= tick.failures.get(need.fetcher.kind);
        }
      }
    }
    return accepted.entry;
  };
  const later = acceptors.some((a) => a.afterAll);
  let jobs = previous.jobs.map(({ id }) => {
    let entry: JobStatusEntry = { id, phase: "pending" };
    keeps.set(id, previous.memory.get(id));
    for (let i = 0; i < acceptors.length; i += 1) {
      if (!acceptors[i].afterAll) entry = run(i, entry);
    }
    return entry;
  });
  if (later) {
    const allReady = jobs.every((job) => job.phase === "ready");
    jobs = jobs.map((job) => {
      let entry = job;
      for (let i = 0; i < acceptors.length; i += 1) {
        if (acceptors[i].afterAll) entry = run(i, entry, allReady);
      }
      return entry;
    });
  }
  for (const [id, keep] of keeps) {
    if (keep === previous.memory.get(id)) continue;
    memory ??= new Map(previous.memory);
    if (keep!.some((m) => m !== undefined)) memory.set(id, keep!);
    else memory.delete(id);
  }
  const phase: WaitPhase = jobs.some(cannotBecomeReady)
    ? "failed"
    : jobs.every((job) => job.phase === "ready")
      ? "ready"
      : "pending";
  return {
    phase,
    jobs,
    polls: previous.polls + 1,
    needs,
    fetchError,
    memory: memory ?? previous.memory,
  };
}

/**
 * `assess` for one wait, remembering the last tick it judged: the poller's last round of needs
 * and the answer that follows judge the same observations, so the second costs nothing.
 */
export function assessor(acceptors: readonly Acceptor[]) {
  let last: { previous: Assessment; tick: Tick; revision?: number; next: Assessment } | undefined;
  return (previous: Assessment, tick: Tick): Assessment => {
    if (last?.previous === previous && last.tick === tick && last.revision === tick.revision) {
      return last.next;
    }
    const next = assess(acceptors, previous, tick);
    last = { previous, tick, revision: tick.revision, next };
    return next;
  };
}
