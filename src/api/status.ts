// The one place that knows what a DRS status means for a cutover gate. The client reports
// observations (`observe`); the caller that knows its targets judges them (`judge`), once.
import { closest, InputError, showValue, type InputProblem } from "../util/input-error";
import type { QueryJobStatusResp } from "./wire";

/** Where a job stands for a cutover gate. */
export type JobPhase = "pending" | "ready" | "failed" | "stopped";

export interface StatusInfo {
  phase: JobPhase;
  description: string;
}

/** Every status from the API page and the SDK enum (29 values), with its phase. */
export const JOB_STATUSES: Readonly<Record<string, StatusInfo>> = Object.freeze({
  CREATING: { phase: "pending", description: "task being created" },
  CREATE_FAILED: { phase: "failed", description: "creation failed" },
  CONFIGURATION: { phase: "pending", description: "being configured" },
  STARTJOBING: { phase: "pending", description: "being started" },
  WAITING_FOR_START: { phase: "pending", description: "waiting to be started" },
  START_JOB_FAILED: { phase: "failed", description: "start failed" },
  PAUSING: { phase: "pending", description: "paused: an operator must resume it" },
  FULL_TRANSFER_STARTED: { phase: "pending", description: "full migration running" },
  FULL_TRANSFER_FAILED: { phase: "failed", description: "full migration failed" },
  // Not ready by themselves: they are ready only when they are targets (the default ones).
  FULL_TRANSFER_COMPLETE: { phase: "pending", description: "full migration complete" },
  INCRE_TRANSFER_STARTED: { phase: "pending", description: "incremental migration running" },
  INCRE_TRANSFER_FAILED: { phase: "failed", description: "incremental migration failed" },
  RELEASE_RESOURCE_STARTED: { phase: "stopped", description: "being stopped" },
  RELEASE_RESOURCE_FAILED: { phase: "failed", description: "stop failed" },
  RELEASE_RESOURCE_COMPLETE: { phase: "stopped", description: "stopped" },
  CHANGE_JOB_STARTED: { phase: "pending", description: "being changed" },
  CHANGE_JOB_FAILED: { phase: "failed", description: "change failed" },
  CHILD_TRANSFER_STARTING: { phase: "pending", description: "subtask starting" },
  CHILD_TRANSFER_STARTED: { phase: "pending", description: "subtask migrating" },
  CHILD_TRANSFER_COMPLETE: { phase: "pending", description: "subtask complete" },
  CHILD_TRANSFER_FAILED: { phase: "failed", description: "subtask failed" },
  RELEASE_CHILD_TRANSFER_STARTED: { phase: "stopped", description: "subtask being stopped" },
  RELEASE_CHILD_TRANSFER_COMPLETE: { phase: "stopped", description: "subtask stopped" },
  REBUILD_NODE_STARTED: { phase: "pending", description: "node rebuild running" },
  REBUILD_NODE_FAILED: { phase: "failed", description: "node rebuild failed" },
  DELETED: { phase: "stopped", description: "task deleted" },
  NODE_UPGRADE_START: { phase: "pending", description: "node upgrade running" },
  NODE_UPGRADE_COMPLETE: { phase: "pending", description: "node upgrade done" },
  NODE_UPGRADE_FAILED: { phase: "failed", description: "node upgrade failed" },
});

/** The API page spells PAUSING as PAUSEING; both mean the same. */
const ALIASES: Readonly<Record<string, string>> = { PAUSEING: "PAUSING" };

export const DEFAULT_TARGET_STATUSES: readonly string[] = Object.freeze([
  "FULL_TRANSFER_COMPLETE",
  "INCRE_TRANSFER_STARTED",
]);

/** Per-job error codes that mean the job is gone (does not exist / deleted). */
export const NOT_FOUND_ERROR_CODES: readonly string[] = Object.freeze(["DRS.M00289", "DRS.M05004"]);

/**
 * The code the client gives a job for which the service returned no result, even after asking
 * again. Not a DRS code: the `DRS.CLIENT.` prefix marks it as ours.
 */
export const MISSING_RESULT_CODE = "DRS.CLIENT.MISSING";

/**
 * What DRS said about one job, and nothing more: no judgement of readiness, which depends on
 * the caller's targets (see `judge`). Optional flags are present only when true.
 */
export interface JobObservation {
  id: string;
  /** The status string as the service sent it (control characters removed). */
  status?: string;
  errorCode?: string;
  errorMessage?: string;
  /** The status is not in the known vocabulary, or the service sent none. */
  unknown?: true;
  /** PAUSING/PAUSEING: the job will not progress until an operator resumes it. */
  paused?: true;
  /** The service says the job does not exist or was deleted. */
  notFound?: true;
  /** The service returned no result for this job, even when asked again. */
  missing?: true;
}

