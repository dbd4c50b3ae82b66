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

// Data comparison (Huawei's SDK models: CreateDataLevelTableCompareJob, ListDataLevelTable-
// CompareJobs, ListDataCompareOverview/Detail, ListContentCompareOverview/Detail,
// ListObejectLevelCompareOverview). One job per call; no batch form exists.

function jobPath(projectId: string, jobId: string): string {
  return `/v3/${encodeURIComponent(projectId)}/jobs/${encodeURIComponent(jobId)}`;
}

/** `POST` starts a data-level comparison; `GET ?limit&offset` lists the job's comparisons. */
export function tableComparePath(projectId: string, jobId: string): string {
  return `${jobPath(projectId, jobId)}/table/compare`;
}

/** What a data-level comparison's results are read through. */
export const COMPARE_VIEWS = [
  "line-overview",
  "line-detail",
  "content-overview",
  "content-detail",
] as const;
export type CompareView = (typeof COMPARE_VIEWS)[number];

/** `GET compare/{compare_job_id}/{view}?limit&offset` (detail views also `db_name`, `type`). */
export function compareViewPath(
  projectId: string,
  jobId: string,
  compareJobId: string,
  view: CompareView,
): string {
  return `${jobPath(projectId, jobId)}/compare/${encodeURIComponent(compareJobId)}/${view}`;
}

/** `POST` starts an object-level comparison (answers `{}`); `GET` gives its overview. */
export function objectComparePath(projectId: string, jobId: string): string {
  return `${jobPath(projectId, jobId)}/object/compare`;
}

/**
 * What DRS answers (400) a create while the job has an unfinished comparison: the code
 * Huawei's object-comparison page shows for "another operation is being performed on the
 * migration task"; the data-level page documents none.
 */
export const COMPARE_BUSY_CODE = "DRS.10000024";

/** The comparison endpoints' page limit (`limit`, default and maximum 1000). */
export const MAX_COMPARE_PAGE = 1000;

/** Comparison kinds a data-level create takes (`random` exists for GaussDB links only). */
export const DATA_COMPARE_TYPES = ["lines", "contents"] as const;
export type DataCompareType = (typeof DATA_COMPARE_TYPES)[number];

/** A comparison job's `status`. */
export const COMPARE_JOB_STATUSES = [
  "WAITING_FOR_RUNNING",
  "RUNNING",
  "SUCCESSFUL",
  "FAILED",
  "CANCELLED",
  "TIMEOUT_INTERRUPT",
  "FULL_DOING",
  "INCRE_DOING",
] as const;

export interface CompareObjectInfo {
  db_name: string;
  table_name: string[];
}

export interface CreateDataLevelTableCompareJobReq {
  type: DataCompareType | "random";
  /** Empty: start now. */
  start_time?: string;
  compare_mode?: string;
  compare_object?: CompareObjectInfo[];
  options?: Record<string, string>;
}

export interface CreateDataLevelTableCompareJobResponse {
  id: string;
}

export interface CompareJobInfo {
  id: string;
  type?: string;
  options?: Record<string, string>;
  /** UTC, e.g. "2020-09-01T18:50:20Z". */
  start_time?: string;
  end_time?: string;
  status?: string;
  export_status?: string;
  report_remain_seconds?: number;
  compare_job_tag?: Record<string, string>;
  /**
   * Not in the SDK's model: why a comparison failed, where a service edition sends it (the
   * object-level overview documents `error_msg`; the simulator sends it here too).
   */
  error_msg?: string;
}

export interface ListDataLevelTableCompareJobsResponse {
  count: number;
  compare_jobs: CompareJobInfo[];
}

/** A database's row-comparison totals; `status` is a comparison code (0, 2, 5, 6, 3-27). */
export interface DataCompareOverviewInfo {
  source_db_name: string;
  target_db_name?: string;
  status?: number;
  compare_num?: number;
  compare_end_num?: number;
  data_inconsistent_num?: number;
  uncomparable_num?: number;
}

export interface ListDataCompareOverviewResponse {
  total_count: number;
  data_compare_overview_infos: DataCompareOverviewInfo[];
}

export interface TableLineCompareResultInfo {
  source_table_name: string;
  source_row_num?: number;
  target_table_name?: string;
  target_row_num?: number;
  difference_row_num?: number;
  status?: number;
  compare_line_config_filter?: string;
}

export interface ListDataCompareDetailResponse {
  total_count: number;
  table_line_compare_result_infos: TableLineCompareResultInfo[];
}

/** content-overview's entry: line-overview's numbers under `source_db` / `target_db`. */
export interface NodeContentCompareOverviewResult {
  source_db: string;
  target_db?: string;
  status?: number;
  compare_num?: number;
  compare_end_num?: number;
  data_inconsistent_num?: number;
  uncomparable_num?: number;
}

export interface ListContentCompareOverviewResponse {
  total_count: number;
  content_compare_result_infos: NodeContentCompareOverviewResult[];
}

/** content-detail's entry: the verdicts are booleans; `status` is 1 comparing, 2 done, 3 waiting, 4 cancelled. */
export interface NodeContentCompareDetailResult {
  source_db?: string;
  target_db?: string;
  source_table_name: string;
  target_table_name?: string;
  source_row_num?: number;
  target_row_num?: number;
  difference_row_num?: number;
  line_compare_result?: boolean;
  content_compare_result?: boolean;
  message?: string;
  status?: number;
  progress?: number;
}

export interface ListContentCompareDetailResponse {
  total_count: number;
  content_compare_result_infos: NodeContentCompareDetailResult[];
}

/** One object type; `status` 0 inconsistent, 2 consistent, 3 not finished. */
export interface ObjectsCompareOverviewInfo {
  type: string;
  source_count?: number;
  target_count?: number;
  status?: number;
}

export interface ListObejectLevelCompareOverviewResponse {
  create_time?: string;
  start_time?: string;
  status?: string;
  export_status?: string;
  report_remain_seconds?: number;
  compare_job_id?: string;
  error_msg?: string;
  compare_result?: ObjectsCompareOverviewInfo[];
}
