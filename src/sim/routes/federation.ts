// The fake IAM's OIDC federation: `POST /v3.0/OS-AUTH/id-token/tokens` trades the ID token
// the scenario accepts (from the IdP it names, header X-Idp-Id) for an unscoped token in
// X-Subject-Token; `POST /v3.0/OS-CREDENTIAL/securitytokens` trades that token (in the body,
// as the SDKs send it, or X-Auth-Token) for temporary AK/SK with a security token.
import { SUBJECT_TOKEN_HEADER } from "../../api/wire";
import { sameText } from "../auth";
import type { Call } from "../call";
import { iamTime } from "../temporary-keys";
import { isRecord } from "../validate";
import { iamError, iamJson } from "./iam";

/** The JSON body, or undefined once answered; federation off answers 404 whatever the method. */
async function federationJson(call: Call): Promise<Record<string, unknown> | undefined> {
  if (call.state.auth.federation) return iamJson(call);
  call.discardBody();
  iamError(call, 404, "IAM.0002", "OIDC federation is not enabled in this scenario");
  return undefined;
}

export async function idTokenExchange(call: Call): Promise<void> {
  const { state, entry, req } = call;
  entry.authMode = "federation";
  const federation = state.auth.federation;
  const body = await federationJson(call);
  if (!body || !federation) return;
  const auth = isRecord(body.auth) ? body.auth : undefined;
  const idToken = isRecord(auth?.id_token) ? auth.id_token.id : undefined;
  if (typeof idToken !== "string" || idToken === "") {
    return iamError(call, 400, "IAM.0001", "auth.id_token.id is required.");
  }
  const idpId = req.headers["x-idp-id"];
  if (typeof idpId !== "string" || !sameText(idpId, federation.idpId)) {
    return iamError(call, 404, "IAM.0002", "The identity provider (X-Idp-Id) does not exist.");
  }
  if (!sameText(idToken, federation.idToken)) {
    return iamError(call, 401, "IAM.0004", "The ID token is not valid for this identity provider.");
  }
  const issued = state.tokens.temporary.issueUnscopedToken();
  call.send(
    201,
    {
      token: {
        expires_at: iamTime(issued.expiresAt),
        issued_at: iamTime(state.clock.now()),
        methods: ["mapped"],
        user: {
          name: `${federation.idpId}-federated`,
          "OS-FEDERATION": { identity_provider: { id: federation.idpId } },
        },
      },
    },
    { [SUBJECT_TOKEN_HEADER]: issued.token },
  );
}

export async function securityTokens(call: Call): Promise<void> {
  const { state, entry, req } = call;
  entry.authMode = "iam-token";
  const body = await federationJson(call);
  if (!body) return;
  const auth = isRecord(body.auth) ? body.auth : undefined;
  const identity = isRecord(auth?.identity) ? auth.identity : undefined;
  const methods = identity?.methods;
  const inBody = isRecord(identity?.token) ? identity.token.id : undefined;
  const header = req.headers["x-auth-token"];
  const token = typeof inBody === "string" && inBody !== "" ? inBody : header;
  if (!Array.isArray(methods) || !methods.includes("token") || typeof token !== "string") {
    return iamError(call, 400, "IAM.0001", "auth.identity must use method token with token.id.");
  }
  if (!state.tokens.temporary.checkUnscopedToken(token)) {
    return iamError(call, 401, "IAM.0004", "The token is not valid or has expired.");
  }
  call.send(201, state.tokens.temporary.issueCredential("federation"));
}
