import type { Http } from "../http";
import type { RetryOptions } from "../retry";
import type { Secret } from "../secret";
import type { DrsSettings } from "../settings";
import { credentialsKey, type DrsCredentials } from "./credentials";
import { AkSkAuthenticator } from "./aksk";
import type { Authenticator } from "./authenticator";
import { EcsMetadataKeys } from "./ecs-keys";
import { exchangeIdToken } from "./federation-keys";
import { IamPasswordAuthenticator } from "./iam-password";
import { abortable, RefreshingKeys, sharedKeySource, StaticKeys, type KeySource } from "./keys";
import { lookupProjectId } from "./project-lookup";
import { StaticTokenAuthenticator } from "./token";

export type { Authenticator } from "./authenticator";
export { AkSkAuthenticator } from "./aksk";
export {
  IamPasswordAuthenticator,
  passwordAuthBody,
  TOKEN_REFRESH_MARGIN_MS,
} from "./iam-password";
export { StaticTokenAuthenticator, AUTH_TOKEN_HEADER } from "./token";
export { KEY_REFRESH_MARGIN_MS, type AccessKeys, type KeySource } from "./keys";
export { lookupProjectId } from "./project-lookup";

/** What `connect` needs of the settings: `drs-jobs auth` has no DRS endpoint to give. */
export type ConnectSettings = Pick<
  DrsSettings,
  "credentials" | "projectId" | "iamEndpoint" | "region" | "requestTimeoutMs"
>;

/** The credentials put together: the client's and `drs-jobs auth`'s one wiring. */
export interface Connection {
  /** The keys to sign with (the AK/SK family); undefined for tokens and passwords. */
  readonly keys?: KeySource;
  /**
   * The project id (as given, or looked up in IAM by region once) and the authenticator for
   * it. A failed lookup is not kept: the next call asks again.
   */
  authorize(signal?: AbortSignal): Promise<{ projectId: string; auth: Authenticator }>;
  /** Every secret in use (settings and temporary keys), for redacting service text. */
  secrets(): Secret[];
}

export function connect(settings: ConnectSettings, http: Http, retry: RetryOptions): Connection {
  const c = settings.credentials;
  const keys = createKeySource(c, http, retry, settings.requestTimeoutMs);
  let made: Promise<{ projectId: string; auth: Authenticator }> | undefined;
  const make = async () => {
    const projectId =
      settings.projectId ??
      (await lookupProjectId({
        iamEndpoint: settings.iamEndpoint,
        region: settings.region!,
        keys: keys!,
        identity: credentialsKey(c),
        http,
        retry,
        timeoutMs: settings.requestTimeoutMs,
      }));
    return { projectId, auth: createAuthenticator(settings, projectId, keys, http, retry) };
  };
  return {
    keys,
    authorize(signal) {
      if (!made) {
        const attempt = make();
        made = attempt;
        attempt.catch(() => {
          if (made === attempt) made = undefined;
        });
      }
      return abortable(made, signal);
    },
    secrets: () => [...settingsSecrets(settings), ...(keys?.secrets() ?? [])],
  };
}

/**
 * The keys to sign with, for the AK/SK family (static keys, federation, ECS agency);
 * undefined for tokens and passwords. Temporary keys are shared by every client in the process.
 */
function createKeySource(
  c: DrsCredentials,
  http: Http,
  retry: RetryOptions,
  timeoutMs: number,
): KeySource | undefined {
  switch (c.kind) {
    case "aksk":
      return new StaticKeys({
        accessKey: c.accessKey,
        secretKey: c.secretKey,
        securityToken: c.securityToken,
      });
    case "federation":
      return sharedKeySource(
        credentialsKey(c),
        () => new RefreshingKeys(() => exchangeIdToken({ ...c, http, retry, timeoutMs })),
      );
    case "ecs-metadata": {
      return sharedKeySource(credentialsKey(c), () => {
        const metadata = new EcsMetadataKeys({
          metadataEndpoint: c.metadataEndpoint,
          http,
          retry,
          requestTimeoutMs: timeoutMs,
        });
        return new RefreshingKeys(() => metadata.fetch());
      });
    }
    default:
      return undefined;
  }
}

/** The authenticator for the configured credential mode and the (known) project. */
function createAuthenticator(
  settings: ConnectSettings,
  projectId: string,
  keys: KeySource | undefined,
  http: Http,
  retry: RetryOptions,
): Authenticator {
  const c = settings.credentials;
  if (keys) return new AkSkAuthenticator({ keys, projectId });
  if (c.kind === "token") return new StaticTokenAuthenticator(c.token);
  if (c.kind === "password") {
    return new IamPasswordAuthenticator({
      iamEndpoint: c.iamEndpoint,
      userName: c.userName,
      password: c.password,
      domainName: c.domainName,
      names: c.names,
      projectId,
      region: settings.region,
      http,
      retry,
      timeoutMs: settings.requestTimeoutMs,
    });
  }
  throw new Error(`no authenticator for ${c.kind} credentials without keys`);
}

/** Every secret the settings hold, for redacting anything the service echoes back. */
function settingsSecrets(settings: ConnectSettings): Secret[] {
  const c = settings.credentials;
  if (c.kind === "token") return [c.token];
  if (c.kind === "password") return [c.password];
  if (c.kind === "aksk") return [c.secretKey, ...(c.securityToken ? [c.securityToken] : [])];
  return [];
}
