// The simulator's public vocabulary: what a scenario file or a test hands to startSimulator.
// Inputs accept the loose forms people write by hand ("20s" or 20); the parsed forms are
// what the server works with (milliseconds, defaults filled in).
import type { Duration } from "../util/duration";

/** One scripted step of a job: from `at` (after server start) on, the job reports this. */
export interface TimelineStepInput {
  at: Duration;
  /** Omit together with an `errorCode` to report a bare per-job error (e.g. a deleted job). */
  status?: string;
  errorCode?: string;
  errorMessage?: string;
  /** Chinese `error_message` for `X-Language: zh-cn`; else the catalogue text or `errorMessage`. */
  errorMessageZh?: string;
  /** batch-progress `progress`, 0-100; default 100 from FULL_TRANSFER_COMPLETE on, else 0. */
  progress?: number;
  /** batch-progress replication lag, e.g. "60s"; default 0 in INCRE_TRANSFER_STARTED. */
  lag?: Duration;
}

/** batch-progress `task_mode` values. */
export const TASK_MODES = ["FULL_TRANS", "INCR_TRANS", "FULL_INCR_TRANS"] as const;
export type TaskMode = (typeof TASK_MODES)[number];

export interface JobInput {
  id: string;
  /** What this job's data comparisons report (src/sim/README.md, "Data comparison"). */
  compare?: CompareInput;
  /** batch-progress `task_mode`; default FULL_INCR_TRANS. */
  taskMode?: TaskMode;
  /** Shorthand for `timeline: [{ at: 0, status }]`. */
  status?: string;
  timeline?: TimelineStepInput[];
}

export interface AccessKeyInput {
  accessKey: string;
  secretKey: string;
  /** Makes the key temporary: every request signed with it must carry this X-Security-Token. */
  securityToken?: string;
}

export interface IamInput {
  userName: string;
  password: string;
  domainName: string;
  /** How long issued tokens stay valid on the simulator clock; default "24h". */
  tokenLifetime?: Duration;
}

/** OIDC federation: the IdP IAM knows and the one ID token it accepts. */
export interface FederationInput {
  idpId: string;
  idToken: string;
}

/** The ECS metadata service of an instance with (or without) an agency bound. */
export interface EcsMetadataInput {
  /** false: the security key answers 401 "Please configure Cloud Service Agency first". */
  agency?: boolean;
  /** false: an old host without the session token service (PUT token answers 404). */
  tokenService?: boolean;
}

/** Every method configured is accepted; none configured means no authentication. */
export interface AuthInput {
  token?: string;
  accessKey?: string;
  secretKey?: string;
  securityToken?: string;
  keys?: AccessKeyInput[];
  iam?: IamInput;
  federation?: FederationInput;
  ecsMetadata?: EcsMetadataInput;
  /** How long issued temporary keys stay valid on the simulator clock; default "1h". */
  temporaryKeyLifetime?: Duration;
}

/** A project `GET /v3/projects?name=` lists. */
export interface ProjectInput {
  id: string;
  name: string;
}

export type DataFaultKind = "missing" | "duplicate" | "count-mismatch" | "unknown-status";
export type BodyFaultKind = "malformed" | "truncated" | "empty";
/** The DRS routes a fault's `route` scope can name. */
export type FaultRoute = "batch-status" | "batch-progress" | "compare";

/**
 * A fault: at most one effect (`status`, `drop`, `hang`, `body`, `data`), optionally with
 * `delay`. It applies `times` times and/or inside the `from`..`until` window, to every
 * DRS request or only to `path` (exact, or a prefix when it ends with `*`).
 */
export interface FaultInput {
  status?: number;
  retryAfter?: string | number;
  errorCode?: string;
  errorMessage?: string;
  /** With `status`: an HTML page instead of the JSON error body (true: a gateway's default page). */
  html?: true | string;
  delay?: Duration;
  drop?: boolean;
  hang?: boolean;
  body?: BodyFaultKind;
  data?: DataFaultKind;
  /** The status string reported by the `unknown-status` data fault. */
  unknownStatus?: string;
  /** The `count` reported by the `count-mismatch` data fault; default one more than the results. */
  count?: number;
  times?: number;
  from?: Duration;
  until?: Duration;
  path?: string;
  /** Only requests to this route (any project), e.g. "batch-progress". */
  route?: FaultRoute;
}

export interface ScenarioInput {
  projectId?: string;
  /**
   * Serve at most this many results per page whatever `per_page` asks (1-100), counting pages
   * in this size: a service that pages below the documented limit. Default: `per_page` rules.
   */
  maxPageSize?: number;
  auth?: AuthInput;
  /** What IAM lists; default one project, `projectId`, named cn-north-4. */
  projects?: ProjectInput[];
  jobs?: JobInput[];
  faults?: FaultInput[];
}

export interface TimelineStep {
  atMs: number;
  status?: string;
  errorCode?: string;
  errorMessage?: string;
  errorMessageZh?: string;
  progress?: number;
  lagMs?: number;
}

export interface SimJob {
  id: string;
  compare?: CompareSpec;
  taskMode?: TaskMode;
  /** Sorted by `atMs`. */
  timeline: TimelineStep[];
}

export interface AuthConfig {
  token?: string;
  /** accessKey -> secretKey */
  keys: Map<string, string>;
  /** accessKey -> the X-Security-Token a temporary key must come with. */
  securityTokens?: Map<string, string>;
  iam?: { userName: string; password: string; domainName: string; tokenLifetimeMs: number };
  federation?: FederationInput;
  ecsMetadata?: { agency: boolean; tokenService: boolean };
  temporaryKeyLifetimeMs?: number;
}

export type FaultEffect = "status" | "drop" | "hang" | "body" | "data" | "delay";

export interface Fault {
  id: string;
  effect: FaultEffect;
  status?: number;
  retryAfter?: string;
  errorCode?: string;
  errorMessage?: string;
  html?: true | string;
  delayMs: number;
  body?: BodyFaultKind;
  data?: DataFaultKind;
  unknownStatus?: string;
  count?: number;
  /** Applications left; undefined means unlimited (bounded by the window only). */
  remaining?: number;
  fromMs?: number;
  untilMs?: number;
  path?: string;
  route?: FaultRoute;
}

export interface Scenario {
  projectId: string;
  projects?: ProjectInput[];
  maxPageSize?: number;
  auth: AuthConfig;
  jobs: SimJob[];
  faults: Omit<Fault, "id">[];
}

/** The region the default project is named after. */
export const DEFAULT_PROJECT_NAME = "cn-north-4";

/** The project ID of the API page's example; the default when a scenario names none. */
export const EXAMPLE_PROJECT_ID = "054ba152d480d55b2f5dc0069e7ddef0";

export interface CompareTable {
  db: string;
  table: string;
  source: number;
  target: number;
}

export interface CompareObjectType {
  type: string;
  source: number;
  target: number;
}

/** A job's scripted comparison outcome. */
export interface CompareSpec {
  durationMs: number;
  tables: CompareTable[];
  /** Object types an object-level comparison reports; default DB and TABLE from `tables`. */
  objects?: CompareObjectType[];
  /** Comparisons end FAILED with this message. */
  fail?: string;
}

/** A table as a scenario writes it: its row counts at the source and the target. */
export interface CompareTableInput {
  db: string;
  table: string;
  source: number;
  target: number;
}

export interface CompareInput {
  /** How long each comparison runs on the simulator clock; default "1s". */
  duration?: Duration;
  tables?: CompareTableInput[];
  objects?: { type: string; source: number; target: number }[];
  fail?: string;
}
