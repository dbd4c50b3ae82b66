// Source 5: the profile file the official SDKs read, `~/.huaweicloud/credentials` (or
// HUAWEICLOUD_SDK_CREDENTIALS_FILE): INI, section [basic], AK/SK or an IdP id and ID token
// file. Parsed with the `ini` package: quoting, comments and escapes are a solved problem.
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parse } from "ini";
import { Secret } from "../../secret";
import { value, type CredentialSource, type SourceContext } from "../credentials";
import { federationResult, halfFederation, sdkIamEndpoint } from "./federation";
import type { InputProblem } from "../../../util/input-error";

export const CREDENTIALS_FILE_ENV = "HUAWEICLOUD_SDK_CREDENTIALS_FILE";
const SECTION = "basic";

/** The file to read and whether the user named it (then it must exist). */
export function profilePath(context: SourceContext): { file: string; named: boolean } | undefined {
  const named = value(context.env[CREDENTIALS_FILE_ENV]);
  if (named !== undefined) return { file: path.resolve(named), named: true };
  if (context.home === undefined) return undefined;
  return { file: path.join(context.home, ".huaweicloud", "credentials"), named: false };
}

export const profileSource: CredentialSource = {
  name: "profile file",
  detect(context) {
    const where = profilePath(context);
    if (!where) return undefined;
    const { file, named } = where;
    // Every problem of the file names it; a half federation names the missing key too.
    const fail = (problem: InputProblem | string) => ({
      problems: [
        typeof problem === "string"
          ? { field: `the profile file ${file}`, reason: problem }
          : problem,
      ],
      credentialError: true,
    });
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT" && !named) return undefined;
      return fail(
        `cannot read the profile file ${file}${named ? ` (${CREDENTIALS_FILE_ENV})` : ""}: ${code ?? (err as Error).message}`,
      );
    }
    warnIfShared(file, context.warn);
    // ini merges repeated sections silently: two [basic]s would mix two sets of keys.
    const headers = text
      .split(/\r?\n/)
      .flatMap((line, i) =>
        new RegExp(`^\\s*\\[\\s*${SECTION}\\s*\\]\\s*([;#].*)?$`).test(line) ? [i + 1] : [],
      );
    if (headers.length > 1) {
      return fail(
        `the profile file ${file} has ${headers.length} [${SECTION}] sections (lines ${headers.join(", ")}); keep one`,
      );
    }
    let section: unknown;
    try {
      section = parse(text)[SECTION];
    } catch (err) {
      return fail(`the profile file ${file} is not valid INI: ${(err as Error).message}`);
    }
    if (typeof section !== "object" || section === null)
      return fail(`the profile file ${file} has no [${SECTION}] section`);
    const entries = section as Record<string, unknown>;
    const get = (key: string) =>
      typeof entries[key] === "string" ? value(entries[key]) : undefined;
    const ak = get("ak");
    const sk = get("sk");
    const securityToken = get("security_token");
    const idpId = get("idp_id");
    const idTokenFile = get("id_token_file");
    const projectId = get("project_id");
    const iam = get("iam_endpoint");
    const from = `the profile file ${file}`;
    const projectIdFrom = projectId && { value: projectId, from: `project_id in ${from}` };
    const iamFrom = iam ? { value: iam, from: `iam_endpoint in ${from}` } : sdkIamEndpoint(context);

    if (idpId !== undefined || idTokenFile !== undefined) {
      const half = halfFederation(idpId, idTokenFile, {
        idpId: `idp_id in [${SECTION}] of ${file}`,
        idTokenFile: `id_token_file`,
      });
      if (half !== undefined) return fail(half);
      const problems: InputProblem[] = [];
      // As the official SDKs: a relative path is taken from the working directory.
      const tokenFile = path.resolve(idTokenFile!);
      const result = federationResult(
        context,
        idpId!,
        tokenFile,
        `OIDC federation (${from})`,
        iamFrom,
        problems,
      );
      if (!result) return { problems, credentialError: true };
      return { result: { ...result, projectId: projectIdFrom || undefined } };
    }
    if (ak === undefined || sk === undefined) {
      const missing = [ak === undefined && "ak", sk === undefined && "sk"].filter(Boolean);
      const has = [ak !== undefined && "ak", sk !== undefined && "sk"].filter(Boolean);
      return fail(
        has.length === 0
          ? `the profile file ${file} has neither ak and sk nor idp_id and id_token_file in [${SECTION}]`
          : `the profile file ${file} has ${has.join(", ")} but no ${missing.join(", ")} in [${SECTION}]`,
      );
    }
    return {
      result: {
        credentials: {
          kind: "aksk",
          accessKey: ak,
          secretKey: new Secret(sk),
          ...(securityToken !== undefined && { securityToken: new Secret(securityToken) }),
        },
        source: `profile file ${file} [${SECTION}]`,
        projectId: projectIdFrom || undefined,
        iamEndpoint: iamFrom,
      },
    };
  },
};

/** As SSH does for keys: accepted, with a warning, when group or others may read it. */
function warnIfShared(file: string, warn: (message: string) => void): void {
  if (process.platform === "win32") return;
  try {
    const mode = statSync(file).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      warn(
        `the profile file ${file} is readable by group or others (mode ${mode.toString(8).padStart(4, "0")}); run: chmod 600 ${file}`,
      );
    }
  } catch {
    // It was just read; a stat that fails now changes nothing about the credentials.
  }
}
