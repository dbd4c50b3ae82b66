// Everything a running simulator holds, passed to each route so they share one truth.
import { SimClock } from "./clock";
import { FaultStore } from "./faults";
import { JobStore } from "./jobs";
import { RequestStats } from "./stats";
import { TokenStore } from "./tokens";
import type { AuthConfig, Scenario } from "./types";

export interface SimState {
  projectId: string;
  /** Largest page served whatever per_page asks; undefined: per_page rules. */
  maxPageSize?: number;
  auth: AuthConfig;
  clock: SimClock;
  jobs: JobStore;
  faults: FaultStore;
  tokens: TokenStore;
  stats: RequestStats;
  maxBodyBytes: number;
}

export function createState(scenario: Scenario, maxBodyBytes: number, logLimit?: number): SimState {
  const clock = new SimClock();
  const faults = new FaultStore(clock);
  for (const fault of scenario.faults) faults.add(fault);
  return {
    projectId: scenario.projectId,
    maxPageSize: scenario.maxPageSize,
    auth: scenario.auth,
    clock,
    jobs: new JobStore(clock, scenario.jobs),
    faults,
    tokens: new TokenStore(clock),
    stats: new RequestStats(logLimit),
    maxBodyBytes,
  };
}
