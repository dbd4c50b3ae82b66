// The scenario's temporary-credential parts: OIDC federation, the ECS metadata service, the
// lifetime of the keys they issue, and the projects IAM lists by region name.
import type { AuthConfig, ProjectInput } from "./types";
import { isRecord, type Issues } from "./validate";

export function parseTemporarySources(
  input: Record<string, unknown>,
  auth: AuthConfig,
  issues: Issues,
): void {
  const { federation, ecsMetadata } = input;
  if (federation !== undefined) {
    if (!isRecord(federation)) issues.add("auth.federation", 'must be {"idpId", "idToken"}');
    else {
      issues.unknownKeys("auth.federation", federation, ["idpId", "idToken"]);
      const idpId = issues.requiredString("auth.federation.idpId", federation.idpId);
      const idToken = issues.requiredString("auth.federation.idToken", federation.idToken);
      if (idpId && idToken) auth.federation = { idpId, idToken };
    }
  }
  if (ecsMetadata !== undefined) {
    if (!isRecord(ecsMetadata)) issues.add("auth.ecsMetadata", "must be an object");
    else {
      issues.unknownKeys("auth.ecsMetadata", ecsMetadata, ["agency", "tokenService"]);
      const flag = (key: "agency" | "tokenService") => {
        const v = ecsMetadata[key];
        if (v === undefined) return true;
        if (typeof v !== "boolean") issues.add(`auth.ecsMetadata.${key}`, "must be true or false");
        return v !== false;
      };
      auth.ecsMetadata = { agency: flag("agency"), tokenService: flag("tokenService") };
    }
  }
  if (input.temporaryKeyLifetime !== undefined) {
    const ms = issues.duration("auth.temporaryKeyLifetime", input.temporaryKeyLifetime);
    if (ms === 0) issues.add("auth.temporaryKeyLifetime", "must be more than 0");
    else if (ms !== undefined) auth.temporaryKeyLifetimeMs = ms;
  }
}

export function parseProjects(input: unknown, issues: Issues): ProjectInput[] {
  if (!Array.isArray(input)) {
    issues.add("projects", 'must be an array of {"id", "name"}');
    return [];
  }
  return input.flatMap((project, i) => {
    if (!isRecord(project)) {
      issues.add(`projects[${i}]`, 'must be {"id", "name"}');
      return [];
    }
    issues.unknownKeys(`projects[${i}]`, project, ["id", "name"]);
    const id = issues.requiredString(`projects[${i}].id`, project.id);
    const name = issues.requiredString(`projects[${i}].name`, project.name);
    return id && name ? [{ id, name }] : [];
  });
}
