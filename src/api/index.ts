// The public API of the DRS client layer.
export {
  LANGUAGES,
  MAX_PER_PAGE,
  DATA_COMPARE_TYPES,
  type Language,
  type PageReq,
  type BatchStatusRequest,
  type BatchStatusResponse,
  type QueryJobStatusResp,
  type BatchProgressRequest,
  type BatchProgressResponse,
  type DataCompareType,
} from "./wire";
export {
  DrsClient,
  type DrsClientOptions,
  type BatchStatusPageResult,
  type RequestOptions,
} from "./client";
export {
  COMPARE_KINDS,
  comparisonPhase,
  compareState,
  type CompareKind,
  type CompareState,
  type Comparison,
  type ComparisonPhase,
  type DatabaseComparison,
  type ObjectComparison,
  type ObjectTypeComparison,
  type TableComparison,
} from "./compare";
export { missingProgressEntry, type JobProgressEntry, type ObjectProgress } from "./progress";
export {
  observe,
  judge,
  canonicalStatus,
  targetSet,
  missingObservation,
  JOB_STATUSES,
  DEFAULT_TARGET_STATUSES,
  NOT_FOUND_ERROR_CODES,
  MISSING_RESULT_CODE,
  type JobPhase,
  type JobStatusEntry,
  type JobObservation,
  type TargetStatuses,
  type StatusInfo,
} from "./status";
export {
  resolveSettings,
  settingsKey,
  regionEndpoint,
  describeSettings,
  DEFAULT_MAX_RETRIES,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type DrsSettings,
  type DrsSettingsInput,
  type DrsCredentials,
  type Environment,
} from "./settings";
export { validateJobIds, MAX_JOB_ID_LENGTH } from "./job-ids";
export { InputError, type InputProblem } from "../util/input-error";
export {
  DrsApiError,
  DrsSettingsError,
  DrsCredentialsError,
  parseErrorBody,
  type DrsApiErrorInit,
} from "./errors";
export {
  parseRetryAfter,
  DEFAULT_RETRY_OPTIONS,
  RETRYABLE_HTTP_STATUSES,
  MAX_RETRY_AFTER_MS,
  type RetryOptions,
} from "./retry";
export { Secret } from "./secret";
export { USER_AGENT, MAX_RESPONSE_BYTES } from "./http";
export {
  signRequest,
  computeSignature,
  canonicalRequest,
  formatSdkDate,
  SIGNING_ALGORITHM,
  type SignableRequest,
  type AkSkCredentials,
} from "./auth/signer";
export { passwordAuthBody, TOKEN_REFRESH_MARGIN_MS } from "./auth/iam-password";
