// ECS agency keys: chosen only when asked for (HW_CREDENTIAL_SOURCE=ecs-metadata or
// drs:credentialSource), never probed, so no host pays a connect timeout to the link-local
// address and nothing is ever sent there unasked.
import { checkBaseUrl } from "../../endpoints";
import { ECS_METADATA_SOURCE, value, type DrsCredentials, type Environment } from "../credentials";
import type { InputProblem } from "../../../util/input-error";

/** Where the metadata service lives on every ECS instance. */
export const DEFAULT_ECS_METADATA_ENDPOINT = "http://169.254.169.254";
const LINK_LOCAL_METADATA_HOST = "169.254.169.254";

/** Checks a `credentialSource` value; undefined when it is not one we know (problem added). */
export function checkCredentialSource(
  text: string,
  field: string,
  problems: InputProblem[],
): typeof ECS_METADATA_SOURCE | undefined {
  if (text.toLowerCase() === ECS_METADATA_SOURCE) return ECS_METADATA_SOURCE;
  problems.push({
    field: field,
    reason: `${field} "${text}" is not a credential source we know; the one value is "ecs-metadata"`,
  });
  return undefined;
}

/** The ECS metadata credentials; the endpoint is overridable (HW_ECS_METADATA_ENDPOINT) for tests. */
export function ecsMetadataCredentials(
  env: Environment,
  problems: InputProblem[],
): DrsCredentials | undefined {
  const override = value(env.HW_ECS_METADATA_ENDPOINT);
  const metadataEndpoint =
    override === undefined
      ? DEFAULT_ECS_METADATA_ENDPOINT
      : checkBaseUrl(override, "ECS metadata endpoint (HW_ECS_METADATA_ENDPOINT)", problems, [
          LINK_LOCAL_METADATA_HOST,
        ]);
  return metadataEndpoint === undefined ? undefined : { kind: "ecs-metadata", metadataEndpoint };
}
