// The live set of faults and the rule for which one hits a request. Faults are checked in
// the order they were added; the first that matches wins, so a test can stack a short burst
// of 429s in front of a long-running delay.
import type { SimClock } from "./clock";
import type { Fault } from "./types";

// Without a path a fault aims at the DRS API: not the fake IAM or metadata service (and
// /_sim/ never sees faults).
const NOT_DRS: readonly string[] = ["iam-token", "iam-projects", "iam-federation", "ecs-metadata"];

export class FaultStore {
  private faults: Fault[] = [];
  private nextId = 1;

  constructor(private readonly clock: SimClock) {}

  add(fault: Omit<Fault, "id">): Fault {
    const added = { ...fault, id: `f${this.nextId++}` };
    this.faults.push(added);
    return added;
  }

  list(): Fault[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  /** Removes one fault by ID, or all; returns how many went. */
  clear(id?: string): number {
    const before = this.faults.length;
    this.faults = id === undefined ? [] : this.faults.filter((fault) => fault.id !== id);
    return before - this.faults.length;
  }

  /**
   * The fault that shapes this request before any handler runs (not a data fault). `route`
   * is the request's kind (batch-status, batch-progress, ...), for faults scoped by `route`.
   */
  takeRequestFault(path: string, route?: string): Fault | undefined {
    return this.take(path, route, (fault) => fault.effect !== "data");
  }

  /** The data fault that corrupts this successful batch answer, if any. */
  takeDataFault(path: string, route?: string): Fault | undefined {
    return this.take(path, route, (fault) => fault.effect === "data");
  }

  private take(
    path: string,
    route: string | undefined,
    kind: (fault: Fault) => boolean,
  ): Fault | undefined {
    const elapsed = this.clock.elapsed();
    for (const fault of this.faults) {
      if (!kind(fault) || !this.active(fault, elapsed) || !matchesPath(fault.path, path, route))
        continue;
      if (fault.route !== undefined && fault.route !== route) continue;
      if (fault.remaining !== undefined) {
        fault.remaining -= 1;
        // A used-up fault leaves the list so `list()` shows what can still happen.
        if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
      }
      return { ...fault };
    }
    return undefined;
  }

  private active(fault: Fault, elapsed: number): boolean {
    if (fault.fromMs !== undefined && elapsed < fault.fromMs) return false;
    if (fault.untilMs !== undefined && elapsed >= fault.untilMs) return false;
    return fault.remaining === undefined || fault.remaining > 0;
  }
}

function matchesPath(pattern: string | undefined, path: string, route?: string): boolean {
  if (pattern === undefined) return route === undefined || !NOT_DRS.includes(route);
  if (pattern.endsWith("*")) return path.startsWith(pattern.slice(0, -1));
  return path === pattern;
}
