// When will it be safe? The replication lag's trend over the recent polls, and, when it
// drains, an estimate of when it reaches the maximum: a least-squares line through the
// samples of the last few minutes. Shown only when the samples support one (enough of them,
// over enough time, lying close to a line); never a promise.
import { formatDuration } from "../util/duration";

export interface LagSample {
  /** Epoch ms of the poll. */
  at: number;
  lagMs: number;
}

export interface LagTrend {
  direction: "draining" | "rising";
  /** How fast the lag changes, in ms per minute (positive). */
  msPerMin: number;
  /** Draining: how long until it reaches the maximum, at this pace. */
  etaMs?: number;
}

/** Samples older than this (before the newest) are not used. */
export const TREND_WINDOW_MS = 5 * 60_000;
/** Fewer samples, or samples over less time, say nothing. */
export const TREND_MIN_SAMPLES = 3;
export const TREND_MIN_SPAN_MS = 2_000;
/** How well the samples must lie on a line (R²) for a trend to be shown. */
export const TREND_MIN_FIT = 0.6;
/** A change slower than this is no trend (per minute). */
const STEADY_MS_PER_MIN = 500;
/** An estimate further out than this is no estimate. */
const MAX_ETA_MS = 24 * 3_600_000;

/** The recent samples to keep: within the window of the newest, at most 30. */
export function keepRecent(samples: readonly LagSample[], sample: LagSample): LagSample[] {
  return [...samples, sample].filter((s) => sample.at - s.at <= TREND_WINDOW_MS).slice(-30);
}

/** The trend of `samples` (oldest first), or undefined when they do not support one. */
export function lagTrend(samples: readonly LagSample[], maxMs: number): LagTrend | undefined {
  const newest = samples.at(-1);
  if (!newest) return undefined;
  const recent = samples.filter((s) => newest.at - s.at <= TREND_WINDOW_MS);
  if (recent.length < TREND_MIN_SAMPLES) return undefined;
  if (newest.at - recent[0].at < TREND_MIN_SPAN_MS) return undefined;
  const n = recent.length;
  const meanT = recent.reduce((a, s) => a + s.at, 0) / n;
  const meanL = recent.reduce((a, s) => a + s.lagMs, 0) / n;
  let sTT = 0;
  let sTL = 0;
  let sLL = 0;
  for (const s of recent) {
    sTT += (s.at - meanT) ** 2;
    sTL += (s.at - meanT) * (s.lagMs - meanL);
    sLL += (s.lagMs - meanL) ** 2;
  }
  if (sTT === 0 || sLL === 0) return undefined;
  const slope = sTL / sTT; // ms of lag per ms
  const fit = (sTL * sTL) / (sTT * sLL);
  const msPerMin = Math.abs(slope) * 60_000;
  if (fit < TREND_MIN_FIT || msPerMin < STEADY_MS_PER_MIN) return undefined;
  if (slope > 0) return { direction: "rising", msPerMin };
  // From the fitted line at the newest poll, not the raw sample: one noisy poll moves less.
  const now = meanL + slope * (newest.at - meanT);
  const etaMs = Math.max(0, (now - maxMs) / -slope);
  return {
    direction: "draining",
    msPerMin,
    ...(Number.isFinite(etaMs) && etaMs <= MAX_ETA_MS && { etaMs }),
  };
}

/** `draining ~3s/min, ~12m to go`, `rising`. */
export function describeTrend(trend: LagTrend): string {
  if (trend.direction === "rising") return "rising";
  const rate =
    trend.msPerMin >= 60_000
      ? `~${formatDuration(trend.msPerMin / 60)}/s`
      : `~${formatDuration(trend.msPerMin)}/min`;
  const eta = trend.etaMs === undefined ? "" : `, ~${formatDuration(trend.etaMs)} to go`;
  return `draining ${rate}${eta}`;
}
