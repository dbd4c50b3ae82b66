// Source 1: credentials passed explicitly (options, CLI flags, or the Pulumi provider's
// `drs:*` stack config, which it passes the same way).
import type { CredentialSource } from "../credentials";
import { classicCredentials, isAnySet, type ClassicValues } from "./classic";

export const explicitSource: CredentialSource = {
  name: "explicit settings",
  detect({ input, env, region }) {
    const values: ClassicValues = {
      token: input.authToken,
      accessKey: input.accessKey,
      secretKey: input.secretKey,
      securityToken: input.securityToken,
      userName: input.userName,
      password: input.password,
      credentialSource: input.credentialSource,
    };
    if (!isAnySet(values)) return undefined;
    const problems: string[] = [];
    const out: { half?: boolean } = {};
    const credentials = classicCredentials(
      values,
      {
        env,
        domainName: input.domainName,
        iamEndpoint: input.iamEndpoint,
        region,
        credentialSourceField: "credentialSource (drs:credentialSource)",
      },
      problems,
      out,
    );
    if (!credentials) return { problems, credentialError: out.half };
    const source =
      credentials.kind === "ecs-metadata"
        ? "ECS metadata (credentialSource / drs:credentialSource)"
        : "explicit settings (options or drs:* config)";
    return { result: { credentials, source } };
  },
};
