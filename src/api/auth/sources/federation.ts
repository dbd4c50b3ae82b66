// Source 3: OIDC federation from the environment, as the official SDKs read it: an identity
// provider id and a file holding the CI job's ID token, traded for temporary keys. Nothing
// long-lived sits in the pipeline. The token file is only read at each exchange (CI systems
// rotate it), never here.
import {
  value,
  type CredentialSource,
  type SourceContext,
  type SourceResult,
} from "../credentials";
import type { InputProblem } from "../../../util/input-error";

export const IDP_ID_ENV = "HUAWEICLOUD_SDK_IDP_ID";
export const ID_TOKEN_FILE_ENV = "HUAWEICLOUD_SDK_ID_TOKEN_FILE";

/** The federation credentials for an IdP id and token file found in `where`. */
export function federationResult(
  context: SourceContext,
  idpId: string,
  idTokenFile: string,
  source: string,
  preferredIam: SourceResult["iamEndpoint"],
  problems: InputProblem[],
): SourceResult | undefined {
  const iamEndpoint = context.iamEndpoint(preferredIam, problems);
  if (iamEndpoint === undefined) return undefined;
  return { credentials: { kind: "federation", idpId, idTokenFile, iamEndpoint }, source };
}

/** Names what is missing when only one of the pair is set. */
export function halfFederation(
  idpId: string | undefined,
  idTokenFile: string | undefined,
  names: { idpId: string; idTokenFile: string },
): InputProblem | undefined {
  if (idpId !== undefined && idTokenFile === undefined) {
    return {
      field: names.idTokenFile,
      reason: `${names.idpId} is set without ${names.idTokenFile} (the file holding the OIDC ID token): set both`,
    };
  }
  if (idpId === undefined && idTokenFile !== undefined) {
    return {
      field: names.idpId,
      reason: `${names.idTokenFile} is set without ${names.idpId} (the identity provider's id in IAM): set both`,
    };
  }
  return undefined;
}

export const federationEnvSource: CredentialSource = {
  name: "OIDC federation (environment)",
  detect(context) {
    const { env } = context;
    const idpId = value(env[IDP_ID_ENV]);
    const idTokenFile = value(env[ID_TOKEN_FILE_ENV]);
    if (idpId === undefined && idTokenFile === undefined) return undefined;
    const half = halfFederation(idpId, idTokenFile, {
      idpId: IDP_ID_ENV,
      idTokenFile: ID_TOKEN_FILE_ENV,
    });
    if (half !== undefined) return { problems: [half], credentialError: true };
    const problems: InputProblem[] = [];
    const result = federationResult(
      context,
      idpId!,
      idTokenFile!,
      `OIDC federation (${IDP_ID_ENV}, ${ID_TOKEN_FILE_ENV})`,
      sdkIamEndpoint(context),
      problems,
    );
    if (!result) return { problems, credentialError: true };
    return { result: { ...result, projectId: sdkProjectId(context) } };
  },
};

export function sdkProjectId(context: SourceContext): SourceResult["projectId"] {
  const projectId = value(context.env.HUAWEICLOUD_SDK_PROJECT_ID);
  return projectId === undefined
    ? undefined
    : { value: projectId, from: "HUAWEICLOUD_SDK_PROJECT_ID" };
}

export function sdkIamEndpoint(context: SourceContext): SourceResult["iamEndpoint"] {
  const iam = value(context.env.HUAWEICLOUD_SDK_IAM_ENDPOINT);
  return iam === undefined ? undefined : { value: iam, from: "HUAWEICLOUD_SDK_IAM_ENDPOINT" };
}
