// What credential sources produce. Types only, so settings, sources and authenticators can
// share them without importing each other.
import { createHmac, randomBytes } from "node:crypto";
import type { Secret } from "../secret";
import type { InputProblem } from "../../util/input-error";

export type Environment = Readonly<Record<string, string | undefined>>;

export type DrsCredentials =
  | { kind: "token"; token: Secret }
  | {
      kind: "password";
      userName: string;
      password: Secret;
      domainName: string;
      iamEndpoint: string;
      /** How the source names these settings, for hints: `HW_USER_NAME`, `userName (drs:userName)`. */
      names?: PasswordSettingNames;
    }
  | { kind: "aksk"; accessKey: string; secretKey: Secret; securityToken?: Secret }
  /** An OIDC ID token (re-read from the file at each exchange) traded for temporary keys. */
  | { kind: "federation"; idpId: string; idTokenFile: string; iamEndpoint: string }
  /** The temporary keys of the agency bound to this ECS instance. */
  | { kind: "ecs-metadata"; metadataEndpoint: string };

export type PasswordSettingNames = Record<
  "userName" | "password" | "domainName" | "iamEndpoint",
  string
>;

/** The value of `credentialSource` / HW_CREDENTIAL_SOURCE that opts in to ECS metadata. */
export const ECS_METADATA_SOURCE = "ecs-metadata";

/** What the caller passes that sources read; a subset of DrsSettingsInput. */
export interface CredentialInput {
  authToken?: string;
  accessKey?: string;
  secretKey?: string;
  securityToken?: string;
  userName?: string;
  password?: string;
  domainName?: string;
  /** IAM base URL for user/password auth, e.g. https://iam.cn-north-4.myhuaweicloud.com */
  iamEndpoint?: string;
  /** "ecs-metadata": the temporary keys of this ECS instance's agency (HW_CREDENTIAL_SOURCE). */
  credentialSource?: string;
}

/** The chosen source's answer. */
export interface SourceResult {
  credentials: DrsCredentials;
  /** Where they came from, for people: "HUAWEICLOUD_SDK_* environment", "profile file ~/…". */
  source: string;
  /** A project id the source carries (HUAWEICLOUD_SDK_PROJECT_ID, a profile's project_id). */
  projectId?: { value: string; from: string };
  /** An IAM endpoint the source names (a profile's iam_endpoint, HUAWEICLOUD_SDK_IAM_ENDPOINT). */
  iamEndpoint?: { value: string; from: string };
}

export interface SourceContext {
  input: CredentialInput;
  env: Environment;
  region?: string;
  /** The home directory for the default profile file; undefined: no profile file. */
  home?: string;
  warn(message: string): void;
  /**
   * The IAM endpoint for this source: explicit iamEndpoint > `preferred` (the source's own) >
   * HW_AUTH_URL > HUAWEICLOUD_SDK_IAM_ENDPOINT > the region's IAM > IAM's global endpoint.
   */
  iamEndpoint(preferred: SourceResult["iamEndpoint"], problems: InputProblem[]): string | undefined;
}

/**
 * One source's verdict: `undefined` when it is not configured at all (the chain goes on);
 * otherwise it decides, with `problems` when half configured (naming what is missing).
 * `credentialError` marks problems of the sources beyond HW_* (the CLI exits 4 on them).
 */
export type Detection =
  | undefined
  | { result: SourceResult; problems?: undefined }
  | { result?: undefined; problems: InputProblem[]; credentialError?: boolean };

export interface CredentialSource {
  readonly name: string;
  detect(context: SourceContext): Detection;
}

/** Non-empty trimmed value, else undefined. */
export function value(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}

// Per process, so the key is stable for sharing one poll loop yet useless to guess secrets from.
const KEY_SALT = randomBytes(32);

export function saltedKey(material: unknown[]): string {
  return `drs-${createHmac("sha256", KEY_SALT).update(JSON.stringify(material)).digest("hex").slice(0, 32)}`;
}

/**
 * Who the credentials are, stable while temporary keys rotate: federation and ECS are named by
 * where their keys come from, not by the keys of the hour. A salted hash.
 */
export function credentialsKey(c: DrsCredentials): string {
  const identity =
    c.kind === "token"
      ? ["token", c.token.reveal()]
      : c.kind === "password"
        ? ["password", c.iamEndpoint, c.domainName, c.userName, c.password.reveal()]
        : c.kind === "aksk"
          ? ["aksk", c.accessKey, c.secretKey.reveal(), c.securityToken?.reveal() ?? ""]
          : c.kind === "federation"
            ? ["federation", c.iamEndpoint, c.idpId, c.idTokenFile]
            : ["ecs-metadata", c.metadataEndpoint];
  return saltedKey(identity);
}
