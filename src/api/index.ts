// The public API of the DRS client layer.
export * from "./wire";
export {
  DrsClient,
  type DrsClientOptions,
  type BatchStatusOptions,
  type BatchStatusPageResult,
  type RequestOptions,
} from "./client";
export {
  classify,
  reclassify,
  canonicalStatus,
  targetSet,
  missingEntry,
  JOB_STATUSES,
  DEFAULT_TARGET_STATUSES,
  NOT_FOUND_ERROR_CODES,
  MISSING_RESULT_CODE,
  type JobPhase,
  type JobStatusEntry,
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
  verifySignature,
  computeSignature,
  canonicalRequest,
  parseAuthorization,
  formatSdkDate,
  parseSdkDate,
  SIGNING_ALGORITHM,
  type SignableRequest,
  type AkSkCredentials,
  type ParsedAuthorization,
} from "./auth/signer";
export { passwordAuthBody, TOKEN_REFRESH_MARGIN_MS } from "./auth/iam-password";
