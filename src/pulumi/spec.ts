// The one description of our resources' properties and the provider's configuration. The
// dynamic provider's `check` and `diff` take their property names from here, and the plugin's
// schema.json is generated from here (scripts/schema.ts), so a new input is added once, here.
// Each property is written as a Pulumi package-schema property.

import type { ConnectionField } from "../api/settings";
import { COMPARE_KINDS } from "../api/compare";
import type { Duration } from "../util/duration";

export interface PropertySpec {
  type: "string" | "number" | "boolean" | "array" | "object";
  description: string;
  items?: { type: string } | { $ref: string };
  additionalProperties?: { type: string };
  secret?: boolean;
}

export interface InputSpec extends PropertySpec {
  /** A change re-verifies the gate (otherwise it only changes how the next wait runs). */
  gates?: boolean;
  /** Compared as a set: reordering is no change. */
  set?: boolean;
  /** Every resource must set it (the schema's `requiredInputs`). */
  required?: boolean;
  /** A duration: a string such as "30s", or a number of seconds. */
  duration?: boolean;
  /** The values a list may hold. */
  values?: readonly string[];
}

/** The value an input of this spec holds once `check` has passed it. */
type ValueOf<S> = S extends { duration: true }
  ? Duration
  : S extends { type: "array"; values: readonly (infer V)[] }
    ? V[]
    : S extends { type: "array" }
      ? string[]
      : S extends { type: "number" }
        ? number
        : S extends { type: "boolean" }
          ? boolean
          : string;

/**
 * The inputs a resource's `check` returns, typed from its specs (as pulumi-go-provider's
 * `infer` derives them from a struct): required ones present, the others optional.
 */
export type InputsOf<S> = {
  -readonly [K in keyof S as S[K] extends { required: true } ? K : never]: ValueOf<S[K]>;
} & {
  -readonly [K in keyof S as S[K] extends { required: true } ? never : K]?: ValueOf<S[K]>;
};

const duration = (description: string) =>
  ({
    type: "string",
    duration: true,
    description: `${description} A duration: "30s", "10m", "1h30m", or a number of seconds.`,
  }) as const;

/**
 * Where DRS is (api/settings.ts names the fields): what each is, and where its value comes from
 * when neither the resource nor the stack config sets it. The resources' inputs and the stack
 * config are written from here.
 */
const CONNECTION = {
  endpoint: {
    about: "DRS base URL (https)",
    env: "HW_DRS_ENDPOINT",
    last: "derived from the region",
  },
  region: { about: "Huawei Cloud region", env: "HW_REGION_NAME" },
  projectId: { about: "Project id of the region", env: "HW_PROJECT_ID" },
  language: {
    about: "Language of DRS messages: `en-us` or `zh-cn`",
    env: "HW_DRS_LANGUAGE",
    last: "en-us",
  },
} satisfies Record<ConnectionField, { about: string; env: string; last?: string }>;

const connectionSpecs = <T>(spec: (field: ConnectionField) => T) =>
  Object.fromEntries(
    (Object.keys(CONNECTION) as ConnectionField[]).map((field) => [field, spec(field)]),
  ) as Record<ConnectionField, T>;

/** How every resource finds DRS. Credentials are provider configuration only, never inputs. */
export const CONNECTION_INPUTS = connectionSpecs((field) => {
  const { about, env, last } = CONNECTION[field] as { about: string; env: string; last?: string };
  return {
    type: "string",
    description: `${about}. Default: the provider's \`drs:${field}\`, else ${env}${last ? `, else ${last}` : ""}.`,
    gates: true,
  } as const;
});

export const JOB_INPUTS = {
  jobIds: {
    type: "array",
    items: { type: "string" },
    description: "DRS job ids; order is kept in the outputs, duplicates are dropped.",
    gates: true,
    set: true,
    required: true,
  },
  ...CONNECTION_INPUTS,
} as const satisfies Record<string, InputSpec>;

/** What the waiter takes on top of the job inputs. */
export const WAIT_INPUTS = {
  targetStatuses: {
    type: "array",
    items: { type: "string" },
    description:
      "Statuses that count as ready (any case). Default FULL_TRANSFER_COMPLETE and INCRE_TRANSFER_STARTED.",
    gates: true,
    set: true,
  },
  timeout: duration("How long to wait for every job to be ready; default 60m."),
  pollInterval: duration("Time between status polls; default 10s."),
  maxReplicationLag: {
    ...duration(
      "Safe cutover: a job in INCRE_TRANSFER_STARTED is ready only once its replication lag is at most this. Jobs in FULL_TRANSFER_COMPLETE (full-only) have no lag.",
    ),
    gates: true,
  },
  lagStableFor: {
    ...duration(
      "With maxReplicationLag: the lag must stay at or below it this long, over consecutive polls; default a single poll.",
    ),
    gates: true,
  },
  compare: {
    type: "array",
    items: { type: "string" },
    description:
      'Safe cutover: once every job is otherwise ready, run a DRS data comparison of each kind per job ("lines": row counts, "contents", "objects"), or adopt one of that kind already running, and open only when every table is consistent. A table that differs, or that DRS could not compare, fails the update naming it. No comparison request is sent without it, nor in preview.',
    gates: true,
    values: COMPARE_KINDS,
  },
} as const satisfies Record<string, InputSpec>;

export type ConnectionInputs = InputsOf<typeof CONNECTION_INPUTS>;
export type JobStatusInputs = InputsOf<typeof JOB_INPUTS>;
export type JobWaiterInputs = InputsOf<typeof JOB_INPUTS & typeof WAIT_INPUTS>;
/** The gate's inputs; `waiterUrn` is the dynamic JobWaiter's own URN, where progress shows. */
export type GateInputs = JobWaiterInputs & { waiterUrn?: string };

