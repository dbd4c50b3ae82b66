// A wait's options, checked once: what `check`, the command and waitForJobs apply. Every bad
// field is named in one InputError.
import { DEFAULT_TARGET_STATUSES, targetSet, type TargetStatuses } from "../api/status";
import { timerDuration, type Duration } from "../util/duration";
import { closest, InputError, Problems } from "../util/input-error";
import { COMPARE_KINDS, type CompareKind } from "../api/compare";
import type { LagRule } from "./acceptors/lag";

export type { LagRule };

export const DEFAULT_TIMEOUT: Duration = "60m";
export const DEFAULT_POLL_INTERVAL: Duration = "10s";
/** Polling faster than this only burns the caller's API quota. */
export const MIN_POLL_INTERVAL_MS = 100;

/** The wait's options, checked: what `check` and the command apply too. */
export interface WaitPlan {
  targets: TargetStatuses;
  timeoutMs: number;
  intervalMs: number;
  /** Set when the wait gates on replication lag. */
  lag?: LagRule;
  /** The comparison kinds the gate runs, in order; empty: none. */
  compare: CompareKind[];
}

/** The options a plan checks (WaitOptions' fields of the same names). */
export interface PlannedOptions {
  targetStatuses?: readonly string[];
  timeout?: Duration;
  pollInterval?: Duration;
  maxReplicationLag?: Duration;
  lagStableFor?: Duration;
  compare?: readonly string[];
}

/**
 * Validates a wait's options, every field at once; an InputError naming each bad one. A
 * timeout of 0 is allowed: a wait always completes one poll, so it means "check once".
 */
export function planWait(options: PlannedOptions = {}): WaitPlan {
  const problems = new Problems();
  const attempt = <T>(check: () => T) => problems.attempt(check);
  const plan = {
    targets: attempt(() => targetSet(options.targetStatuses ?? DEFAULT_TARGET_STATUSES)),
    timeoutMs: attempt(() => timerDuration(options.timeout ?? DEFAULT_TIMEOUT, "timeout")),
    intervalMs: attempt(() =>
      timerDuration(
        options.pollInterval ?? DEFAULT_POLL_INTERVAL,
        "pollInterval",
        MIN_POLL_INTERVAL_MS,
      ),
    ),
    lag: attempt(() => lagRule(options)),
    compare: attempt(() => compareKinds(options.compare)),
  };
  problems.throwIfAny();
  return plan as WaitPlan;
}

/** The kinds asked, checked and without repeats; an unknown one is named with the nearest. */
function compareKinds(input: unknown): CompareKind[] {
  if (input === undefined || input === null) return [];
  if (!Array.isArray(input)) {
    throw new InputError({
      field: "compare",
      reason: `must be a list of ${COMPARE_KINDS.join(", ")}`,
    });
  }
  const problems = new Problems();
  const kinds: CompareKind[] = [];
  input.forEach((kind, i) => {
    if (typeof kind === "string" && (COMPARE_KINDS as readonly string[]).includes(kind.trim())) {
      const k = kind.trim() as CompareKind;
      if (!kinds.includes(k)) kinds.push(k);
      return;
    }
    const hint =
      typeof kind === "string" ? `; did you mean ${closest(kind, [...COMPARE_KINDS])}?` : "";
    problems.add(
      `compare[${i}]`,
      `must be one of ${COMPARE_KINDS.join(", ")} (got ${JSON.stringify(kind)})${hint}`,
    );
  });
  problems.throwIfAny();
  return kinds;
}

function lagRule(options: PlannedOptions): LagRule | undefined {
  const maxMs =
    options.maxReplicationLag === undefined || options.maxReplicationLag === null
      ? undefined
      : timerDuration(options.maxReplicationLag, "maxReplicationLag");
  const stable =
    options.lagStableFor === undefined || options.lagStableFor === null
      ? undefined
      : timerDuration(options.lagStableFor, "lagStableFor");
  if (maxMs === undefined) {
    if (stable !== undefined) {
      throw new InputError({
        field: "lagStableFor",
        reason: "needs maxReplicationLag (the lag that must stay low)",
      });
    }
    return undefined;
  }
  return { maxMs, stableForMs: stable ?? 0 };
}
