// The DRS, IAM and ECS metadata APIs on the wire, as Huawei's pages describe them. Shared by
// the client (api/) and the simulator (sim/): the one place both sides agree on paths, names
// and limits.

/** `POST /v3/{project_id}/jobs/batch-status` */
export function batchStatusPath(projectId: string): string {
  return `/v3/${encodeURIComponent(projectId)}/jobs/batch-status`;
}

/** The service refuses more than this many items per page. */
export const MAX_PER_PAGE = 100;
/** What the service uses when `page_req.per_page` is left out. */
export const DEFAULT_PER_PAGE = 5;

export interface PageReq {
  cur_page?: number;
  per_page?: number;
}

export interface BatchStatusRequest {
  jobs: string[];
  page_req?: PageReq;
}

export interface QueryJobStatusResp {
  id: string;
  status?: string;
  error_code?: string;
  error_message?: string;
}

export interface BatchStatusResponse {
  results: QueryJobStatusResp[];
  /** The number of results in this response (not a total). */
  count: number;
}

/** `POST /v3/{project_id}/jobs/batch-progress` (the SDKs' BatchListProgresses). No paging. */
export function batchProgressPath(projectId: string): string {
  return `/v3/${encodeURIComponent(projectId)}/jobs/batch-progress`;
}

export interface BatchProgressRequest {
  jobs: string[];
}

/** One kind of object migrated (`data`, `structure`, `index`): e.g. `{completed: "94%"}`. */
export interface ProgressInfo {
  completed?: string;
  remaining_time?: string;
}

/**
 * One job of a batch-progress answer as documented (SDK model `QueryProgressResp`): numbers
 * travel as strings except the two rates. Older editions omit `incre_trans_delay_millis` and
 * send `progress_map` as an array; the client reads those too, the simulator sends this.
 */
export interface QueryProgressResp {
  job_id: string;
  /** Percent, "0".."100". */
  progress?: string;
  /** Replication lag in seconds. */
  incre_trans_delay?: string;
  /** Replication lag in milliseconds (newer editions). */
  incre_trans_delay_millis?: string;
  /** FULL_TRANS, INCR_TRANS or FULL_INCR_TRANS. */
  task_mode?: string;
  /** The job's status, batch-status vocabulary. */
  transfer_status?: string;
  /** Last progress update, Unix milliseconds. */
  process_time?: string;
  /** Estimated time left; seconds per the SDK, free-form in the wild. */
  remaining_time?: string;
  progress_map?: Record<string, ProgressInfo>;
  error_code?: string;
  error_msg?: string;
  /** Incremental rows/s; -1 before the incremental phase. */
  apply_rows_rate?: number;
  apply_bytes_rate?: number;
}

export interface BatchProgressResponse {
  count: number;
  results: QueryProgressResp[];
}

/** Error bodies: DRS answers the first shape, some gateways the second. */
export interface DrsErrorBody {
  error_code?: string;
  error_msg?: string;
  error?: { code?: string; message?: string };
}

export const LANGUAGES = ["en-us", "zh-cn"] as const;
export type Language = (typeof LANGUAGES)[number];

/** IAM: user/password for a token, `POST`. */
export const IAM_TOKENS_PATH = "/v3/auth/tokens";
/** IAM: the projects a signed caller sees, `GET ?name={region}`. */
export const PROJECTS_PATH = "/v3/projects";
/** IAM OIDC federation: an ID token for an unscoped token, `POST` with header X-Idp-Id. */
export const ID_TOKEN_PATH = "/v3.0/OS-AUTH/id-token/tokens";
/** IAM: a token for temporary AK/SK with a security token, `POST`. */
export const SECURITY_TOKENS_PATH = "/v3.0/OS-CREDENTIAL/securitytokens";
/** IAM token requests answer the token in this header. */
export const SUBJECT_TOKEN_HEADER = "x-subject-token";

/** ECS metadata: a session token (IMDSv2 style), `PUT`. */
export const METADATA_TOKEN_PATH = "/meta-data/latest/api/token";
/** ECS metadata: the agency's temporary AK/SK with a security token, `GET`. */
export const SECURITY_KEY_PATH = "/openstack/latest/securitykey";
