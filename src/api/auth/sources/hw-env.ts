// Source 2: the HW_* environment, the names Terraform's huaweicloud provider reads.
import type { CredentialSource } from "../credentials";
import { classicCredentials, isAnySet, type ClassicValues } from "./classic";

export const hwEnvironmentSource: CredentialSource = {
  name: "HW_* environment",
  detect({ input, env, region }) {
    const values: ClassicValues = {
      token: env.HW_AUTH_TOKEN,
      accessKey: env.HW_ACCESS_KEY,
      secretKey: env.HW_SECRET_KEY,
      securityToken: env.HW_SECURITY_TOKEN,
      userName: env.HW_USER_NAME,
      password: env.HW_USER_PASSWORD,
      credentialSource: env.HW_CREDENTIAL_SOURCE,
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
        credentialSourceField: "HW_CREDENTIAL_SOURCE",
      },
      problems,
      out,
    );
    if (!credentials) return { problems, credentialError: out.half };
    const source =
      credentials.kind === "ecs-metadata"
        ? "ECS metadata (HW_CREDENTIAL_SOURCE=ecs-metadata)"
        : "HW_* environment";
    return { result: { credentials, source } };
  },
};
