// OIDC federation at run time: the ID token (read from its file at every exchange, since CI
// systems rotate it) is traded for an unscoped IAM token, and that for temporary AK/SK with a
// security token. Both calls are retried like every other; neither the ID token nor the IAM
// token is kept after the exchange or put in any message.
import { readFile } from "node:fs/promises";
import type { Http } from "../http";
import { DrsApiError, DrsCredentialsError } from "../errors";
import { credentialsResponseError, send, type HttpResponse } from "../http";
import { withRetries, type RetryOptions } from "../retry";
import { Secret } from "../secret";
import { ID_TOKEN_PATH, SECURITY_TOKENS_PATH, SUBJECT_TOKEN_HEADER } from "../wire";
import { parseExpiry, type AccessKeys } from "./keys";
import { AUTH_TOKEN_HEADER } from "./token";

/** How long the temporary keys are asked for (IAM allows 15 min to 24 h). */
export const FEDERATION_KEY_SECONDS = 3600;

export interface FederationOptions {
  iamEndpoint: string;
  idpId: string;
  idTokenFile: string;
  http: Http;
  retry: RetryOptions;
  timeoutMs: number;
}

export async function readIdToken(file: string): Promise<Secret> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    const field = `the OIDC ID token file ${file}`;
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new DrsCredentialsError([{ field, reason: `cannot read ${field}: ${why}` }]);
  }
  const token = text.trim();
  if (token === "") {
    const field = `the OIDC ID token file ${file}`;
    throw new DrsCredentialsError([{ field, reason: `${field} is empty` }]);
  }
  return new Secret(token);
}

export async function exchangeIdToken(o: FederationOptions): Promise<AccessKeys> {
  const idToken = await readIdToken(o.idTokenFile);
  const secrets: Secret[] = [idToken];
  const json = { "Content-Type": "application/json;charset=UTF-8" };

  const tokenOperation = "IAM ID token exchange";
  const iamToken = await withRetries(async () => {
    const response = await send(
      o.http,
      {
        method: "POST",
        url: `${o.iamEndpoint}${ID_TOKEN_PATH}`,
        headers: { ...json, "X-Idp-Id": o.idpId },
        body: JSON.stringify({ auth: { id_token: { id: idToken.reveal() } } }),
      },
      { operation: tokenOperation, timeoutMs: o.timeoutMs, secrets },
    );
    check(
      response,
      tokenOperation,
      secrets,
      `Check HUAWEICLOUD_SDK_IDP_ID (${o.idpId}) names an identity provider in IAM that trusts this ID token's issuer and audience.`,
    );
    const token = response.headers[SUBJECT_TOKEN_HEADER];
    if (!token) throw malformed(response, tokenOperation, `no ${SUBJECT_TOKEN_HEADER} header`);
    return new Secret(token);
  }, o.retry);
  secrets.push(iamToken);

  const keysOperation = "IAM temporary key request";
  return withRetries(async () => {
    const response = await send(
      o.http,
      {
        method: "POST",
        url: `${o.iamEndpoint}${SECURITY_TOKENS_PATH}`,
        // The official SDKs put the token in the body; IAM's reference also wants the header.
        headers: { ...json, [AUTH_TOKEN_HEADER]: iamToken.reveal() },
        body: JSON.stringify({
          auth: {
            identity: {
              methods: ["token"],
              token: { id: iamToken.reveal(), duration_seconds: FEDERATION_KEY_SECONDS },
            },
          },
        }),
      },
      { operation: keysOperation, timeoutMs: o.timeoutMs, secrets },
    );
    check(
      response,
      keysOperation,
      secrets,
      "Check the identity provider's mapping grants the federated user access.",
    );
    const keys = parseCredential(response.body);
    if (!keys)
      throw malformed(response, keysOperation, "no credential.access/secret/securitytoken");
    return keys;
  }, o.retry);
}

/** `{"credential": {access, secret, securitytoken, expires_at}}`, and the SDKs' other spellings. */
export function parseCredential(body: string): AccessKeys | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const outer = (parsed ?? {}) as Record<string, unknown>;
  const c = (outer.credential ?? outer.credentials ?? outer) as Record<string, unknown>;
  const pick = (...names: string[]) =>
    names.map((n) => c?.[n]).find((v): v is string => typeof v === "string" && v !== "");
  const access = pick("access", "accessKeyId", "access_key_id");
  const secret = pick("secret", "secretAccessKey", "secret_access_key");
  const token = pick("securitytoken", "securityToken", "security_token");
  if (!access || !secret || !token) return undefined;
  return {
    accessKey: access,
    secretKey: new Secret(secret),
    securityToken: new Secret(token),
    expiresAt: parseExpiry(c.expires_at ?? c.expiration),
  };
}

function check(response: HttpResponse, operation: string, secrets: Secret[], hint: string): void {
  if (response.status >= 200 && response.status < 300) return;
  throw credentialsResponseError(response, operation, secrets, hint);
}

function malformed(response: HttpResponse, operation: string, what: string): DrsApiError {
  return new DrsApiError({
    operation,
    httpStatus: response.status,
    requestId: response.requestId,
    serviceMessage: `IAM answered with ${what}`,
    retryable: false,
    hint: "Check the IAM endpoint (HUAWEICLOUD_SDK_IAM_ENDPOINT) points at IAM.",
  });
}
