// batch-progress answers turned into one entry per job. The API varies across regions and
// editions (numbers as strings or numbers, lag in seconds or milliseconds, progress_map as a
// map or an array, 200 or 202), so everything is read leniently; what cannot be read is left
// out rather than guessed, and a job the service never answered for is flagged `missing`.
import { askInChunks } from "./batch";
import { parseJsonBody, quoteBody, unexpected } from "./body";
import type { HttpResponse } from "./http";
import { cleanServiceText, type Secret } from "./secret";
import { MISSING_RESULT_CODE } from "./status";
import { parseDuration } from "../util/duration";

export const PROGRESS_OPERATION = "DRS batch-progress";

/** One kind of object migrated (`data`, `structure`, `index`), as the service wrote it. */
export interface ObjectProgress {
  /** e.g. "94%". */
  completed?: string;
  remaining?: string;
}

/** One job as batch-progress reports it. Fields the service did not send (or sent unreadable) are absent. */
export interface JobProgressEntry {
  id: string;
  /** 0-100. */
  percent?: number;
  /** Incremental replication lag: `incre_trans_delay_millis`, else `incre_trans_delay` × 1000. */
  replicationLagMs?: number;
  /** Estimated time left exactly as sent (free-form in the wild). */
  remaining?: string;
  /** `remaining` in milliseconds when it reads as seconds, "HH:MM:SS" or a duration like "12m". */
  remainingMs?: number;
  /** FULL_TRANS, INCR_TRANS or FULL_INCR_TRANS, as sent. */
  taskMode?: string;
  /** The job's status as sent (batch-status vocabulary). */
  transferStatus?: string;
  /** Per kind of object; an older edition's array is keyed by each element's name, else its index. */
  progressMap?: Record<string, ObjectProgress>;
  /** The service could not report this job (e.g. DRS.M00289, it does not exist). */
  errorCode?: string;
  errorMessage?: string;
  /**
   * The service returned nothing for this job, even asked again: nothing above is known.
   * `errorCode` is then DRS.CLIENT.MISSING, as `batchStatus` reports a missing job.
   */
  missing?: true;
}

/** The entries of one answer; results without a string `job_id` are dropped. */
export function parseBatchProgress(
  response: HttpResponse,
  secrets: readonly Secret[],
): JobProgressEntry[] {
  const body = parseJsonBody(response, secrets, PROGRESS_OPERATION);
  const results = (body as { results?: unknown } | null)?.results;
  if (!Array.isArray(results)) {
    throw unexpected(
      response,
      PROGRESS_OPERATION,
      `no "results" array: ${quoteBody(response, secrets)}`,
    );
  }
  return results.flatMap((result) => {
    const entry = isObject(result) ? progressEntry(result) : undefined;
    return entry ? [cleanEntry(entry, secrets)] : [];
  });
}

/** What the service says reaches terminals and logs: redacted, no control characters. */
function cleanEntry(entry: JobProgressEntry, secrets: readonly Secret[]): JobProgressEntry {
  const clean = { ...entry };
  for (const key of [
    "remaining",
    "taskMode",
    "transferStatus",
    "errorCode",
    "errorMessage",
  ] as const) {
    const value = clean[key];
    if (value !== undefined) clean[key] = cleanServiceText(value, secrets);
  }
  return clean;
}

export function progressEntry(result: Record<string, unknown>): JobProgressEntry | undefined {
  const id = result.job_id;
  if (typeof id !== "string" || id === "") return undefined;
  const entry: JobProgressEntry = { id };
  const percent = toNumber(result.progress);
  if (percent !== undefined && percent >= 0 && percent <= 100) entry.percent = percent;
  const lagMs =
    wholeMs(nonNegative(result.incre_trans_delay_millis)) ??
    wholeMs(seconds(nonNegative(result.incre_trans_delay)));
  if (lagMs !== undefined) entry.replicationLagMs = lagMs;
  const remaining = text(result.remaining_time);
  if (remaining !== undefined) {
    entry.remaining = remaining;
    const ms = remainingMs(remaining);
    if (ms !== undefined) entry.remainingMs = ms;
  }
  const taskMode = text(result.task_mode);
  if (taskMode !== undefined) entry.taskMode = taskMode;
  const status = text(result.transfer_status);
  if (status !== undefined) entry.transferStatus = status;
  const map = progressMap(result.progress_map);
  if (map !== undefined) entry.progressMap = map;
  const code = text(result.error_code);
  if (code !== undefined) entry.errorCode = code;
  // batch-progress documents error_msg; batch-status's error_message is read too.
  const message = text(result.error_msg) ?? text(result.error_message);
  if (message !== undefined) entry.errorMessage = message;
  return entry;
}

