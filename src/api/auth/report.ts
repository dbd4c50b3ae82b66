// What `drs-jobs auth` shows: which source was chosen and that it works (temporary keys are
// fetched, the project id looked up), with nothing secret: the access key id masked, no secret
// key, no token of any kind.
import { createAxios } from "../http";
import { DEFAULT_RETRY_OPTIONS } from "../retry";
import { DrsCredentialsError } from "../errors";
import { Problems } from "../../util/input-error";
import {
  credentialsKey,
  DEFAULT_MAX_RETRIES,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type DrsSettingsInput,
} from "../settings";
import { IamPasswordAuthenticator } from "./iam-password";
import { createKeySource } from "./index";
import { lookupProjectId } from "./project-lookup";
import { resolveAuth, type AuthProblems } from "./resolve";

export interface CredentialReport {
  /** e.g. "HUAWEICLOUD_SDK_* environment", "OIDC federation (…)". */
  source: string;
  kind: "token" | "password" | "aksk" | "federation" | "ecs-metadata";
  /** `HPUA…KEY0`: enough to tell keys apart, useless to an attacker. */
  accessKey?: string;
  /** Whether requests carry a security token (temporary keys). */
  securityToken: boolean;
  /** ISO time the temporary keys (or the IAM token of a user and password) expire. */
  expiresAt?: string;
  projectId: string;
  projectIdSource: string;
}

/** `AKIA…9F3Q`: the first and last four characters, for keys long enough to spare them. */
export function maskAccessKey(accessKey: string): string {
  return accessKey.length >= 12
    ? `${accessKey.slice(0, 4)}…${accessKey.slice(-4)}`
    : `${accessKey.slice(0, 2)}…`;
}

/** Resolves and exercises the credentials; throws DrsCredentialsError or DrsApiError. */
export async function inspectCredentials(input: DrsSettingsInput = {}): Promise<CredentialReport> {
  const env = input.env ?? process.env;
  const region = input.region?.trim() || env.HW_REGION_NAME?.trim() || undefined;
  const out: AuthProblems = { problems: new Problems(), credentialError: true };
  const auth = resolveAuth({ ...input, region, env }, out);
  if (!auth) throw new DrsCredentialsError(out.problems.list);
  const c = auth.credentials;
  const retry = { ...DEFAULT_RETRY_OPTIONS, retries: input.maxRetries ?? DEFAULT_MAX_RETRIES };
  const http = createAxios();
  const keySource = createKeySource(c, http, retry, DEFAULT_REQUEST_TIMEOUT_MS);
  const keys = keySource ? await keySource.keys() : undefined;
  let tokenExpiresAt: number | undefined;
  if (c.kind === "password" && auth.projectId !== undefined) {
    // The exchange proves the password works and tells when the token expires.
    const iam = new IamPasswordAuthenticator({
      ...c,
      projectId: auth.projectId,
      region,
      http,
      retry,
      timeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
    });
    await iam.authorize({ method: "POST", url: auth.iamEndpoint, headers: {}, body: "" });
    tokenExpiresAt = iam.tokenExpiresAt;
  }
  const expiresAt = keys?.expiresAt ?? tokenExpiresAt;
  const projectId =
    auth.projectId ??
    (await lookupProjectId({
      iamEndpoint: auth.iamEndpoint,
      region: region!,
      keys: keySource!,
      identity: credentialsKey(c),
      http,
      retry,
      timeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
    }));
  return {
    source: auth.credentialSource,
    kind: c.kind,
    ...(keys && { accessKey: maskAccessKey(keys.accessKey) }),
    securityToken: keys?.securityToken !== undefined,
    ...(expiresAt !== undefined && { expiresAt: new Date(expiresAt).toISOString() }),
    projectId,
    projectIdSource: auth.projectIdSource,
  };
}
