// Decides whether a DRS request may pass, in the order the real gateway would: a signed
// request is judged by its signature, anything else by its X-Auth-Token.
//
// Codes (401 so clients know to re-authenticate, matching APIG):
//   no credentials / bad AK/SK signature / unknown access key -> APIG.0301
//   temporary access key without its X-Security-Token          -> APIG.0301
//   issued temporary access key past its expiry                -> APIG.0301 ("... has expired")
//   X-Sdk-Date more than 15 min off real time                 -> APIG.0303
//   unknown, expired or revoked token                         -> APIG.1002
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { parseAuthorization, verifyAksk } from "./aksk";
import type { MessageCode } from "./messages";
import type { Call } from "./call";
import { maskKey, type AuthMode } from "./stats";
import type { TokenStore } from "./tokens";
import type { AuthConfig } from "./types";

export type AuthResult =
  | { ok: true; mode: AuthMode; accessKey?: string; signedHeaders?: string[] }
  | {
      ok: false;
      mode: AuthMode;
      code: MessageCode;
      detail: string;
      accessKey?: string;
      signedHeaders?: string[];
    };

/** Federation or ECS metadata configured: the fake IAM issues temporary keys. */
export function issuesTemporaryKeys(auth: AuthConfig): boolean {
  return auth.federation !== undefined || auth.ecsMetadata !== undefined;
}

export function authRequired(auth: AuthConfig): boolean {
  return (
    auth.token !== undefined ||
    auth.keys.size > 0 ||
    auth.iam !== undefined ||
    issuesTemporaryKeys(auth)
  );
}

/** Judges a DRS or IAM call by its credentials and notes how it authenticated in its log entry. */
export function authenticate(call: Call, body: Buffer): AuthResult {
  const auth = judge(call.req, body, call.state.auth, call.state.tokens);
  call.entry.authMode = auth.mode;
  if (auth.accessKey) call.entry.accessKey = maskKey(auth.accessKey);
  if (auth.signedHeaders) call.entry.signedHeaders = auth.signedHeaders;
  return auth;
}

function judge(
  req: IncomingMessage,
  body: Buffer,
  auth: AuthConfig,
  tokens: TokenStore,
): AuthResult {
  if (!authRequired(auth)) return { ok: true, mode: "none" };
  const authorization = req.headers["authorization"];
  if (typeof authorization === "string" && authorization.trim().startsWith("SDK-HMAC-SHA256")) {
    if (auth.keys.size === 0 && !issuesTemporaryKeys(auth)) {
      return {
        ok: false,
        mode: "invalid",
        code: "APIG.0301",
        detail: "AK/SK authentication is not enabled",
      };
    }
    const signedHeaders = parseAuthorization(authorization)?.signedHeaders;
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const verdict = verifyAksk(
      {
        method: req.method ?? "GET",
        rawPath: q < 0 ? url : url.slice(0, q),
        rawQuery: q < 0 ? "" : url.slice(q + 1),
        headers: req.headers,
        body,
      },
      (ak) => auth.keys.get(ak) ?? tokens.temporary.find(ak)?.secret,
      // Real time, not the simulator clock: the client signs with its wall clock, and a test
      // that fast-forwards a timeline must not make every signature look stale.
      Date.now(),
    );
    if (verdict.ok) {
      // A temporary key is only good together with the security token it was issued with.
      const issued = auth.keys.has(verdict.accessKey)
        ? undefined
        : tokens.temporary.find(verdict.accessKey);
      const wanted = auth.securityTokens?.get(verdict.accessKey) ?? issued?.securitytoken;
      const sent = req.headers["x-security-token"];
      if (wanted !== undefined && (typeof sent !== "string" || !sameText(sent, wanted))) {
        return {
          ok: false,
          mode: "invalid",
          code: "APIG.0301",
          detail: `temporary access key without its X-Security-Token (${sent === undefined ? "none sent" : "not the one issued with it"})`,
          accessKey: verdict.accessKey,
          signedHeaders,
        };
      }
      if (issued?.expired) {
        return {
          ok: false,
          mode: "invalid",
          code: "APIG.0301",
          detail: `the temporary access key has expired (at ${new Date(issued.expiresAt).toISOString()}); get new keys`,
          accessKey: verdict.accessKey,
          signedHeaders,
        };
      }
      return { ok: true, mode: "aksk", accessKey: verdict.accessKey, signedHeaders };
    }
    const code = verdict.reason === "expired" ? "APIG.0303" : "APIG.0301";
    return {
      ok: false,
      mode: "invalid",
      code,
      detail: verdict.detail,
      accessKey: verdict.accessKey,
      signedHeaders,
    };
  }
  const token = req.headers["x-auth-token"];
  if (typeof token !== "string" || token === "") {
    return {
      ok: false,
      mode: "missing",
      code: "APIG.0301",
      detail: "no X-Auth-Token or Authorization header",
    };
  }
  if (auth.token !== undefined && sameText(token, auth.token)) return { ok: true, mode: "token" };
  if (auth.iam !== undefined) {
    const state = tokens.check(token);
    if (state === "valid") return { ok: true, mode: "iam-token" };
    if (state === "expired") {
      return { ok: false, mode: "invalid", code: "APIG.1002", detail: "the token has expired" };
    }
  }
  return { ok: false, mode: "invalid", code: "APIG.1002", detail: "the token is not valid" };
}

/** Constant-time comparison, so response timing does not leak how much of a secret matched. */
export function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
