// The simulator's own clock: real time since start plus whatever tests pushed it forward,
// so a test can reach "20 minutes later" (timelines, token expiry) in no time.
import { performance } from "node:perf_hooks";

export class SimClock {
  readonly startedAt = Date.now();
  private readonly startPerf = performance.now();
  private offsetMs = 0;

  /** Milliseconds since server start on the simulator clock. */
  elapsed(): number {
    return performance.now() - this.startPerf + this.offsetMs;
  }

  /** Epoch milliseconds on the simulator clock. */
  now(): number {
    return this.startedAt + this.elapsed();
  }

  advance(ms: number): void {
    // Time only moves forward: a timeline step once reported must not be "un-happened".
    if (!(ms >= 0)) throw new RangeError("the clock only moves forward");
    this.offsetMs += ms;
  }

  get advancedMs(): number {
    return this.offsetMs;
  }
}