/** An entry for a job the service never returned, so the caller still gets one per job. */
export function missingProgressEntry(id: string, requests: number): JobProgressEntry {
  return {
    id,
    missing: true,
    errorCode: MISSING_RESULT_CODE,
    errorMessage: `the service returned no progress for this job in ${requests} requests`,
  };
}

export interface CollectedProgress {
  results: Map<string, JobProgressEntry>;
  requests: number;
}

/**
 * Asks for every id (already distinct) in chunks of 100, one after another, then once more
 * for ids left out: a short answer may be the service's slip, not absence. Results for ids
 * not asked, and repeats, are ignored; the first answer stands.
 */
export async function collectProgress(
  jobIds: readonly string[],
  fetchChunk: (ids: string[]) => Promise<JobProgressEntry[]>,
): Promise<CollectedProgress> {
  const results = new Map<string, JobProgressEntry>();
  const answered = (position: number) => results.has(jobIds[position]);
  const requests = await askInChunks(jobIds, answered, async (ids100) => {
    const wanted = new Set(ids100);
    for (const entry of await fetchChunk(ids100)) {
      if (wanted.has(entry.id) && !results.has(entry.id)) results.set(entry.id, entry);
    }
    return 1;
  });
  return { results, requests };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A number sent as a number or a string ("67", "67.5", "67%"); anything else is unknown. */
function toNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string") return undefined;
  const match = /^\s*(-?\d+(?:\.\d+)?)\s*%?\s*$/.exec(value);
  // 400 digits read as Infinity: unknown, like any other unreadable value.
  const number = match ? Number(match[1]) : NaN;
  return Number.isFinite(number) ? number : undefined;
}

/** Negative values ("-1") are how some editions say "not applicable": unknown, not zero. */
function nonNegative(value: unknown): number | undefined {
  const number = toNumber(value);
  return number !== undefined && number >= 0 ? number : undefined;
}

function seconds(value: number | undefined): number | undefined {
  return value === undefined ? undefined : value * 1000;
}

/** Whole milliseconds, or unknown when too large to be a real delay (1e305 s overflows). */
function wholeMs(value: number | undefined): number | undefined {
  const ms = value === undefined ? undefined : Math.round(value);
  return ms !== undefined && Number.isSafeInteger(ms) ? ms : undefined;
}

function text(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

function remainingMs(value: string): number | undefined {
  // Seconds, as the SDK documents it.
  if (/^\d+(\.\d+)?$/.test(value)) return wholeMs(seconds(Number(value)));
  const clock = /^(\d+):([0-5]\d):([0-5]\d)$/.exec(value);
  if (clock) {
    return wholeMs(((Number(clock[1]) * 60 + Number(clock[2])) * 60 + Number(clock[3])) * 1000);
  }
  try {
    return parseDuration(value, "remaining_time");
  } catch {
    return undefined;
  }
}

function progressMap(value: unknown): Record<string, ObjectProgress> | undefined {
  let pairs: [string, unknown][];
  if (Array.isArray(value)) {
    pairs = value.map((item, index) => {
      const name = isObject(item)
        ? [item.name, item.type, item.object_type].find((n) => typeof n === "string" && n !== "")
        : undefined;
      return [typeof name === "string" ? name : String(index), item];
    });
  } else if (isObject(value)) pairs = Object.entries(value);
  else return undefined;
  const map: Record<string, ObjectProgress> = {};
  for (const [key, item] of pairs) {
    if (!isObject(item)) continue;
    const part: ObjectProgress = {};
    const completed = text(item.completed);
    const remaining = text(item.remaining_time);
    if (completed !== undefined) part.completed = completed;
    if (remaining !== undefined) part.remaining = remaining;
    map[key] = part;
  }
  return Object.keys(map).length > 0 ? map : undefined;
}
