// `drs-jobs status`: one look at a list of jobs, as a table or JSON.
import type { Command } from "commander";
import { DrsClient } from "../../api/client";
import { judge, type JobStatusEntry } from "../../api/status";
import {
  addConnectionOptions,
  addJobsFileOption,
  collectJobIds,
  reportError,
  setExitCode,
  settingsFromFlags,
  type ConnectionFlags,
} from "../common";
import { EXIT } from "../exit";

interface StatusFlags extends ConnectionFlags {
  json?: boolean;
  jobsFile?: string;
  failOnError?: boolean;
}

export function registerStatus(program: Command): void {
  const command = program
    .command("status")
    .description("Show the DRS status of jobs (one batch-status request per 100 jobs).")
    .argument("[jobId...]", "DRS job ids")
    .option("--json", 'print {"jobs":[{"id","status","phase","errorCode","errorMessage"}]}')
    .option(
      "--fail-on-error",
      "exit 1 when a job failed, was stopped or does not exist (default: exit 0 on any answer)",
    );
  addJobsFileOption(addConnectionOptions(command)).action(
    async (jobIdArgs: string[], flags: StatusFlags) => {
      setExitCode(await runStatus(jobIdArgs, flags));
    },
  );
}

export async function runStatus(jobIdArgs: string[], flags: StatusFlags): Promise<number> {
  try {
    const jobIds = await collectJobIds(jobIdArgs, flags.jobsFile);
    const client = new DrsClient(settingsFromFlags(flags));
    // No targets here: each job is judged against the default ones, as the waiter would.
    const entries = (await client.batchStatus(jobIds)).map((observation) => judge(observation));
    process.stdout.write(flags.json ? formatJson(entries) : formatTable(entries));
    if (!flags.failOnError) return EXIT.ok;
    const bad = entries.filter((e) => e.phase === "failed" || e.phase === "stopped");
    if (bad.length === 0) return EXIT.ok;
    const names = bad.slice(0, 10).map((e) => e.id);
    process.stderr.write(
      `drs-jobs status: ${bad.length} of ${entries.length} jobs failed, stopped or missing: ` +
        `${names.join(", ")}${bad.length > names.length ? ", ..." : ""}\n`,
    );
    return EXIT.jobFailed;
  } catch (err) {
    return reportError(err);
  }
}

/** Only the documented fields, absent ones left out, in the order asked. */
export function formatJson(entries: readonly JobStatusEntry[]): string {
  const jobs = entries.map(({ id, status, phase, errorCode, errorMessage }) => ({
    id,
    ...(status !== undefined && { status }),
    phase,
    ...(errorCode !== undefined && { errorCode }),
    ...(errorMessage !== undefined && { errorMessage }),
  }));
  return `${JSON.stringify({ jobs })}\n`;
}

export function formatTable(entries: readonly JobStatusEntry[]): string {
  const rows = entries.map((e) => [
    e.id,
    e.status ?? "-",
    phaseLabel(e),
    [e.errorCode, e.errorMessage].filter(Boolean).join(": "),
  ]);
  const header = ["JOB ID", "STATUS", "PHASE", "ERROR"];
  // A reduce, not Math.max(...rows): a spread of 120k rows overflows the call stack.
  const widths = header.map((h, i) => rows.reduce((w, r) => Math.max(w, r[i].length), h.length));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return `${[header, ...rows].map(line).join("\n")}\n`;
}

function phaseLabel(entry: JobStatusEntry): string {
  if (entry.paused) return `${entry.phase} (paused: resume it)`;
  if (entry.unknown) return `${entry.phase} (unknown status)`;
  if (entry.notFound) return `${entry.phase} (not found)`;
  return entry.phase;
}
