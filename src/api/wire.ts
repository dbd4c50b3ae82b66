// The batch-status API on the wire, as Huawei's page describes it. Shared by the client
// (api/) and the simulator (sim/): the one place both sides agree on names and limits.

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

/** Error bodies: DRS answers the first shape, some gateways the second. */
export interface DrsErrorBody {
  error_code?: string;
  error_msg?: string;
  error?: { code?: string; message?: string };
}

export const LANGUAGES = ["en-us", "zh-cn"] as const;
export type Language = (typeof LANGUAGES)[number];

/** IAM `POST /v3/auth/tokens` answers the token in this header. */
export const SUBJECT_TOKEN_HEADER = "x-subject-token";
