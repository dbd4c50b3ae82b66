// `drs-jobs status`: one look at a list of jobs, as a table or JSON.
import type { Command } from "commander";
import { DrsClient } from "../../api/client";
import { judge, type JobStatusEntry } from "../../api/status";
import { formatDuration } from "../../util/duration";
import { cannotBecomeReady, withProgress } from "../../wait/readiness";
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
  progress?: boolean;
}

export function registerStatus(program: Command): void {
  const command = program
    .command("status")
    .description("Show the DRS status of jobs (one batch-status request per 100 jobs).")
    .argument("[jobId...]", "DRS job ids")
    .option("--json", 'print {"jobs":[{"id","status","phase","errorCode","errorMessage"}]}')
    .option(
      "--progress",
      "add percent, replication lag and time left (one batch-progress request per 100 jobs)",
    )
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
    let entries = (await client.batchStatus(jobIds)).map((observation) => judge(observation));
    if (flags.progress) {
      const progress = new Map((await client.batchProgress(jobIds)).map((p) => [p.id, p]));
      entries = entries.map((entry) => withProgress(entry, progress.get(entry.id)));
    }
    process.stdout.write(
      flags.json ? formatJson(entries) : formatTable(entries, flags.progress === true),
    );
    if (!flags.failOnError) return EXIT.ok;
    const bad = entries.filter(cannotBecomeReady);
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
  const jobs = entries.map((e) => ({
    id: e.id,
    ...(e.status !== undefined && { status: e.status }),
    phase: e.phase,
    ...(e.errorCode !== undefined && { errorCode: e.errorCode }),
    ...(e.errorMessage !== undefined && { errorMessage: e.errorMessage }),
    ...(e.percent !== undefined && { percent: e.percent }),
    ...(e.replicationLagMs !== undefined && { replicationLagMs: e.replicationLagMs }),
    ...(e.remainingMs !== undefined && { remainingMs: e.remainingMs }),
    ...(e.comparisons !== undefined && { comparisons: e.comparisons }),
  }));
  return `${JSON.stringify({ jobs })}\n`;
}

const dash = (value: string | undefined) => value ?? "-";

export function formatTable(entries: readonly JobStatusEntry[], progress = false): string {
  const rows = entries.map((e) => [
    e.id,
    e.status ?? "-",
    phaseLabel(e),
    ...(progress
      ? [
          dash(e.percent === undefined ? undefined : `${e.percent}%`),
          dash(e.replicationLagMs === undefined ? undefined : formatDuration(e.replicationLagMs)),
          dash(e.remainingMs === undefined ? undefined : formatDuration(e.remainingMs)),
        ]
      : []),
    [e.errorCode, e.errorMessage].filter(Boolean).join(": "),
  ]);
  const header = [
    "JOB ID",
    "STATUS",
    "PHASE",
    ...(progress ? ["PROGRESS", "LAG", "TIME LEFT"] : []),
    "ERROR",
  ];
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
