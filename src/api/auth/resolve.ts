// The one resolver choosing among credential sources, in the order a user expects: what they
// passed (options, drs:* config), the HW_* environment, then as the official SDKs do: OIDC
// federation, the HUAWEICLOUD_SDK_* environment, the profile file. ECS metadata only when asked
// for. The first source configured at all decides: a half-configured one is an error naming
// what is missing, never a silent fall-through to the next.
import os from "node:os";
import { checkBaseUrl, GLOBAL_IAM_ENDPOINT, regionEndpoint } from "../endpoints";
import {
  value,
  type CredentialInput,
  type CredentialSource,
  type DrsCredentials,
  type Environment,
  type SourceContext,
} from "./credentials";
import { explicitSource } from "./sources/explicit";
import { federationEnvSource } from "./sources/federation";
import { hwEnvironmentSource } from "./sources/hw-env";
import { profileSource } from "./sources/profile";
import { sdkEnvironmentSource } from "./sources/sdk-env";
import type { InputProblem, Problems } from "../../util/input-error";

export const CREDENTIAL_SOURCES: readonly CredentialSource[] = [
  explicitSource,
  hwEnvironmentSource,
  federationEnvSource,
  sdkEnvironmentSource,
  profileSource,
];

export interface AuthInput extends CredentialInput {
  region?: string;
  projectId?: string;
  env: Environment;
  /** Where warnings go (a shared profile file); default: process.emitWarning, once each. */
  onWarning?: (message: string) => void;
}

/** Credentials, where they came from, and how the project id is known. */
export interface ResolvedAuth {
  credentials: DrsCredentials;
  credentialSource: string;
  /** Undefined: looked up in IAM by region on first use (see project-lookup.ts). */
  projectId?: string;
  projectIdSource: string;
  /** For the project lookup. */
  iamEndpoint: string;
}

export interface AuthProblems {
  problems: Problems;
  /** Set when a source beyond HW_* is half configured or unreadable. */
  credentialError: boolean;
}

const warned = new Set<string>();
function defaultWarning(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.emitWarning(message, "DrsCredentialsWarning");
}

const NO_CREDENTIALS =
  "no credentials: set HW_AUTH_TOKEN, or HW_ACCESS_KEY and HW_SECRET_KEY, or HW_USER_NAME, HW_USER_PASSWORD and HW_DOMAIN_NAME; " +
  "or as the Huawei Cloud SDKs: HUAWEICLOUD_SDK_IDP_ID and HUAWEICLOUD_SDK_ID_TOKEN_FILE, HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK, " +
  "or ~/.huaweicloud/credentials; on ECS with an agency, HW_CREDENTIAL_SOURCE=ecs-metadata";

/** Keys we can sign a project lookup with. */
function canLookUpProject(credentials: DrsCredentials): boolean {
  return credentials.kind !== "token" && credentials.kind !== "password";
}

/** What is wrong with a project id (it goes into every request's path), or undefined. */
export function projectIdProblem(projectId: string): string | undefined {
  return /^[A-Za-z0-9_-]+$/.test(projectId)
    ? undefined
    : `"${projectId}" has characters a project id cannot have (letters, digits, "-" and "_" only)`;
}

export function resolveAuth(input: AuthInput, out: AuthProblems): ResolvedAuth | undefined {
  const { env, region } = input;
  const { problems } = out;
  const home =
    value(env.HOME) ?? value(env.USERPROFILE) ?? (env === process.env ? os.homedir() : undefined);
  const context: SourceContext = {
    input,
    env,
    region,
    home,
    warn: input.onWarning ?? defaultWarning,
    iamEndpoint(preferred, found) {
      const text = value(input.iamEndpoint) ?? preferred?.value ?? value(env.HW_AUTH_URL);
      const from =
        value(input.iamEndpoint) !== undefined ? "iamEndpoint" : (preferred?.from ?? "HW_AUTH_URL");
      if (text !== undefined) return checkBaseUrl(text, `IAM endpoint (${from})`, found);
      const sdk = value(env.HUAWEICLOUD_SDK_IAM_ENDPOINT);
      if (sdk !== undefined)
        return checkBaseUrl(sdk, "IAM endpoint (HUAWEICLOUD_SDK_IAM_ENDPOINT)", found);
      return region !== undefined ? regionEndpoint("iam", region) : GLOBAL_IAM_ENDPOINT;
    },
  };

  let chosen;
  for (const source of CREDENTIAL_SOURCES) {
    const detection = source.detect(context);
    if (detection === undefined) continue;
    if (detection.result === undefined) {
      problems.list.push(...detection.problems);
      if (detection.credentialError) out.credentialError = true;
      return undefined;
    }
    chosen = detection.result;
    break;
  }
  if (!chosen) {
    problems.add("credentials", NO_CREDENTIALS);
    if (value(input.projectId) === undefined && value(env.HW_PROJECT_ID) === undefined)
      problems.add(
        "project id",
        "no project id: set HW_PROJECT_ID (or --project-id) to the project of the region",
      );
    return undefined;
  }

  const iamProblems: InputProblem[] = [];
  const iamEndpoint = context.iamEndpoint(chosen.iamEndpoint, iamProblems);
  const explicitProject = value(input.projectId);
  const envProject = value(env.HW_PROJECT_ID);
  let projectId: string | undefined;
  let projectIdSource: string;
  if (explicitProject !== undefined) {
    projectId = explicitProject;
    projectIdSource = "explicit settings (--project-id, projectId or drs:projectId)";
  } else if (envProject !== undefined) {
    projectId = envProject;
    projectIdSource = "HW_PROJECT_ID";
  } else if (chosen.projectId !== undefined) {
    projectId = chosen.projectId.value;
    projectIdSource = chosen.projectId.from;
  } else if (region !== undefined && canLookUpProject(chosen.credentials)) {
    projectIdSource = `looked up in IAM by the region ${region}`;
    problems.list.push(...iamProblems);
  } else {
    problems.add(
      "project id",
      canLookUpProject(chosen.credentials)
        ? "no project id: set HW_PROJECT_ID (or --project-id) to the project of the region, or HW_REGION_NAME (or --region) to look it up"
        : "no project id: set HW_PROJECT_ID (or --project-id) to the project of the region",
    );
    return undefined;
  }
  const projectProblem = projectId === undefined ? undefined : projectIdProblem(projectId);
  if (projectProblem !== undefined) {
    problems.add("project id", `project id ${projectProblem}`);
    return undefined;
  }
  if (iamEndpoint === undefined && projectId === undefined) return undefined;
  return {
    credentials: chosen.credentials,
    credentialSource: chosen.source,
    projectId,
    projectIdSource,
    iamEndpoint: iamEndpoint ?? GLOBAL_IAM_ENDPOINT,
  };
}
