// Durations in the public API: "500ms", "30s", "10m", "1h", "1h30m", or a number of seconds.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;

export type Duration = string | number;

/**
 * Parses a duration to milliseconds. `field` names the setting in the error, so the user
 * knows which input to fix.
 */
export function parseDuration(input: Duration, field: string): number {
  const fail = (why: string): never => {
    throw new RangeError(
      `${field}: ${why} (got ${JSON.stringify(input)}); use e.g. "30s", "10m", "1h" or a number of seconds`,
    );
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
    if (!match) return fail(`cannot read "${text.slice(at)}"`);
    total += Number(match[1]) * UNIT_MS[match[2]];
  }
  return Number.isFinite(total) ? Math.round(total) : fail("is too large");
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
