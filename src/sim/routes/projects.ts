// IAM's `GET /v3/projects?name=REGION`, what the official SDKs sign to find the project id of
// a region. Authenticated like any call (AK/SK, temporary keys, or a token).
import { PROJECTS_PATH } from "../../api/wire";
import { authenticate } from "../auth";
import type { Call } from "../call";
import { iamBody, iamError } from "./iam";

export async function listProjects(call: Call): Promise<void> {
  const { state, query } = call;
  const body = await iamBody(call, "GET");
  if (!body) return;
  const auth = authenticate(call, body);
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
