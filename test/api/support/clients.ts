import { DrsClient, type DrsClientOptions } from "../../../src/api/client";
import type { Simulator } from "../../../src/sim";

export const TOKEN = "MIIE-static-token-0123456789abcdef";

/** A client for `sim` with fast backoff and no environment leaking in from the machine. */
export function clientFor(sim: Simulator, options: DrsClientOptions = {}): DrsClient {
  return new DrsClient({
    endpoint: sim.url,
    projectId: sim.projectId,
    env: {},
    requestTimeout: "2s",
    ...options,
    retry: { minTimeout: 5, maxTimeout: 20, ...options.retry },
  });
}

/** `n` jobs in the simulator's scenario form, all reporting `status`, and their ids in order. */
export function makeJobs(
  n: number,
  status = "INCRE_TRANSFER_STARTED",
): { ids: string[]; jobs: { id: string; status: string }[] } {
  const ids = Array.from(
    { length: n },
    (_, i) => `${String(i).padStart(8, "0")}-ee3e-49b8-a022-a099bd81jb21`,
  );
  return { ids, jobs: ids.map((id) => ({ id, status })) };
}

/**
 * The batch-status requests the simulator saw, in the order they arrived (the log itself is
 * in the order they ended, which differs when a hung request is cut after a later one came).
 */
export function drsRequests(sim: Simulator) {
  return inArrivalOrder(sim).filter((e) => e.kind === "batch-status");
}

/** The IAM token requests the simulator saw, in the order they arrived. */
export function iamRequests(sim: Simulator) {
  return inArrivalOrder(sim).filter((e) => e.kind === "iam-token");
}

function inArrivalOrder(sim: Simulator) {
  return sim.requestLog().sort((a, b) => a.seq - b.seq);
}
