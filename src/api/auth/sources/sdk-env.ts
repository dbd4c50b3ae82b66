// Source 4: the HUAWEICLOUD_SDK_* environment the official SDKs read (AK/SK, optionally a
// security token, and a project id).
import { Secret } from "../../secret";
import { value, type CredentialSource } from "../credentials";
import { sdkIamEndpoint, sdkProjectId } from "./federation";
import type { InputProblem } from "../../../util/input-error";

export const sdkEnvironmentSource: CredentialSource = {
  name: "HUAWEICLOUD_SDK_* environment",
  detect(context) {
    const { env } = context;
    const accessKey = value(env.HUAWEICLOUD_SDK_AK);
    const secretKey = value(env.HUAWEICLOUD_SDK_SK);
    const securityToken = value(env.HUAWEICLOUD_SDK_SECURITY_TOKEN);
    if (accessKey === undefined && secretKey === undefined && securityToken === undefined)
      return undefined;
    const problems: InputProblem[] = [];
    if (accessKey === undefined)
      problems.push({
        field: "HUAWEICLOUD_SDK_AK",
        reason: `${secretKey !== undefined ? "HUAWEICLOUD_SDK_SK" : "HUAWEICLOUD_SDK_SECURITY_TOKEN"} is set without HUAWEICLOUD_SDK_AK: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK`,
      });
    if (secretKey === undefined)
      problems.push({
        field: "HUAWEICLOUD_SDK_SK",
        reason: `${accessKey !== undefined ? "HUAWEICLOUD_SDK_AK" : "HUAWEICLOUD_SDK_SECURITY_TOKEN"} is set without HUAWEICLOUD_SDK_SK: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK`,
      });
    if (accessKey === undefined || secretKey === undefined)
      return { problems, credentialError: true };
    return {
      result: {
        credentials: {
          kind: "aksk",
          accessKey,
          secretKey: new Secret(secretKey),
          ...(securityToken !== undefined && { securityToken: new Secret(securityToken) }),
        },
        source: "HUAWEICLOUD_SDK_* environment",
        projectId: sdkProjectId(context),
        iamEndpoint: sdkIamEndpoint(context),
      },
    };
  },
};
