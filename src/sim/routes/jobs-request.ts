// What batch-status and batch-progress share: the checks, in the order the real service
// answers (gateway: method, size, auth; then DRS: project, language, content type, body,
// `jobs`), and the data faults that corrupt a successful answer.
import { authenticate } from "../auth";
import { jsonObject, type Call } from "../call";

/** The parsed body and its `jobs`, or undefined when the call was already answered. */
export async function readJobsRequest(
  call: Call,
  rawProjectId: string,
): Promise<{ body: Record<string, unknown>; jobs: string[] } | undefined> {
  const { req, state, entry } = call;
  if (req.method !== "POST") {
    call.discardBody();
    call.fail(405, "APIG.0101", `${req.method} ${entry.path} (use POST)`, { Allow: "POST" });
    return undefined;
  }
  const body = await call.body(() =>
    call.fail(413, "APIG.0201", {
      en: `the body is over ${state.maxBodyBytes} bytes`,
      zh: `请求体超过${state.maxBodyBytes}字节`,
    }),
  );
  if (!body) return undefined;
  const auth = authenticate(call, body);
  if (!auth.ok) return void call.fail(401, auth.code, auth.detail);

  const projectId = safeDecode(rawProjectId);
  if (projectId !== state.projectId) return void call.fail(403, "DRS.M00261", projectId);
  if (call.badLanguage !== undefined) return void call.fail(400, "DRS.M00202", "X-Language");
  const contentType = String(req.headers["content-type"] ?? "");
  if (contentType.split(";")[0].trim().toLowerCase() !== "application/json") {
    return void call.fail(415, "DRS.M00007", {
      en: "Content-Type must be application/json",
      zh: "Content-Type必须为application/json",
    });
  }
  const parsed = jsonObject(body);
  if (typeof parsed === "string") {
    return void call.fail(
      400,
      "DRS.M00007",
      parsed === "not-json"
        ? { en: "the body is not valid JSON", zh: "请求体不是合法的JSON" }
        : { en: "the body must be a JSON object", zh: "请求体必须是JSON对象" },
    );
  }

  const jobs = parsed.jobs;
  if (jobs === undefined || jobs === null) return void call.fail(400, "DRS.M00201", "jobs");
  if (!Array.isArray(jobs)) return void call.fail(400, "DRS.M00202", "jobs");
  if (jobs.length === 0) return void call.fail(400, "DRS.M00201", "jobs");
  const badIndex = jobs.findIndex((id) => typeof id !== "string" || id.trim() === "");
  if (badIndex >= 0) return void call.fail(400, "DRS.M00202", `jobs[${badIndex}]`);
  entry.jobCount = jobs.length;
  return { body: parsed, jobs: jobs as string[] };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Answers 200, first corrupted by a data fault aimed here, if any: answers a careless client
 * would take at face value. `withStatus` puts an unknown status on a result.
 */
export function sendBatch<T extends object>(
  call: Call,
  response: { count: number; results: T[] },
  withStatus: (result: T, status: string) => T,
): void {
  const { entry } = call;
  const fault = call.state.faults.takeDataFault(entry.path, entry.kind);
  const { results } = response;
  if (fault) entry.fault = `${fault.id}:${fault.effect}:${fault.data}`;
  switch (fault?.data) {
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
      if (results.length > 0)
        results[0] = withStatus(results[0], fault.unknownStatus ?? "SIM_UNKNOWN_STATUS");
      break;
  }
  call.send(200, response);
}
