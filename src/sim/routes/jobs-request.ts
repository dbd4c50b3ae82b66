// The checks batch-status and batch-progress share, in the order the real service answers:
// gateway (method, size, auth), then DRS (project, language, content type, body, `jobs`).
import { authenticate } from "../auth";
import type { Call } from "../call";
import { maskKey } from "../stats";
import { isRecord } from "../validate";

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
  const body = await call.readBody();
  if (body === "aborted") return undefined;
  if (body === "too-large") {
    call.discardBody();
    call.fail(413, "APIG.0201", {
      en: `the body is over ${state.maxBodyBytes} bytes`,
      zh: `请求体超过${state.maxBodyBytes}字节`,
    });
    return undefined;
  }
  const auth = authenticate(req, body, state.auth, state.tokens);
  entry.authMode = auth.mode;
  if (auth.accessKey) entry.accessKey = maskKey(auth.accessKey);
  if (auth.signedHeaders) entry.signedHeaders = auth.signedHeaders;
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
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    return void call.fail(400, "DRS.M00007", {
      en: "the body is not valid JSON",
      zh: "请求体不是合法的JSON",
    });
  }
  if (!isRecord(parsed)) {
    return void call.fail(400, "DRS.M00007", {
      en: "the body must be a JSON object",
      zh: "请求体必须是JSON对象",
    });
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
