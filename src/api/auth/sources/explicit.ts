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
  label: "explicit settings (DrsClient options or the drs:* stack config)",
  ecsLabel: "ECS metadata (credentialSource / drs:credentialSource)",
});
