// The one place that knows what a DRS status means for a cutover gate. The client and the
// poller only ask `classify`; neither compares status strings itself.
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

/** One job as the client reports it. Optional flags are present only when true. */
export interface JobStatusEntry {
  id: string;
  /** The status string exactly as the service sent it. */
  status?: string;
  phase: JobPhase;
  errorCode?: string;
  errorMessage?: string;
  /** The status is not in the known vocabulary; classified `pending`. */
  unknown?: true;
  /** PAUSING/PAUSEING: the job will not progress until an operator resumes it. */
  paused?: true;
  /** The service says the job does not exist or was deleted. */
  notFound?: true;
}

/** Upper-case, trimmed, with PAUSEING folded into PAUSING. */
export function canonicalStatus(status: string): string {
  const upper = status.trim().toUpperCase();
  return ALIASES[upper] ?? upper;
}

/** A set of target statuses, spelling-insensitive, for repeated `classify` calls. */
export function targetSet(targetStatuses: Iterable<string> = DEFAULT_TARGET_STATUSES): Set<string> {
  const targets = new Set<string>();
  for (const status of targetStatuses) {
    if (typeof status !== "string" || status.trim() === "") {
      throw new RangeError(`targetStatuses: ${JSON.stringify(status)} is not a status name`);
    }
    targets.add(canonicalStatus(status));
  }
  if (targets.size === 0) {
    throw new RangeError(
      "targetStatuses: give at least one status (or leave it out for the default)",
    );
  }
  return targets;
}

/**
 * Classifies one batch-status result. A configured target is `ready` whatever its usual phase
 * (a caller may deliberately wait for e.g. RELEASE_RESOURCE_COMPLETE). A result with
 * `error_code` is a per-job failure. An unknown status is `pending` and flagged, never an error:
 * the service adds values over time.
 */
export function classify(
  result: QueryJobStatusResp,
  targetStatuses: Iterable<string> = DEFAULT_TARGET_STATUSES,
): JobStatusEntry {
  const targets = targetStatuses instanceof Set ? targetStatuses : targetSet(targetStatuses);
  const entry: JobStatusEntry = { id: result.id, phase: "pending" };
  if (typeof result.status === "string" && result.status !== "") entry.status = result.status;
  if (result.error_code) {
    entry.phase = "failed";
    entry.errorCode = result.error_code;
    if (result.error_message) entry.errorMessage = result.error_message;
    if (NOT_FOUND_ERROR_CODES.includes(result.error_code)) entry.notFound = true;
    return entry;
  }
  if (entry.status === undefined) {
    // No status and no error: the service told us nothing; keep waiting but say so.
    entry.unknown = true;
    return entry;
  }
  const canonical = canonicalStatus(entry.status);
  const info = JOB_STATUSES[canonical];
  if (canonical === "PAUSING") entry.paused = true;
  if (targets.has(canonical)) entry.phase = "ready";
  else if (info) entry.phase = info.phase;
  else entry.unknown = true;
  if (result.error_message) entry.errorMessage = result.error_message;
  return entry;
}

/** An entry for a job the service never returned, so the caller still gets one per job. */
export function missingEntry(id: string, requests: number): JobStatusEntry {
  return {
    id,
    phase: "failed",
    errorCode: MISSING_RESULT_CODE,
    errorMessage: `the service returned no result for this job in ${requests} requests`,
  };
}

/** An entry judged again against other targets: the raw status and error travel with it. */
export function reclassify(
  entry: JobStatusEntry,
  targetStatuses: Iterable<string>,
): JobStatusEntry {
  return classify(
    {
      id: entry.id,
      status: entry.status,
      error_code: entry.errorCode,
      error_message: entry.errorMessage,
    },
    targetStatuses,
  );
}
