// The Pulumi-free entry, `pulumi-drs-jobs/client`: the client, the waiting API, their option
// and result types and errors, for pipeline code that should not load @pulumi/pulumi (about
// 50 MiB and a second of start). Every name here is a promise to users, recorded in
// docs/api/client.api.md: internals (the poller, retry tuning, signing) stay unexported, and
// the simulator has its own entry, `pulumi-drs-jobs/sim`.
export type { Duration } from "./util/duration";
export {
  DrsClient,
  type DrsClientOptions,
  type BatchStatusPageResult,
  type RequestOptions,
} from "./api/client";
export type { JobProgressEntry, ObjectProgress } from "./api/progress";
export {
  COMPARE_KINDS,
  type CompareKind,
  type CompareState,
  type Comparison,
  type ComparisonPhase,
  type DatabaseComparison,
  type ObjectComparison,
  type ObjectTypeComparison,
  type TableComparison,
} from "./api/compare";
export { DATA_COMPARE_TYPES, type DataCompareType } from "./api/wire";
export type {
  Connection,
  ConnectionField,
  DrsSettings,
  DrsSettingsInput,
  DrsCredentials,
  Environment,
} from "./api/settings";
export { CONNECTION_FIELDS } from "./api/settings";
export type { CredentialInput, PasswordSettingNames } from "./api/auth/credentials";
export type { Secret } from "./api/secret";
// The wire types DrsClient.batchStatusPage takes and returns, and the languages DRS answers in.
export {
  LANGUAGES,
  type Language,
  type BatchStatusResponse,
  type PageReq,
  type QueryJobStatusResp,
} from "./api/wire";
export type { RetryOptions } from "./api/retry";
export {
  DrsApiError,
  DrsCredentialsError,
  DrsSettingsError,
  type DrsApiErrorInit,
} from "./api/errors";
export { InputError, type InputProblem } from "./util/input-error";
// The client observes; a caller with its own targets judges (the waiter does it for you).
export {
  JOB_STATUSES,
  DEFAULT_TARGET_STATUSES,
  judge,
  targetSet,
  type JobPhase,
  type JobObservation,
  type JobStatusEntry,
  type TargetStatuses,
  type StatusInfo,
} from "./api/status";
export { waitForJobs, type WaitOptions, type WaitResult } from "./wait/wait-for-jobs";
export {
  ComparisonFailedError,
  ComparisonTimeoutError,
  JobsFailedError,
  WaitError,
  WaitTimeoutError,
  WaitAbortedError,
} from "./wait/errors";
export { summarize, type WaitProgress } from "./wait/progress";
export type { CompareProgress } from "./wait/progress";
export type { ComparisonSummary } from "./wait/compare";
export type { StatusSource } from "./wait/observations";
