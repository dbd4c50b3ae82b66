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

/** How a source names each of its keys in messages: `HW_ACCESS_KEY`, `accessKey (drs:accessKey)`. */
export type ClassicNames = Record<
  "token" | "accessKey" | "secretKey" | "userName" | "password" | "domainName" | "iamEndpoint",
  string
>;

export const HW_NAMES: ClassicNames = {
  token: "HW_AUTH_TOKEN",
  accessKey: "HW_ACCESS_KEY",
  secretKey: "HW_SECRET_KEY",
  userName: "HW_USER_NAME",
  password: "HW_USER_PASSWORD",
  domainName: "HW_DOMAIN_NAME",
  iamEndpoint: "HW_AUTH_URL",
};

export interface ClassicContext {
  /** For the domain, IAM URL and metadata endpoint, which may come from the environment either way. */
  env: Environment;
  domainName?: string;
  iamEndpoint?: string;
  region?: string;
  /** Names the credentialSource setting in messages. */
  credentialSourceField: string;
  /** The source's own names for its keys, so a message says what to set where it was set. */
  names?: ClassicNames;
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
  const n = context.names ?? HW_NAMES;
  const domainName = value(context.domainName) ?? value(env.HW_DOMAIN_NAME);

  const modes = [
    token !== undefined && `a token (${n.token})`,
    (accessKey ?? secretKey ?? securityToken) !== undefined &&
      `AK/SK (${n.accessKey}/${n.secretKey})`,
    (userName ?? password) !== undefined && `a user and password (${n.userName}/${n.password})`,
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
        field: n.accessKey,
        reason: `${n.secretKey} is set without ${n.accessKey}: set both`,
      });
    if (secretKey === undefined)
      problems.push({
        field: n.secretKey,
        reason: `${n.accessKey} is set without ${n.secretKey}: set both`,
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
      field: n.userName,
      reason: `${n.password} is set without ${n.userName}: set both`,
    });
  if (password === undefined)
    problems.push({
      field: n.password,
      reason: `${n.userName} is set without ${n.password}: set both`,
    });
  if (domainName === undefined)
    problems.push({
      field: n.domainName,
      reason: `user/password auth needs ${n.domainName} (the account name)`,
    });
  const iamText = value(context.iamEndpoint) ?? value(env.HW_AUTH_URL);
  let iamEndpoint: string | undefined;
  if (iamText !== undefined)
    iamEndpoint = checkBaseUrl(iamText, `IAM endpoint (${n.iamEndpoint})`, problems);
  else if (context.region !== undefined) iamEndpoint = regionEndpoint("iam", context.region);
  else
    problems.push({
      field: n.iamEndpoint,
      reason: `user/password auth needs ${n.iamEndpoint} or HW_REGION_NAME to find IAM`,
    });
  if (!userName || !password || !domainName) out.half = true;
  if (!userName || !password || !domainName || !iamEndpoint) return undefined;
  return {
    kind: "password",
    userName,
    password: new Secret(password),
    domainName,
    iamEndpoint,
    names: n,
  };
}

/** One of the two sources that offer the classic modes: where it reads them, how it is named. */
export interface ClassicSourceSpec {
  name: string;
  read(input: CredentialInput, env: Environment): ClassicValues;
  /** Names the credentialSource setting in messages. */
  credentialSourceField: string;
  /** Its names for its keys in messages; the HW_* ones by default. */
  names?: ClassicNames;
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
          names: spec.names,
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
