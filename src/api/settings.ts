// Where the client's settings come from: explicit options first, then the HW_* environment
// Huawei Cloud users already set for Terraform, then the sources of the official SDKs (see
// auth/resolve.ts). Resolution reads only the given environment (and the profile file it
// names) and reports every problem in one DrsSettingsError.
import { inspect } from "node:util";
import { timerDuration, type Duration } from "../util/duration";
import {
  credentialsKey,
  saltedKey,
  type CredentialInput,
  type DrsCredentials,
  type Environment,
} from "./auth/credentials";
import { resolveAuth, type AuthProblems } from "./auth/resolve";
import { checkBaseUrl, regionEndpoint } from "./endpoints";
import { DrsCredentialsError, DrsSettingsError } from "./errors";
import { LANGUAGES, type Language } from "./wire";
import { Problems } from "../util/input-error";

export type { DrsCredentials, Environment } from "./auth/credentials";
export { checkBaseUrl, regionEndpoint } from "./endpoints";

/** Settings after resolution: complete and consistent. Secrets are wrapped in `Secret`. */
export interface DrsSettings {
  /** Base URL, no trailing slash, e.g. https://drs.cn-north-4.myhuaweicloud.com */
  endpoint: string;
  region?: string;
  /** Undefined until looked up in IAM by region (the client does that once per process). */
  projectId?: string;
  /** Where the project id came from (or "looked up in IAM by the region …"). */
  projectIdSource: string;
  language: Language;
  credentials: DrsCredentials;
  /** Which source gave the credentials, e.g. "HW_* environment", "profile file …". */
  credentialSource: string;
  /** IAM, for the project lookup and federation. */
  iamEndpoint: string;
  maxRetries: number;
  requestTimeoutMs: number;
}

/**
 * Where DRS is, by the names every entry point takes: the client's options, the CLI's flags,
 * the resources' inputs and the `drs:*` stack config (each checked against this list by the
 * compiler). Credentials are not among them: they have sources of their own.
 */
export const CONNECTION_FIELDS = ["endpoint", "region", "projectId", "language"] as const;
/** One of CONNECTION_FIELDS. */
export type ConnectionField = (typeof CONNECTION_FIELDS)[number];
/** Where DRS is; each field unset falls back to the HW_* environment. */
export type Connection = { [K in ConnectionField]?: string };

/** The connection fields of `from` that are set (commander's flags, resource inputs). */
export function connectionOf(from: Connection): Connection {
  const connection: Connection = {};
  for (const field of CONNECTION_FIELDS) {
    const value = from[field];
    if (value !== undefined && value !== null) connection[field] = value;
  }
  return connection;
}

/**
 * What a caller may pass: the connection, and the credentials (CredentialInput), which
 * replace the environment's altogether when given.
 */
export interface DrsSettingsInput extends CredentialInput, Connection {
  /** Where warnings about credentials go; default process.emitWarning (once each). */
  onWarning?: (message: string) => void;
  maxRetries?: number;
  /** Per-request deadline. Default HW_DRS_REQUEST_TIMEOUT, else 30s. */
  requestTimeout?: Duration;
  /** Defaults to `process.env`; tests pass their own. */
  env?: Environment;
}

