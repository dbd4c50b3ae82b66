// Durations in the public API: "500ms", "30s", "10m", "1h", "1h30m", or a number of seconds.
import { InputError, showValue } from "./input-error";

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;

export type Duration = string | number;

/** The longest timer Node keeps (about 24.8 days); a longer one fires at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Parses a duration to milliseconds. `field` names the setting in the error, so the user
 * knows which input to fix.
 */
export function parseDuration(input: Duration, field: string): number {
  const fail = (why: string): never => {
    throw new InputError({
      field,
      reason: `${why} (got ${showValue(input)}); use e.g. "30s", "10m", "1h" or a number of seconds`,
    });
  };
  if (typeof input === "number") {
    if (!Number.isFinite(input) || input < 0) fail("must be a non-negative number of seconds");
    const ms = Math.round(input * 1000);
    // 1e306 seconds is finite, its milliseconds are not.
    return Number.isFinite(ms) ? ms : fail("is too large");
  }
  if (typeof input !== "string") return fail("must be a string or a number");
  const text = input.trim();
  if (text === "") fail("is empty");
  if (/^\d+(\.\d+)?$/.test(text)) return parseDuration(Number(text), field);
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const at = PART.lastIndex;
    const match = PART.exec(text);
    if (!match) {
      const unit = /^\d+(?:\.\d+)?([a-z]+)/i.exec(text.slice(at))?.[1];
      return unit !== undefined && !(unit in UNIT_MS)
        ? fail(`unknown unit "${unit}": the units are ms, s, m and h`)
        : fail(`cannot read "${text.slice(at)}"`);
    }
    total += Number(match[1]) * UNIT_MS[match[2]];
  }
  return Number.isFinite(total) ? Math.round(total) : fail("is too large");
}

/** A duration a timer can hold, at least `minMs`: every wait, interval and request timeout. */
export function timerDuration(input: Duration, field: string, minMs = 0): number {
  const ms = parseDuration(input, field);
  if (ms < minMs) throw new InputError({ field, reason: `must be at least ${minMs}ms` });
  if (ms > MAX_TIMER_MS) {
    throw new InputError({ field, reason: `must be at most ${MAX_TIMER_MS}ms (about 24 days)` });
  }
  return ms;
}

/** "1m30s" style, for messages. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return [h ? `${h}h` : "", m ? `${m}m` : "", rest || (!h && !m) ? `${rest}s` : ""].join("");
}
