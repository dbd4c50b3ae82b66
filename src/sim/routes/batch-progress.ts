// POST /v3/{project_id}/jobs/batch-progress: the shared checks (jobs-request.ts), then one
// result per requested id, in order. No paging and no documented maximum: every id asked is
// answered, so a client that does not chunk shows in the request log (`jobCount`).
import type { BatchProgressResponse } from "../../api/wire";
import type { Call } from "../call";
import { progressResult } from "../progress";
import { readJobsRequest, sendBatch } from "./jobs-request";

export async function batchProgress(call: Call, rawProjectId: string): Promise<void> {
  const { state } = call;
  const request = await readJobsRequest(call, rawProjectId);
  if (!request) return;
  const response: BatchProgressResponse = {
    count: request.jobs.length,
    results: request.jobs.map((id) => progressResult(state.jobs, state.clock, id, call.language)),
  };
  sendBatch(call, response, (result, status) => ({ ...result, transfer_status: status }));
}