/** An observation judged against a caller's targets: where the job stands for its gate. */
export interface JobStatusEntry extends JobObservation {
  phase: JobPhase;
  /** From batch-progress, where asked for and known: 0-100. */
  percent?: number;
  /** From batch-progress, where asked for and known: incremental replication lag. */
  replicationLagMs?: number;
  /** From batch-progress, where asked for and known: estimated time left. */
  remainingMs?: number;
  /** In a target status, but the wait gates on lag and the lag is high, unknown or not yet stable. */
  awaitingLag?: true;
  /** Held by lagStableFor: how long the lag has stayed at or below the maximum so far. */
  lowLagForMs?: number;
  /** Held by the lag gate: the lag's trend over the recent polls, when they support one. */
  lagTrend?: { direction: "draining" | "rising"; msPerMin: number; etaMs?: number };
  /** Otherwise ready, held by the comparison gate: the comparison it waits for. */
  comparing?: {
    kind: "lines" | "contents" | "objects";
    id?: string;
    status?: string;
    /** Databases (object types) compared so far, and in all, when DRS said. */
    done?: number;
    total?: number;
    /** Another data-level comparison of the job runs (DRS runs one at a time). */
    blockedBy?: string;
  };
  /** With the comparison gate: the comparisons that found the job consistent. */
  comparisons?: {
    id?: string;
    kind: "lines" | "contents" | "objects";
    status: string;
    startedAt?: string;
    endedAt?: string;
    tablesCompared: number;
    tablesInconsistent: number;
  }[];
  /** The comparison gate failed the job: a line per differing or unchecked table, or why. */
  comparisonFailure?: { lines: { text: string; unchecked?: true }[]; more: number };
}

/** Upper-case, trimmed, with PAUSEING folded into PAUSING. */
export function canonicalStatus(status: string): string {
  // Nearly every status arrives canonical: no new string per job per poll for it.
  if (Object.hasOwn(JOB_STATUSES, status)) return status;
  const upper = status.trim().toUpperCase();
  return ALIASES[upper] ?? upper;
}

/** Target statuses, canonical: what `judge` compares against. */
export type TargetStatuses = ReadonlySet<string>;

/**
 * Validates a list of target statuses: a list (a lone string would be read letter by letter)
 * of known statuses, any case. A typo fails here, naming the nearest status, not an hour later
 * at the timeout.
 */
export function targetSet(
  targetStatuses: unknown = DEFAULT_TARGET_STATUSES,
  field = "targetStatuses",
): TargetStatuses {
  if (!Array.isArray(targetStatuses)) {
    throw new InputError({
      field,
      reason: `must be a list of statuses, e.g. ["INCRE_TRANSFER_STARTED"] (got ${showValue(targetStatuses)})`,
    });
  }
  const known = Object.keys(JOB_STATUSES);
  const problems: InputProblem[] = [];
  const targets = new Set<string>();
  targetStatuses.forEach((status: unknown, i) => {
    if (typeof status !== "string" || status.trim() === "") {
      problems.push({
        field: `${field}[${i}]`,
        reason: `${showValue(status)} is not a status name`,
      });
      return;
    }
    const canonical = canonicalStatus(status);
    const info = JOB_STATUSES[canonical];
    if (info?.phase === "failed") {
      // A job in it carries an error and fails the wait: as a target it could never be met.
      problems.push({
        field: `${field}[${i}]`,
        reason: `${showValue(status)} is a failure status (${info.description}): a job in it fails the wait, so it cannot be a target`,
      });
    } else if (info) targets.add(canonical);
    else {
      problems.push({
        field: `${field}[${i}]`,
        reason: `${showValue(status)} is not a DRS job status; did you mean ${closest(canonical, known)}?`,
      });
    }
  });
  if (problems.length === 0 && targets.size === 0) {
    problems.push({ field, reason: "give at least one status (or leave it out for the default)" });
  }
  if (problems.length > 0) throw new InputError(problems);
  return targets;
}

/**
 * What one batch-status result says. A result with `error_code` is a per-job failure. An
 * unknown status is flagged, never an error: the service adds values over time.
 */
export function observe(result: QueryJobStatusResp): JobObservation {
  const observation: JobObservation = { id: result.id };
  if (typeof result.status === "string" && result.status !== "") {
    observation.status = result.status;
  }
  if (result.error_code) {
    observation.errorCode = result.error_code;
    if (NOT_FOUND_ERROR_CODES.includes(result.error_code)) observation.notFound = true;
  }
  if (result.error_message) observation.errorMessage = result.error_message;
  if (result.error_code) return observation;
  if (observation.status === undefined) {
    // No status and no error: the service told us nothing; say so.
    observation.unknown = true;
    return observation;
  }
  const canonical = canonicalStatus(observation.status);
  if (canonical === "PAUSING") observation.paused = true;
  if (!JOB_STATUSES[canonical]) observation.unknown = true;
  return observation;
}

/** A job the service never returned, so the caller still gets one observation per job. */
export function missingObservation(id: string, requests: number): JobObservation {
  return {
    id,
    errorCode: MISSING_RESULT_CODE,
    errorMessage: `the service returned no result for this job in ${requests} requests`,
    missing: true,
  };
}

/**
 * The one classification: a job with an error is `failed`; a target is `ready` whatever its
 * usual phase (a caller may deliberately wait for e.g. RELEASE_RESOURCE_COMPLETE); otherwise
 * the status's own phase, and `pending` for what we do not know.
 */
export function judge(
  observation: JobObservation,
  targets: TargetStatuses = DEFAULT_TARGETS,
): JobStatusEntry {
  if (observation.errorCode !== undefined) return { ...observation, phase: "failed" };
  if (observation.status === undefined) return { ...observation, phase: "pending" };
  const canonical = canonicalStatus(observation.status);
  const phase = targets.has(canonical) ? "ready" : (JOB_STATUSES[canonical]?.phase ?? "pending");
  return { ...observation, phase };
}

const DEFAULT_TARGETS: TargetStatuses = targetSet();
