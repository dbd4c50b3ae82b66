// What batch-progress reports for a job, derived from its timeline step: the step's scripted
// `progress` and `lag`, or defaults that a real job in that status would show. Values are
// strings, as documented and as the official SDK's model declares them.
import type { Language, QueryProgressResp } from "../api/wire";
import type { SimClock } from "./clock";
import { stepMessage, type JobStore } from "./jobs";
import { message } from "./messages";

/** From these on, the full migration is done: progress defaults to 100. */
const FULL_DONE = new Set([
  "FULL_TRANSFER_COMPLETE",
  "INCRE_TRANSFER_STARTED",
  "INCRE_TRANSFER_FAILED",
]);
const INCREMENTAL = "INCRE_TRANSFER_STARTED";
const FULL_RUNNING = "FULL_TRANSFER_STARTED";
/** The rate assumed before any progress shows: 1 % a minute. */
const DEFAULT_SECONDS_PER_PERCENT = 60;

/**
 * Seconds left at the rate so far (`percent` in `elapsedMs` since the full transfer started),
 * or at the default rate while there is no progress to measure a rate from.
 */
export function estimatedRemainingS(percent: number, elapsedMs: number): number {
  const secondsPerPercent =
    percent > 0 && elapsedMs >= 1000 ? elapsedMs / 1000 / percent : DEFAULT_SECONDS_PER_PERCENT;
  return Math.ceil((100 - percent) * secondsPerPercent);
}

export function progressResult(
  jobs: JobStore,
  clock: SimClock,
  id: string,
  language: Language,
): QueryProgressResp {
  const { step, taskMode, nextChangeInMs, inStatusForMs } = jobs.progress(id);
  if (!step) {
    return { job_id: id, error_code: "DRS.M00289", error_msg: message("DRS.M00289", language) };
  }
  const status = step.status;
  const percent = step.progress ?? (status !== undefined && FULL_DONE.has(status) ? 100 : 0);
  const lagMs = step.lagMs ?? (status === INCREMENTAL ? 0 : undefined);
  // Until the next status change is what the script knows of "time left"; seconds, per the SDK.
  // A full transfer with no scripted end still has one, as the real service reports: estimated.
  const remaining =
    percent >= 100
      ? "0"
      : nextChangeInMs !== undefined
        ? String(Math.ceil(nextChangeInMs / 1000))
        : status === FULL_RUNNING
          ? String(estimatedRemainingS(percent, inStatusForMs ?? 0))
          : undefined;
  const result: QueryProgressResp = {
    job_id: id,
    progress: String(percent),
    task_mode: taskMode ?? "FULL_INCR_TRANS",
    process_time: String(Math.floor(clock.now())),
    progress_map: {
      structure: { completed: percent > 0 ? "100%" : "0%", remaining_time: "0" },
      data: {
        completed: `${percent}%`,
        ...(remaining !== undefined && { remaining_time: remaining }),
      },
      index: { completed: percent >= 100 ? "100%" : "0%", remaining_time: "0" },
    },
    // -1 is how the service says "not in the incremental phase yet".
    apply_rows_rate: status === INCREMENTAL ? 0 : -1,
    apply_bytes_rate: status === INCREMENTAL ? 0 : -1,
  };
  if (status !== undefined) result.transfer_status = status;
  if (remaining !== undefined) result.remaining_time = remaining;
  if (lagMs !== undefined) {
    // Whole seconds, truncated as an integer division on the service would.
    result.incre_trans_delay = String(Math.floor(lagMs / 1000));
    result.incre_trans_delay_millis = String(lagMs);
  }
  if (step.errorCode !== undefined) {
    result.error_code = step.errorCode;
    result.error_msg = stepMessage(step, language);
  }
  return result;
}
