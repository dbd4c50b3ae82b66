// Timelines driven by what the client did, not by wall time: a child process may take seconds
// to start on a loaded machine, and a scripted "ready at 2.5 s" then races it. The simulator
// runs in the test's own process, so a check every few ms sees the N-th answer long before a
// client polling every second (or more) sends its next request.
import type { RequestKind, Simulator } from "../../src/sim";

/**
 * Runs `action` once, right after the simulator has answered `count` requests of `kind`.
 * Returns a function that cancels it (call it when the run is over).
 */
export function afterAnswers(
  sim: Simulator,
  kind: RequestKind,
  count: number,
  action: () => void,
): () => void {
  const timer = setInterval(() => {
    if (answered(sim, kind) < count) return;
    clearInterval(timer);
    action();
  }, 5);
  return () => clearInterval(timer);
}

/** How many requests of `kind` the simulator has answered so far. */
export function answered(sim: Simulator, kind: RequestKind): number {
  return sim.requestLog().filter((entry) => entry.kind === kind).length;
}
