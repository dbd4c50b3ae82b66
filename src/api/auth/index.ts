import type { AxiosInstance } from "axios";
import type { RetryOptions } from "../retry";
import type { DrsSettings } from "../settings";
import { AkSkAuthenticator } from "./aksk";
import type { Authenticator } from "./authenticator";
import { IamPasswordAuthenticator } from "./iam-password";
import { StaticTokenAuthenticator } from "./token";

export type { Authenticator } from "./authenticator";
export { AkSkAuthenticator } from "./aksk";
export {
  IamPasswordAuthenticator,
  passwordAuthBody,
  TOKEN_REFRESH_MARGIN_MS,
} from "./iam-password";
export { StaticTokenAuthenticator, AUTH_TOKEN_HEADER } from "./token";
export * from "./signer";

/** The authenticator for the configured credential mode. */
export function createAuthenticator(
  settings: DrsSettings,
  http: AxiosInstance,
  retry: RetryOptions,
): Authenticator {
  const c = settings.credentials;
  switch (c.kind) {
    case "token":
      return new StaticTokenAuthenticator(c.token);
    case "aksk":
      return new AkSkAuthenticator({
        accessKey: c.accessKey,
        secretKey: c.secretKey,
        securityToken: c.securityToken,
        projectId: settings.projectId,
      });
    case "password":
      return new IamPasswordAuthenticator({
        iamEndpoint: c.iamEndpoint,
        userName: c.userName,
        password: c.password,
        domainName: c.domainName,
        projectId: settings.projectId,
        region: settings.region,
        http,
        retry,
        timeoutMs: settings.requestTimeoutMs,
      });
  }
}

/** Every secret the settings hold, for redacting anything the service echoes back. */
export function settingsSecrets(settings: DrsSettings) {
  const c = settings.credentials;
  if (c.kind === "token") return [c.token];
  if (c.kind === "password") return [c.password];
  return [c.secretKey, c.securityToken];
}