const JOB_ENTRY_REF = { $ref: "#/types/drs:index:JobStatusEntry" };

export const JOB_STATUS_OUTPUTS = {
  jobs: {
    type: "array",
    items: JOB_ENTRY_REF,
    description: "One entry per job, in the order given.",
  },
  statuses: {
    type: "object",
    additionalProperties: { type: "string" },
    description: "Job id to status (or the DRS error code when the service reported no status).",
  },
  statusesAtLastUpdate: {
    type: "object",
    additionalProperties: { type: "string" },
    description:
      "`statuses` as the last update recorded them; a refresh that differs shows as drift.",
  },
} satisfies Record<string, PropertySpec>;

export const WAITER_OUTPUTS = {
  jobs: { ...JOB_STATUS_OUTPUTS.jobs, description: "Every job as seen when the gate opened." },
  statuses: {
    ...JOB_STATUS_OUTPUTS.statuses,
    description: "Job id to status when the gate opened.",
  },
  openedAt: { type: "string", description: "When the gate opened (ISO 8601)." },
} satisfies Record<string, PropertySpec>;

/** One job as DRS reported it, judged against the resource's target statuses. */
export const JOB_ENTRY = {
  id: { type: "string", description: "The job id." },
  status: { type: "string", description: "The status DRS reported." },
  phase: { type: "string", description: "pending, ready, failed or stopped." },
  errorCode: { type: "string", description: "DRS error code, when there is one." },
  errorMessage: { type: "string", description: "DRS error message, when there is one." },
  unknown: { type: "boolean", description: "The status is not one DRS documents." },
  paused: { type: "boolean", description: "The job is paused until an operator resumes it." },
  notFound: { type: "boolean", description: "DRS says the job does not exist." },
  missing: { type: "boolean", description: "DRS returned no result for this job." },
  percent: { type: "number", description: "Progress 0-100 (batch-progress), where known." },
  replicationLagMs: {
    type: "number",
    description: "Incremental replication lag in ms (batch-progress), where known.",
  },
  remainingMs: { type: "number", description: "Estimated time left in ms, where known." },
  awaitingLag: {
    type: "boolean",
    description: "In a target status, but held back by the lag gate.",
  },
  comparisons: {
    type: "array",
    items: { $ref: "#/types/drs:index:ComparisonSummary" },
    description: "With `compare`: the comparisons that found the job's data consistent.",
  },
} satisfies Record<string, PropertySpec>;

/** One DRS data comparison a gate ran (or adopted) for a job. */
export const COMPARISON_SUMMARY = {
  id: { type: "string", description: "The DRS compare job id." },
  kind: { type: "string", description: "lines, contents or objects." },
  status: { type: "string", description: "The comparison's DRS status (SUCCESSFUL)." },
  startedAt: { type: "string", description: "When it started (UTC, as DRS reported it)." },
  endedAt: { type: "string", description: "When it ended (UTC, as DRS reported it)." },
  tablesCompared: { type: "number", description: "Tables (object types) compared." },
  tablesInconsistent: { type: "number", description: "Tables (object types) that differ: 0." },
} satisfies Record<string, PropertySpec>;

const secret = (description: string): PropertySpec => ({
  type: "string",
  description,
  secret: true,
});

/** Stack configuration in the `drs` namespace (`pulumi config set drs:endpoint ...`). */
export const PROVIDER_CONFIG = {
  ...connectionSpecs((field): PropertySpec => {
    const { about, env } = CONNECTION[field];
    return { type: "string", description: `${about}; else ${env}.` };
  }),
  authToken: secret("IAM token (X-Auth-Token); else HW_AUTH_TOKEN."),
  accessKey: { type: "string", description: "Access key id; else HW_ACCESS_KEY." },
  secretKey: secret("Secret access key; else HW_SECRET_KEY."),
  securityToken: secret("Security token of temporary AK/SK; else HW_SECURITY_TOKEN."),
  userName: { type: "string", description: "IAM user name; else HW_USER_NAME." },
  password: secret("IAM user password; else HW_USER_PASSWORD."),
  domainName: { type: "string", description: "Account (domain) name; else HW_DOMAIN_NAME." },
  iamEndpoint: { type: "string", description: "IAM base URL; else HW_AUTH_URL." },
  credentialSource: {
    type: "string",
    description:
      '"ecs-metadata": the temporary keys of this ECS instance\'s agency; else HW_CREDENTIAL_SOURCE.',
  },
} satisfies Record<string, PropertySpec>;

export type ConfigKey = keyof typeof PROVIDER_CONFIG;
export const CONFIG_KEYS = Object.keys(PROVIDER_CONFIG) as ConfigKey[];

const keysWhere = (specs: Record<string, InputSpec>, test: (spec: InputSpec) => boolean) =>
  Object.entries(specs)
    .filter(([, spec]) => test(spec))
    .map(([key]) => key);

/** Inputs compared as sets by `diff`. */
export const SET_INPUTS: readonly string[] = keysWhere(
  { ...JOB_INPUTS, ...WAIT_INPUTS },
  (spec) => spec.set === true,
);
/** The waiter inputs whose change re-verifies the gate. */
export const GATING_INPUTS: readonly string[] = keysWhere(
  { ...JOB_INPUTS, ...WAIT_INPUTS },
  (spec) => spec.gates === true,
);
