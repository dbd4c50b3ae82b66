// `drs-jobs auth`: which credential source is chosen, and does it work. Prints the source, the
// access key id masked, the project id and where it came from, and when temporary keys expire;
// never a secret. Exit 4 with the reason when no source works.
import type { Command } from "commander";
import { DrsApiError, DrsSettingsError } from "../../api";
import { inspectCredentials, type CredentialReport } from "../../api/auth/report";
import { EXIT } from "../exit";
import {
  addConnectionOptions,
  setExitCode,
  settingsFromFlags,
  type ConnectionFlags,
} from "../common";

interface AuthFlags extends ConnectionFlags {
  json?: boolean;
}

export function registerAuth(program: Command): void {
  const command = program
    .command("auth")
    .description(
      "Show which credential source is used (and check it works): source, masked access key, project id, expiry.",
    )
    .option("--json", "print the report as JSON");
  addConnectionOptions(command).action(async (flags: AuthFlags) => {
    setExitCode(await runAuth(flags));
  });
}

export async function runAuth(flags: AuthFlags): Promise<number> {
  let report: CredentialReport;
  try {
    report = await inspectCredentials(settingsFromFlags(flags));
  } catch (err) {
    if (err instanceof DrsSettingsError || err instanceof DrsApiError) {
      process.stderr.write(`drs-jobs auth: no working credentials: ${err.message}\n`);
      return EXIT.api;
    }
    throw err;
  }
  process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : formatReport(report));
  return EXIT.ok;
}

export function formatReport(r: CredentialReport): string {
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
  ];
  return rows.map(([name, value]) => `${`${name}:`.padEnd(13)}${value}\n`).join("");
}
