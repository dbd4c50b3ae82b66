// Source 2: the HW_* environment, the names Terraform's huaweicloud provider reads.
import { classicSource } from "./classic";

export const hwEnvironmentSource = classicSource({
  name: "HW_* environment",
  read: (_input, env) => ({
    token: env.HW_AUTH_TOKEN,
    accessKey: env.HW_ACCESS_KEY,
    secretKey: env.HW_SECRET_KEY,
    securityToken: env.HW_SECURITY_TOKEN,
    userName: env.HW_USER_NAME,
    password: env.HW_USER_PASSWORD,
    credentialSource: env.HW_CREDENTIAL_SOURCE,
  }),
  credentialSourceField: "HW_CREDENTIAL_SOURCE",
  label: "HW_* environment",
  ecsLabel: "ECS metadata (HW_CREDENTIAL_SOURCE=ecs-metadata)",
});
