// `drs-jobs auth`: which credential source is chosen, and does it work. Prints the source, the
// access key id masked, the project id and where it came from, and when temporary keys expire;
// never a secret. Then it asks DRS once (a batch-status of one id no job has: cheap, and only
// credentials DRS accepts get an answer), so "works" means DRS said so. Exit 4 with the reason
// when no source works or DRS refuses them; `--offline` skips the call.
import type { Command } from "commander";
import { DrsApiError, DrsClient, DrsSettingsError } from "../../api";
import { inspectCredentials, type CredentialReport } from "../../api/auth/report";
import { EXIT } from "../exit";
import {
  addConnectionOptions,
  reportError,
  setExitCode,
  settingsFromFlags,
  type ConnectionFlags,
} from "../common";

interface AuthFlags extends ConnectionFlags {
  json?: boolean;
  offline?: boolean;
}

/** A valid job id that no DRS job has (theirs are UUIDs with a suffix). */
export const AUTH_CHECK_JOB_ID = "drs-jobs-auth-check";

/** What `auth` prints: the credentials, and where DRS accepted them (unless `--offline`). */
export interface AuthReport extends CredentialReport {
  /** e.g. "DRS batch-status at https://drs.cn-north-4.myhuaweicloud.com". */
  acceptedBy?: string;
}

export function registerAuth(program: Command): void {
  const command = program
    .command("auth")
    .description(
      "Show which credential source is used (and check it works): source, masked access key, project id, expiry.",
    )
    .option("--json", "print the report as JSON")
    .option("--offline", "only resolve the credentials; do not ask DRS whether it accepts them");
  addConnectionOptions(command).action(async (flags: AuthFlags) => {
    setExitCode(await runAuth(flags));
  });
}

export async function runAuth(flags: AuthFlags): Promise<number> {
  let report: AuthReport;
  try {
    report = await inspectCredentials(settingsFromFlags(flags));
  } catch (err) {
    if (err instanceof DrsSettingsError || err instanceof DrsApiError) {
      process.stderr.write(`drs-jobs auth: no working credentials: ${err.message}\n`);
      return EXIT.api;
    }
    throw err;
  }
  if (!flags.offline) {
    try {
      report = { ...report, acceptedBy: await askDrs(flags, report.projectId) };
    } catch (err) {
      if (err instanceof DrsApiError) {
        const refused = err.httpStatus === 401 || err.httpStatus === 403;
        process.stderr.write(
          `drs-jobs auth: ${refused ? "DRS refused the credentials" : "could not check the credentials with DRS"} from ${report.source}: ${err.message}\n`,
        );
        return EXIT.api;
      }
      return reportError(err);
    }
  }
  process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : formatReport(report));
  return EXIT.ok;
}

/** One authenticated batch-status; resolves with where it was accepted. */
async function askDrs(flags: AuthFlags, projectId: string): Promise<string> {
  // The project id found above (maybe looked up in IAM) is used, not looked up again.
  // Warnings about the settings were printed by the first resolution already.
  const client = new DrsClient({ ...settingsFromFlags(flags), projectId, onWarning: () => {} });
  await client.batchStatus([AUTH_CHECK_JOB_ID]);
  return `DRS batch-status at ${client.settings.endpoint}`;
}

export function formatReport(r: AuthReport): string {
  const kind = {
    token: "IAM token",
    password: "IAM user and password",
    aksk: r.securityToken ? "AK/SK with a security token" : "AK/SK",
    federation: "temporary AK/SK from OIDC federation",
    "ecs-metadata": "temporary AK/SK of the ECS agency",
  }[r.kind];
  const rows: [string, string][] = [
    ["source", r.source],
    ["credentials", kind],
    ...(r.accessKey ? [["access key", r.accessKey] as [string, string]] : []),
    ...(r.expiresAt ? [["expires", r.expiresAt] as [string, string]] : []),
    ["project id", `${r.projectId} (${r.projectIdSource})`],
    ["checked", r.acceptedBy ? `accepted by ${r.acceptedBy}` : "not asked (--offline)"],
  ];
  return rows.map(([name, value]) => `${`${name}:`.padEnd(13)}${value}\n`).join("");
}
