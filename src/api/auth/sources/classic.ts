// The credential modes we have always read: a token, AK/SK (optionally with a security
// token), an IAM user and password, plus the ECS metadata opt-in. Explicit settings and the
// HW_* environment offer the same modes; one of them decides as a whole, so an explicit token
// never "contradicts" AK/SK a CI runner happens to export.
import { checkBaseUrl, regionEndpoint } from "../../endpoints";
import { Secret } from "../../secret";
import {
  value,
  type CredentialInput,
  type CredentialSource,
  type DrsCredentials,
  type Environment,
} from "../credentials";
import { checkCredentialSource, ecsMetadataCredentials } from "./ecs-metadata";
import type { InputProblem } from "../../../util/input-error";

export interface ClassicValues {
  token?: string;
  accessKey?: string;
  secretKey?: string;
  securityToken?: string;
  userName?: string;
  password?: string;
  credentialSource?: string;
}

export interface ClassicContext {
  /** For the domain, IAM URL and metadata endpoint, which may come from the environment either way. */
  env: Environment;
  domainName?: string;
  iamEndpoint?: string;
  region?: string;
  /** Names the credentialSource setting in messages. */
  credentialSourceField: string;
}

export function isAnySet(values: ClassicValues): boolean {
  return Object.values(values).some((v) => value(v) !== undefined);
}

/** The credentials `values` describe; every problem is pushed (names say what to set). */
export function classicCredentials(
  raw: ClassicValues,
  context: ClassicContext,
  problems: InputProblem[],
  /** Set when a mode is half configured (rather than contradictory or malformed). */
  out: { half?: boolean } = {},
): DrsCredentials | undefined {
  const token = value(raw.token);
  const accessKey = value(raw.accessKey);
  const secretKey = value(raw.secretKey);
  const securityToken = value(raw.securityToken);
  const userName = value(raw.userName);
  const password = value(raw.password);
  const sourceText = value(raw.credentialSource);
  const { env } = context;
  const domainName = value(context.domainName) ?? value(env.HW_DOMAIN_NAME);

  const modes = [
    token !== undefined && "a token (HW_AUTH_TOKEN)",
    (accessKey ?? secretKey ?? securityToken) !== undefined &&
      "AK/SK (HW_ACCESS_KEY/HW_SECRET_KEY)",
    (userName ?? password) !== undefined && "a user and password (HW_USER_NAME/HW_USER_PASSWORD)",
    sourceText !== undefined && `a credential source (${context.credentialSourceField})`,
  ].filter((m): m is string => typeof m === "string");
  if (modes.length === 0) return undefined;
  if (modes.length > 1) {
    problems.push({
      field: "credentials",
      reason: `contradictory credentials: both ${modes.join(" and ")} are set; keep exactly one`,
    });
    return undefined;
  }
  if (sourceText !== undefined) {
    const source = checkCredentialSource(sourceText, context.credentialSourceField, problems);
    return source === undefined ? undefined : ecsMetadataCredentials(env, problems);
  }
  if (token !== undefined) return { kind: "token", token: new Secret(token) };
  if (accessKey !== undefined || secretKey !== undefined || securityToken !== undefined) {
    if (accessKey === undefined)
      problems.push({
        field: "HW_ACCESS_KEY",
        reason: "HW_SECRET_KEY is set without HW_ACCESS_KEY: set both",
      });
    if (secretKey === undefined)
      problems.push({
        field: "HW_SECRET_KEY",
        reason: "HW_ACCESS_KEY is set without HW_SECRET_KEY: set both",
      });
    if (accessKey === undefined || secretKey === undefined) {
      out.half = true;
      return undefined;
    }
    return {
      kind: "aksk",
      accessKey,
      secretKey: new Secret(secretKey),
      ...(securityToken !== undefined && { securityToken: new Secret(securityToken) }),
    };
  }
  if (userName === undefined)
    problems.push({
      field: "HW_USER_NAME",
      reason: "HW_USER_PASSWORD is set without HW_USER_NAME: set both",
    });
  if (password === undefined)
    problems.push({
      field: "HW_USER_PASSWORD",
      reason: "HW_USER_NAME is set without HW_USER_PASSWORD: set both",
    });
  if (domainName === undefined)
    problems.push({
      field: "HW_DOMAIN_NAME",
      reason: "user/password auth needs HW_DOMAIN_NAME (the account name)",
    });
  const iamText = value(context.iamEndpoint) ?? value(env.HW_AUTH_URL);
  let iamEndpoint: string | undefined;
  if (iamText !== undefined)
    iamEndpoint = checkBaseUrl(iamText, "IAM endpoint (HW_AUTH_URL)", problems);
  else if (context.region !== undefined) iamEndpoint = regionEndpoint("iam", context.region);
  else
    problems.push({
      field: "HW_AUTH_URL",
      reason: "user/password auth needs HW_AUTH_URL or HW_REGION_NAME to find IAM",
    });
  if (!userName || !password || !domainName) out.half = true;
  if (!userName || !password || !domainName || !iamEndpoint) return undefined;
  return { kind: "password", userName, password: new Secret(password), domainName, iamEndpoint };
}

/** One of the two sources that offer the classic modes: where it reads them, how it is named. */
export interface ClassicSourceSpec {
  name: string;
  read(input: CredentialInput, env: Environment): ClassicValues;
  /** Names the credentialSource setting in messages. */
  credentialSourceField: string;
  /** How the chosen source is described (`drs-jobs auth`), for keys and for the ECS opt-in. */
  label: string;
  ecsLabel: string;
}

export function classicSource(spec: ClassicSourceSpec): CredentialSource {
  return {
    name: spec.name,
    detect({ input, env, region }) {
      const values = spec.read(input, env);
      if (!isAnySet(values)) return undefined;
      const problems: InputProblem[] = [];
      const out: { half?: boolean } = {};
      const credentials = classicCredentials(
        values,
        {
          env,
          domainName: input.domainName,
          iamEndpoint: input.iamEndpoint,
          region,
          credentialSourceField: spec.credentialSourceField,
        },
        problems,
        out,
      );
      if (!credentials) return { problems, credentialError: out.half };
      const source = credentials.kind === "ecs-metadata" ? spec.ecsLabel : spec.label;
      return { result: { credentials, source } };
    },
  };
}
