// What `drs-jobs auth` shows: which source was chosen and that it works (temporary keys are
// fetched, the project id looked up), with nothing secret: the access key id masked, no secret
// key, no token of any kind.
import { Http } from "../http";
import { DEFAULT_RETRY_OPTIONS } from "../retry";
import { DrsCredentialsError } from "../errors";
import { Problems } from "../../util/input-error";
import {
  DEFAULT_MAX_RETRIES,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type DrsSettingsInput,
} from "../settings";
import { IamPasswordAuthenticator } from "./iam-password";
import { connect } from "./index";
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
  const http = new Http();
  // The client's own wiring, so what this reports is what a client would do.
  const connection = connect(
    { ...auth, region, requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS },
    http,
    retry,
  );
  const keys = connection.keys ? await connection.keys.keys() : undefined;
  const { projectId, auth: authenticator } = await connection.authorize();
  let tokenExpiresAt: number | undefined;
  if (authenticator instanceof IamPasswordAuthenticator) {
    // The exchange proves the password works and tells when the token expires.
    await authenticator.authorize({ method: "POST", url: auth.iamEndpoint, headers: {}, body: "" });
    tokenExpiresAt = authenticator.tokenExpiresAt;
  }
  const expiresAt = keys?.expiresAt ?? tokenExpiresAt;
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
