// Where the client's settings come from: explicit options first, then the HW_* environment
// Huawei Cloud users already set for Terraform and the SDKs. Resolution is pure (the
// environment is passed in) and reports every problem in one DrsSettingsError.
import { createHmac, randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { timerDuration, type Duration } from "../util/duration";
import { DrsSettingsError } from "./errors";
import { redactUrlUserInfo, Secret } from "./secret";
import { LANGUAGES, type Language } from "./wire";

export type DrsCredentials =
  | { kind: "token"; token: Secret }
  | {
      kind: "password";
      userName: string;
      password: Secret;
      domainName: string;
      iamEndpoint: string;
    }
  | { kind: "aksk"; accessKey: string; secretKey: Secret; securityToken?: Secret };

/** Settings after resolution: complete and consistent. Secrets are wrapped in `Secret`. */
export interface DrsSettings {
  /** Base URL, no trailing slash, e.g. https://drs.cn-north-4.myhuaweicloud.com */
  endpoint: string;
  region?: string;
  projectId: string;
  language: Language;
  credentials: DrsCredentials;
  maxRetries: number;
  requestTimeoutMs: number;
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** What a caller may pass. Credentials given here replace the environment's altogether. */
export interface DrsSettingsInput {
  endpoint?: string;
  region?: string;
  projectId?: string;
  language?: string;
  authToken?: string;
  accessKey?: string;
  secretKey?: string;
  securityToken?: string;
  userName?: string;
  password?: string;
  domainName?: string;
  /** IAM base URL for user/password auth, e.g. https://iam.cn-north-4.myhuaweicloud.com */
  iamEndpoint?: string;
  maxRetries?: number;
  /** Per-request deadline. Default HW_DRS_REQUEST_TIMEOUT, else 30s. */
  requestTimeout?: Duration;
  /** Defaults to `process.env`; tests pass their own. */
  env?: Environment;
}

export const DEFAULT_MAX_RETRIES = 4;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** Regions whose endpoints live under a different domain. */
const REGION_DOMAINS: Readonly<Record<string, string>> = { "eu-west-101": "myhuaweicloud.eu" };

export function regionEndpoint(service: "drs" | "iam", region: string): string {
  return `https://${service}.${region}.${REGION_DOMAINS[region] ?? "myhuaweicloud.com"}`;
}

export function resolveSettings(input: DrsSettingsInput = {}): DrsSettings {
  const env = input.env ?? process.env;
  const problems: string[] = [];
  const pick = (explicit: string | undefined, name: string): string | undefined => {
    const value = explicit ?? env[name];
    return value === undefined || value.trim() === "" ? undefined : value.trim();
  };

  const region = pick(input.region, "HW_REGION_NAME");
  if (region !== undefined && !/^[a-z]{2}(-[a-z0-9]+)+$/.test(region)) {
    problems.push(`region "${region}" does not look like a Huawei Cloud region (e.g. cn-north-4)`);
  }
  const endpointText = pick(input.endpoint, "HW_DRS_ENDPOINT");
  let endpoint: string | undefined;
  if (endpointText !== undefined)
    endpoint = checkBaseUrl(endpointText, "endpoint (HW_DRS_ENDPOINT / --endpoint)", problems);
  else if (region !== undefined) endpoint = regionEndpoint("drs", region);
  else
    problems.push(
      "no DRS endpoint: set HW_REGION_NAME (or --region), or HW_DRS_ENDPOINT (or --endpoint)",
    );

  const projectId = pick(input.projectId, "HW_PROJECT_ID");
  if (projectId === undefined) {
    problems.push(
      "no project id: set HW_PROJECT_ID (or --project-id) to the project of the region",
    );
  } else if (!/^[A-Za-z0-9_-]+$/.test(projectId)) {
    problems.push(`project id "${projectId}" has characters a project id cannot have`);
  }

  const languageText = pick(input.language, "HW_DRS_LANGUAGE") ?? "en-us";
  const language = LANGUAGES.find((l) => l === languageText.toLowerCase());
  if (!language) problems.push(`language "${languageText}" is not one of ${LANGUAGES.join(", ")}`);

  const credentials = resolveCredentials(input, env, region, problems);
  const maxRetries = resolveMaxRetries(input.maxRetries, env.HW_MAX_RETRIES, problems);
  let requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;
  // The environment too: the CLI and the Pulumi provider have no other way to set it.
  const requestTimeout = input.requestTimeout ?? pick(undefined, "HW_DRS_REQUEST_TIMEOUT");
  if (requestTimeout !== undefined) {
    const field = input.requestTimeout !== undefined ? "requestTimeout" : "HW_DRS_REQUEST_TIMEOUT";
    try {
      requestTimeoutMs = timerDuration(requestTimeout, field, 1);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }

  if (problems.length > 0 || !endpoint || !projectId || !language || !credentials) {
    throw new DrsSettingsError(problems);
  }
  return hideSecrets({
    endpoint,
    region,
    projectId,
    language,
    credentials,
    maxRetries,
    requestTimeoutMs,
  });
}

function resolveCredentials(
  input: DrsSettingsInput,
  env: Environment,
  region: string | undefined,
  problems: string[],
): DrsCredentials | undefined {
  const explicit =
    input.authToken ??
    input.accessKey ??
    input.secretKey ??
    input.securityToken ??
    input.userName ??
    input.password;
  // Explicit credentials replace the environment's as a whole, so that e.g. an explicit token
  // does not "contradict" AK/SK a CI runner happens to export.
  const source = explicit !== undefined ? "explicit" : "env";
  const get = (value: string | undefined, name: string): string | undefined => {
    const raw = source === "explicit" ? value : env[name];
    return raw === undefined || raw.trim() === "" ? undefined : raw.trim();
  };
  const token = get(input.authToken, "HW_AUTH_TOKEN");
  const accessKey = get(input.accessKey, "HW_ACCESS_KEY");
  const secretKey = get(input.secretKey, "HW_SECRET_KEY");
  const securityToken = get(input.securityToken, "HW_SECURITY_TOKEN");
  const userName = get(input.userName, "HW_USER_NAME");
  const password = get(input.password, "HW_USER_PASSWORD");
  // The domain and IAM URL are not secrets and may come from the environment either way.
  const domainName = input.domainName?.trim() || env.HW_DOMAIN_NAME?.trim() || undefined;

  const modes = [
    token !== undefined && "a token (HW_AUTH_TOKEN)",
    (accessKey ?? secretKey ?? securityToken) !== undefined &&
      "AK/SK (HW_ACCESS_KEY/HW_SECRET_KEY)",
    (userName ?? password) !== undefined && "a user and password (HW_USER_NAME/HW_USER_PASSWORD)",
  ].filter((m): m is string => typeof m === "string");
  if (modes.length === 0) {
    problems.push(
      "no credentials: set HW_AUTH_TOKEN, or HW_ACCESS_KEY and HW_SECRET_KEY, or HW_USER_NAME, HW_USER_PASSWORD and HW_DOMAIN_NAME",
    );
    return undefined;
  }
  if (modes.length > 1) {
    problems.push(
      `contradictory credentials: both ${modes.join(" and ")} are set; keep exactly one`,
    );
    return undefined;
  }
  if (token !== undefined) return { kind: "token", token: new Secret(token) };
  if (accessKey !== undefined || secretKey !== undefined || securityToken !== undefined) {
    if (accessKey === undefined)
      problems.push("HW_SECRET_KEY is set without HW_ACCESS_KEY: set both");
    if (secretKey === undefined)
      problems.push("HW_ACCESS_KEY is set without HW_SECRET_KEY: set both");
    if (accessKey === undefined || secretKey === undefined) return undefined;
    return {
      kind: "aksk",
      accessKey,
      secretKey: new Secret(secretKey),
      ...(securityToken !== undefined && { securityToken: new Secret(securityToken) }),
    };
  }
  if (userName === undefined)
    problems.push("HW_USER_PASSWORD is set without HW_USER_NAME: set both");
  if (password === undefined)
    problems.push("HW_USER_NAME is set without HW_USER_PASSWORD: set both");
  if (domainName === undefined)
    problems.push("user/password auth needs HW_DOMAIN_NAME (the account name)");
  const iamText = input.iamEndpoint?.trim() || env.HW_AUTH_URL?.trim() || undefined;
  let iamEndpoint: string | undefined;
  if (iamText !== undefined)
    iamEndpoint = checkBaseUrl(iamText, "IAM endpoint (HW_AUTH_URL)", problems);
  else if (region !== undefined) iamEndpoint = regionEndpoint("iam", region);
  else problems.push("user/password auth needs HW_AUTH_URL or HW_REGION_NAME to find IAM");
  if (!userName || !password || !domainName || !iamEndpoint) return undefined;
  return { kind: "password", userName, password: new Secret(password), domainName, iamEndpoint };
}

function resolveMaxRetries(
  explicit: number | undefined,
  envText: string | undefined,
  problems: string[],
): number {
  const value = explicit ?? (envText?.trim() ? Number(envText.trim()) : DEFAULT_MAX_RETRIES);
  if (!Number.isInteger(value) || value < 0 || value > 20) {
    problems.push(
      `max retries (HW_MAX_RETRIES) must be a whole number from 0 to 20, got ${explicit ?? envText}`,
    );
    return DEFAULT_MAX_RETRIES;
  }
  return value;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** https everywhere; plain http only to this machine (the simulator, tests). */
export function checkBaseUrl(text: string, what: string, problems: string[]): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    problems.push(
      `${what} "${redactUrlUserInfo(text)}" is not a URL; use e.g. https://drs.cn-north-4.myhuaweicloud.com`,
    );
    return undefined;
  }
  if (url.username || url.password || url.search || url.hash) {
    problems.push(`${what} must not carry user info, a query or a fragment`);
    return undefined;
  }
  if (url.protocol === "http:" && !LOOPBACK.test(url.hostname)) {
    problems.push(
      `${what} ${url.origin} must use https (plain http is allowed only for loopback hosts)`,
    );
    return undefined;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    problems.push(`${what} must be an https:// URL`);
    return undefined;
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/** Secrets are already `Secret`s; this also makes the whole object print a short summary. */
function hideSecrets(settings: DrsSettings): DrsSettings {
  Object.defineProperty(settings, inspect.custom, {
    enumerable: false,
    value: () => describeSettings(settings),
  });
  return settings;
}

export function describeSettings(settings: DrsSettings): string {
  const who =
    settings.credentials.kind === "aksk"
      ? `AK ${settings.credentials.accessKey.slice(0, 4)}…`
      : settings.credentials.kind === "password"
        ? `user ${settings.credentials.userName}@${settings.credentials.domainName}`
        : "token";
  return `DrsSettings(${settings.endpoint}, project ${settings.projectId}, ${who})`;
}

// Per process, so the key is stable for sharing one poll loop yet useless to guess secrets from.
const KEY_SALT = randomBytes(32);

/**
 * A stable key for "the same service, project and credentials": the shared poller runs one
 * loop per key. A salted hash, so no secret can be read back from it.
 */
export function settingsKey(settings: DrsSettings): string {
  const c = settings.credentials;
  const identity =
    c.kind === "token"
      ? ["token", c.token.reveal()]
      : c.kind === "password"
        ? ["password", c.iamEndpoint, c.domainName, c.userName, c.password.reveal()]
        : ["aksk", c.accessKey, c.secretKey.reveal(), c.securityToken?.reveal() ?? ""];
  const material = JSON.stringify([
    settings.endpoint,
    settings.projectId,
    settings.language,
    ...identity,
  ]);
  return `drs-${createHmac("sha256", KEY_SALT).update(material).digest("hex").slice(0, 32)}`;
}
