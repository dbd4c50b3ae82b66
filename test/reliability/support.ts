// Shared by the reliability tests: the fault catalogue every leg (client, CLI, JobWaiter) runs
// through, credentials that are easy to search for, and the `drs-jobs` child-process runner.
import { DrsClient, type DrsClientOptions } from "../../src/api/client";
import type { Simulator } from "../../src/sim";
import type { FaultInput } from "../../src/sim/types";
import { simulatorEnv } from "../support/drs-jobs";

/** Long, distinctive values: any occurrence in an output is a leak, never a coincidence. */
export const SECRETS = {
  token: "rel-token-7d1e4c0b9a8f4e2d",
  accessKey: "RELAKEXAMPLE0123456789",
  secretKey: "rel-secret-key-5b3f9e1a7c2d4680",
  userName: "rel-user",
  password: "rel-password-c9e8d7f6a5b4",
  domainName: "rel-domain",
} as const;

/** Every secret value above (the AK and user/domain names are identifiers, not secrets). */
export const SECRET_VALUES = [SECRETS.token, SECRETS.secretKey, SECRETS.password];

/** One row of the fault matrix. */
export interface FaultCase {
  name: string;
  faults: FaultInput[];
  /** What the retry layer makes of it: a transient fault must not change the verdict. */
  transient: true;
}

/**
 * The transient faults: each is survived with the jobs' real verdict (ready). `times` is kept
 * within the client's default retry budget (4 retries), so even a single poll gets through.
 */
export const TRANSIENT_FAULTS: FaultCase[] = [
  { name: "429 storm without Retry-After", faults: [{ status: 429, times: 4 }], transient: true },
  {
    name: "429 storm with Retry-After: 1",
    faults: [{ status: 429, times: 2, retryAfter: "1" }],
    transient: true,
  },
  {
    name: "burst of 500/502/503/504",
    faults: [500, 502, 503, 504].map((status) => ({ status, times: 1 })),
    transient: true,
  },
  { name: "dropped connections", faults: [{ drop: true, times: 2 }], transient: true },
  {
    name: "accepts and never answers (request timeout)",
    faults: [{ hang: true, times: 1 }],
    transient: true,
  },
  { name: "malformed JSON", faults: [{ body: "malformed", times: 1 }], transient: true },
  { name: "truncated JSON", faults: [{ body: "truncated", times: 1 }], transient: true },
  { name: "empty body", faults: [{ body: "empty", times: 1 }], transient: true },
  { name: "page missing a job", faults: [{ data: "missing", times: 1 }], transient: true },
  { name: "page duplicating a job", faults: [{ data: "duplicate", times: 1 }], transient: true },
  {
    name: "count disagrees with results",
    faults: [{ data: "count-mismatch", times: 1 }],
    transient: true,
  },
  {
    name: "unknown status string",
    faults: [{ data: "unknown-status", times: 1, unknownStatus: "SOMETHING_NEW" }],
    transient: true,
  },
];

/** A client for the simulator: short request timeout, fast backoff, no machine environment. */
export function clientFor(sim: Simulator, options: DrsClientOptions = {}): DrsClient {
  return new DrsClient({
    endpoint: sim.url,
    projectId: sim.projectId,
    env: {},
    authToken: SECRETS.token,
    requestTimeout: "400ms",
    ...options,
    retry: { minTimeout: 5, maxTimeout: 40, ...options.retry },
  });
}

export const batchRequests = (sim: Simulator): number => sim.counters().byKind["batch-status"] ?? 0;

export { drsJobs, type Run } from "../support/drs-jobs";

/** The environment `drs-jobs` gets: the simulator, a token and a short request timeout. */
export function cliEnv(sim: Simulator, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return simulatorEnv(sim, SECRETS.token, { HW_DRS_REQUEST_TIMEOUT: "400ms", ...extra });
}

/** Resolves when `predicate` holds, polling every 25 ms; rejects after `withinMs`. */
export async function until(predicate: () => boolean, withinMs: number, what: string) {
  const end = Date.now() + withinMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
