// POST /v3/{project_id}/jobs/batch-progress: the shared checks (jobs-request.ts), then one
// result per requested id, in order. No paging and no documented maximum: every id asked is
// answered, so a client that does not chunk shows in the request log (`jobCount`).
import type { BatchProgressResponse } from "../../api/wire";
import type { Call } from "../call";
import { progressResult } from "../progress";
import type { Fault } from "../types";
import { readJobsRequest } from "./jobs-request";

export const BATCH_PROGRESS_PATH = /^\/v3\/([^/]+)\/jobs\/batch-progress\/?$/;

export async function batchProgress(call: Call, rawProjectId: string): Promise<void> {
  const { state, entry } = call;
  const request = await readJobsRequest(call, rawProjectId);
  if (!request) return;
  const response: BatchProgressResponse = {
    count: request.jobs.length,
    results: request.jobs.map((id) => progressResult(state.jobs, state.clock, id, call.language)),
  };
  const fault = state.faults.takeDataFault(entry.path, entry.kind);
  if (fault) {
    entry.fault = `${fault.id}:${fault.effect}:${fault.data}`;
    corrupt(response, fault);
  }
  call.send(200, response);
}

/** The batch-status data faults, applied to a progress answer. */
function corrupt(response: BatchProgressResponse, fault: Fault): void {
  const { results } = response;
  switch (fault.data) {
    case "missing":
      results.pop();
      response.count = results.length;
      break;
    case "duplicate":
      if (results.length > 0) results.push({ ...results[0] });
      response.count = results.length;
      break;
    case "count-mismatch":
      response.count = fault.count ?? results.length + 1;
      break;
    case "unknown-status":
      if (results.length > 0) {
        results[0] = {
          ...results[0],
          transfer_status: fault.unknownStatus ?? "SIM_UNKNOWN_STATUS",
        };
      }
      break;
  }
}
