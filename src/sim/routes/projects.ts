// IAM's `GET /v3/projects?name=REGION`, what the official SDKs sign to find the project id of
// a region. Authenticated like any call (AK/SK, temporary keys, or a token).
import { authenticate } from "../auth";
import type { Call } from "../call";
import { maskKey } from "../stats";
import { iamError } from "./iam";

export const PROJECTS_PATH = "/v3/projects";

export async function listProjects(call: Call, query: URLSearchParams): Promise<void> {
  const { req, state, entry } = call;
  if (req.method !== "GET") {
    call.discardBody();
    return iamError(call, 405, "IAM.0007", `${req.method} is not allowed here; use GET`);
  }
  const body = await call.readBody();
  if (body === "aborted") return;
  if (body === "too-large") {
    call.discardBody();
    return iamError(call, 413, "IAM.0001", "The request body is too large.");
  }
  const auth = authenticate(req, body, state.auth, state.tokens);
  entry.authMode = auth.mode;
  if (auth.accessKey) entry.accessKey = maskKey(auth.accessKey);
  if (auth.signedHeaders) entry.signedHeaders = auth.signedHeaders;
  if (!auth.ok) return iamError(call, 401, "IAM.0004", auth.detail);
  const name = query.get("name");
  const projects = state.projects
    .filter((project) => name === null || project.name === name)
    .map((project) => ({
      id: project.id,
      name: project.name,
      domain_id: "sim0000000000000000000000000000d",
      enabled: true,
      is_domain: false,
      parent_id: "sim0000000000000000000000000000d",
      description: "",
    }));
  call.send(200, {
    projects,
    links: {
      self: `${PROJECTS_PATH}${name === null ? "" : `?name=${encodeURIComponent(name)}`}`,
      next: null,
      previous: null,
    },
  });
}
