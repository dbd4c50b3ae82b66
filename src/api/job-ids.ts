// The one rule for a DRS job id, applied at every edge (the client, waitForJobs, Pulumi's
// `check`, the command's arguments and --jobs-file) so a bad id fails at once with its
// position, never after five retries against the service.
import { InputError, showValue, type InputProblem } from "../util/input-error";

/** DRS job ids are 36 characters (a UUID with a suffix); this leaves room, not megabytes. */
export const MAX_JOB_ID_LENGTH = 128;
/** Letters, digits, `-`, `_` and `.`: nothing that can break a request, a table or a line. */
const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** A message lists this many bad ids, then counts the rest. */
const SHOWN_PROBLEMS = 5;

/** What is wrong with one id, or undefined. */
export function jobIdProblem(id: unknown): string | undefined {
  if (typeof id !== "string") return `must be a string, got ${typeof id}`;
  const trimmed = id.trim();
  if (trimmed === "") return "is blank";
  if (trimmed.length > MAX_JOB_ID_LENGTH) {
    return `is ${trimmed.length} characters long; DRS job ids have at most ${MAX_JOB_ID_LENGTH}`;
  }
  if (trimmed.startsWith("-")) {
    // Most likely an option in the wrong place, or a value meant for one.
    return `${showValue(trimmed)} starts with "-": DRS job ids start with a letter or digit (an option in the wrong place?)`;
  }
  if (!JOB_ID.test(trimmed)) {
    return `${showValue(trimmed)} is not a DRS job id (letters, digits, "-", "_" and "." only)`;
  }
  return undefined;
}

/** A list of ids with nothing to trim and nothing wrong: what `jobIdProblem` passes, unchanged. */
function allPlain(jobIds: unknown): jobIds is string[] {
  if (!Array.isArray(jobIds) || jobIds.length === 0) return false;
  for (let i = 0; i < jobIds.length; i++) {
    const id: unknown = jobIds[i];
    if (typeof id !== "string" || id.length > MAX_JOB_ID_LENGTH || !JOB_ID.test(id)) return false;
  }
  return true;
}

/** Every problem with a list of job ids, each naming its position (`jobIds[3]`). */
export function jobIdProblems(jobIds: unknown, field = "jobIds"): InputProblem[] {
  if (!Array.isArray(jobIds)) return [{ field, reason: "must be a list of DRS job ids" }];
  if (jobIds.length === 0) return [{ field, reason: "give at least one DRS job id" }];
  const problems: InputProblem[] = [];
  jobIds.forEach((id: unknown, i) => {
    const reason = jobIdProblem(id);
    if (reason) problems.push({ field: `${field}[${i}]`, reason });
  });
  return problems;
}

declare const checked: unique symbol;

/**
 * Job ids that passed `validateJobIds`: trimmed, distinct, in first-seen order, frozen. The
 * layers below an edge (the poller, the client's batch calls) take these and check nothing.
 */
export type JobIds = readonly string[] & { readonly [checked]: true };

/** The lists this process checked: the brand is a type, this is what backs it at run time. */
const checkedLists = new WeakSet<readonly string[]>();

/** Trimmed, distinct, in first-seen order; an InputError listing the bad ones otherwise. */
export function validateJobIds(jobIds: unknown, field = "jobIds"): JobIds {
  // Ids already in their final form (nearly every list) need no trimming and no messages.
  if (allPlain(jobIds)) return knownJobIds(jobIds);
  const problems = jobIdProblems(jobIds, field);
  if (problems.length > 0) {
    const shown = problems.slice(0, SHOWN_PROBLEMS);
    const rest = problems.length - shown.length;
    if (rest > 0) shown.push({ field, reason: `and ${rest} more bad job ids` });
    throw new InputError(shown);
  }
  return knownJobIds((jobIds as string[]).map((id) => id.trim()));
}

/**
 * `jobIds` unchanged when this process already checked that very list, checked otherwise: for
 * the public calls (DrsClient.batchStatus, waitForJobs) that both users and inner layers call.
 */
export function asJobIds(jobIds: readonly string[], field = "jobIds"): JobIds {
  return checkedLists.has(jobIds) ? (jobIds as JobIds) : validateJobIds(jobIds, field);
}

/**
 * Ids taken from lists already checked (a union of several, a subset of one) as `JobIds`,
 * distinct, without checking each id again: what a shared poll or a fetch asks for.
 */
export function knownJobIds(ids: Iterable<string>): JobIds {
  const list = Object.freeze(Array.from(new Set(ids)));
  checkedLists.add(list);
  return list as JobIds;
}
