// Source 1: credentials passed explicitly (options, CLI flags, or the Pulumi provider's
// `drs:*` stack config, which it passes the same way).
import { classicSource } from "./classic";

export const explicitSource = classicSource({
  name: "explicit settings",
  read: (input) => ({
    token: input.authToken,
    accessKey: input.accessKey,
    secretKey: input.secretKey,
    securityToken: input.securityToken,
    userName: input.userName,
    password: input.password,
    credentialSource: input.credentialSource,
  }),
  credentialSourceField: "credentialSource (drs:credentialSource)",
  // A half-set drs:* config is fixed in the config, not in the environment.
  names: {
    token: "authToken (drs:authToken)",
    accessKey: "accessKey (drs:accessKey)",
    secretKey: "secretKey (drs:secretKey)",
    userName: "userName (drs:userName)",
    password: "password (drs:password)",
    domainName: "domainName (drs:domainName) or HW_DOMAIN_NAME",
    iamEndpoint: "iamEndpoint (drs:iamEndpoint) or HW_AUTH_URL",
  },
  label: "explicit settings (DrsClient options or the drs:* stack config)",
  ecsLabel: "ECS metadata (credentialSource / drs:credentialSource)",
});
