// Everything a running simulator holds, passed to each route so they share one truth.
import { SimClock } from "./clock";
import { CompareStore } from "./compare";
import { FaultStore } from "./faults";
import { JobStore } from "./jobs";
import { RequestStats } from "./stats";
import { TokenStore } from "./tokens";
import { DEFAULT_PROJECT_NAME, type AuthConfig, type ProjectInput, type Scenario } from "./types";

export interface SimState {
  projectId: string;
  /** What IAM's project list holds. */
  projects: ProjectInput[];
  /** Largest page served whatever per_page asks; undefined: per_page rules. */
  maxPageSize?: number;
  auth: AuthConfig;
  clock: SimClock;
  jobs: JobStore;
  /** Data comparisons: each job's scripted tables and the comparisons started on it. */
  compares: CompareStore;
  faults: FaultStore;
  tokens: TokenStore;
  stats: RequestStats;
  maxBodyBytes: number;
}

export function createState(scenario: Scenario, maxBodyBytes: number, logLimit?: number): SimState {
  const clock = new SimClock();
  const faults = new FaultStore(clock);
  for (const fault of scenario.faults) faults.add(fault);
  const tokens = new TokenStore(clock);
  if (scenario.auth.temporaryKeyLifetimeMs !== undefined)
    tokens.temporary.lifetimeMs = scenario.auth.temporaryKeyLifetimeMs;
  const compares = new CompareStore(clock);
  for (const job of scenario.jobs) if (job.compare) compares.setSpec(job.id, job.compare);
  return {
    projectId: scenario.projectId,
    projects: scenario.projects ?? [{ id: scenario.projectId, name: DEFAULT_PROJECT_NAME }],
    maxPageSize: scenario.maxPageSize,
    auth: scenario.auth,
    clock,
    jobs: new JobStore(clock, scenario.jobs),
    compares,
    faults,
    tokens,
    stats: new RequestStats(logLimit),
    maxBodyBytes,
  };
}
