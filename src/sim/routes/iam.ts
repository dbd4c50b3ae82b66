// A fake IAM `POST /v3/auth/tokens` on the same server: point HW_AUTH_URL at the simulator
// and password login works offline. IAM speaks Keystone's error shape, not DRS's.
import { SUBJECT_TOKEN_HEADER } from "../../api/wire";
import { sameText } from "../auth";
import { jsonObject, type Call } from "../call";
import { isRecord } from "../validate";

const TITLES: Record<number, string> = {
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
};

export function iamError(call: Call, status: number, code: string, message: string): void {
  call.entry.errorCode = code;
  call.send(status, { error: { code, title: TITLES[status] ?? "Bad Request", message } });
}

/** The body of an IAM call, or undefined once answered (wrong method, `disabled`, too large). */
export async function iamBody(
  call: Call,
  method: "GET" | "POST",
  disabled?: string,
): Promise<Buffer | undefined> {
  if (call.req.method !== method || disabled !== undefined) {
    call.discardBody();
    if (call.req.method !== method) {
      iamError(call, 405, "IAM.0007", `${call.req.method} is not allowed here; use ${method}`);
    } else iamError(call, 404, "IAM.0002", disabled!);
    return undefined;
  }
  return call.body(() => iamError(call, 413, "IAM.0001", "The request body is too large."));
}

/** The JSON object a POST to IAM carries, or undefined once answered. */
export async function iamJson(
  call: Call,
  disabled?: string,
): Promise<Record<string, unknown> | undefined> {
  const body = await iamBody(call, "POST", disabled);
  const parsed = body && jsonObject(body);
  if (typeof parsed !== "string") return parsed;
  iamError(call, 400, "IAM.0001", "The request body is not valid JSON.");
  return undefined;
}

export async function iamTokens(call: Call): Promise<void> {
  const { state, entry } = call;
  entry.authMode = "password";
  const iam = state.auth.iam;
  const parsed = await iamJson(
    call,
    iam ? undefined : "IAM password login is not enabled in this scenario",
  );
  if (!parsed || !iam) return;
  const auth = parsed.auth;
  const identity = isRecord(auth) ? auth.identity : undefined;
  const methods = isRecord(identity) ? identity.methods : undefined;
  const password = isRecord(identity) ? identity.password : undefined;
  const user = isRecord(password) ? password.user : undefined;
  const domain = isRecord(user) ? user.domain : undefined;
  if (
    !Array.isArray(methods) ||
    !methods.includes("password") ||
    !isRecord(user) ||
    typeof user.name !== "string" ||
    typeof user.password !== "string" ||
    !isRecord(domain) ||
    typeof domain.name !== "string"
  ) {
    return iamError(
      call,
      400,
      "IAM.0001",
      "auth.identity must use method password with user.name, user.password and user.domain.name.",
    );
  }
  entry.userName = user.name;
  const scopeProject = isRecord(auth) && isRecord(auth.scope) ? auth.scope.project : undefined;
  if (isRecord(scopeProject)) {
    entry.scope = {};
    if (typeof scopeProject.id === "string") entry.scope.id = scopeProject.id;
    if (typeof scopeProject.name === "string") entry.scope.name = scopeProject.name;
  }
  if (
    isRecord(scopeProject) &&
    scopeProject.id !== undefined &&
    scopeProject.id !== state.projectId
  ) {
    return iamError(call, 400, "IAM.0006", "The project in auth.scope does not exist.");
  }
  const matches =
    sameText(user.name, iam.userName) &&
    sameText(user.password, iam.password) &&
    sameText(domain.name, iam.domainName);
  if (!matches) {
    return iamError(call, 401, "IAM.0004", "The username or password is wrong.");
  }
  const issued = state.tokens.issue(user.name, iam.tokenLifetimeMs);
  const region =
    isRecord(scopeProject) && typeof scopeProject.name === "string"
      ? scopeProject.name
      : "sim-region-1";
  call.send(
    201,
    {
      token: {
        expires_at: new Date(issued.expiresAt).toISOString(),
        issued_at: new Date(issued.issuedAt).toISOString(),
        methods: ["password"],
        user: { name: user.name, domain: { name: domain.name } },
        project: { id: state.projectId, name: region },
      },
    },
    { [SUBJECT_TOKEN_HEADER]: issued.token },
  );
}