export const DEFAULT_MAX_RETRIES = 4;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export function resolveSettings(input: DrsSettingsInput = {}): DrsSettings {
  const env = input.env ?? process.env;
  const problems = new Problems();
  const pick = (explicit: string | undefined, name: string): string | undefined => {
    const value = explicit ?? env[name];
    return value === undefined || value.trim() === "" ? undefined : value.trim();
  };

  const region = pick(input.region, "HW_REGION_NAME");
  if (region !== undefined && !/^[a-z]{2}(-[a-z0-9]+)+$/.test(region)) {
    problems.add(
      "region",
      `region "${region}" does not look like a Huawei Cloud region (e.g. cn-north-4)`,
    );
  }
  const endpointText = pick(input.endpoint, "HW_DRS_ENDPOINT");
  let endpoint: string | undefined;
  if (endpointText !== undefined) {
    endpoint = checkBaseUrl(endpointText, "endpoint (HW_DRS_ENDPOINT / --endpoint)", problems.list);
    // A pasted API URL (…/v3/{project}/jobs/batch-status) would turn every call into a 404.
    if (endpoint !== undefined && new URL(endpoint).pathname !== "/") {
      problems.add(
        "endpoint",
        `endpoint (HW_DRS_ENDPOINT / --endpoint) ${endpoint} has a path; give the base URL only, e.g. ${new URL(endpoint).origin} (the API paths are added)`,
      );
      endpoint = undefined;
    }
  } else if (region !== undefined) endpoint = regionEndpoint("drs", region);
  else
    problems.add(
      "endpoint",
      "no DRS endpoint: set HW_REGION_NAME (or --region), or HW_DRS_ENDPOINT (or --endpoint)",
    );

  const languageText = pick(input.language, "HW_DRS_LANGUAGE") ?? "en-us";
  const language = LANGUAGES.find((l) => l === languageText.toLowerCase());
  if (!language)
    problems.add("language", `language "${languageText}" is not one of ${LANGUAGES.join(", ")}`);

  const authProblems: AuthProblems = { problems, credentialError: false };
  const auth = resolveAuth({ ...input, region, projectId: input.projectId, env }, authProblems);
  const maxRetries = resolveMaxRetries(input.maxRetries, env.HW_MAX_RETRIES, problems);
  let requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;
  // The environment too: the CLI and the Pulumi provider have no other way to set it.
  const requestTimeout = input.requestTimeout ?? pick(undefined, "HW_DRS_REQUEST_TIMEOUT");
  if (requestTimeout !== undefined) {
    const field = input.requestTimeout !== undefined ? "requestTimeout" : "HW_DRS_REQUEST_TIMEOUT";
    requestTimeoutMs =
      problems.attempt(() => timerDuration(requestTimeout, field, 1)) ?? requestTimeoutMs;
  }

  if (!problems.empty || !endpoint || !language || !auth) {
    throw authProblems.credentialError
      ? new DrsCredentialsError(problems.list)
      : new DrsSettingsError(problems.list);
  }
  return hideSecrets({
    endpoint,
    region,
    projectId: auth.projectId,
    projectIdSource: auth.projectIdSource,
    language,
    credentials: auth.credentials,
    credentialSource: auth.credentialSource,
    iamEndpoint: auth.iamEndpoint,
    maxRetries,
    requestTimeoutMs,
  });
}

function resolveMaxRetries(
  explicit: number | undefined,
  envText: string | undefined,
  problems: Problems,
): number {
  const value = explicit ?? (envText?.trim() ? Number(envText.trim()) : DEFAULT_MAX_RETRIES);
  if (!Number.isInteger(value) || value < 0 || value > 20) {
    problems.add(
      explicit !== undefined ? "maxRetries" : "HW_MAX_RETRIES",
      `max retries (HW_MAX_RETRIES) must be a whole number from 0 to 20, got ${explicit ?? envText}`,
    );
    return DEFAULT_MAX_RETRIES;
  }
  return value;
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
  const c = settings.credentials;
  const who =
    c.kind === "aksk"
      ? `AK ${c.accessKey.slice(0, 4)}…`
      : c.kind === "password"
        ? `user ${c.userName}@${c.domainName}`
        : c.kind === "federation"
          ? `federation via IdP ${c.idpId}`
          : c.kind === "ecs-metadata"
            ? "ECS agency keys"
            : "token";
  const project = settings.projectId ?? `looked up for ${settings.region}`;
  return `DrsSettings(${settings.endpoint}, project ${project}, ${who})`;
}

/**
 * A stable key for "the same service, project and credentials": the poller shares one loop per
 * key. A salted hash, so no secret can be read back from it.
 */
export function settingsKey(settings: DrsSettings): string {
  return saltedKey([
    settings.endpoint,
    settings.projectId ?? ["lookup", settings.iamEndpoint, settings.region],
    settings.language,
    credentialsKey(settings.credentials),
  ]);
}
