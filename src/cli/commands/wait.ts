// `drs-jobs wait`: block a pipeline step until DRS jobs are ready, with the same engine the
// Pulumi JobWaiter uses. Exit codes in ../exit.ts.
import type { Command } from "commander";
import { DEFAULT_TARGET_STATUSES, type JobStatusEntry } from "../../api/status";
import {
  ComparisonFailedError,
  JobsFailedError,
  WaitAbortedError,
  WaitTimeoutError,
} from "../../wait/errors";
import { summarize, type WaitProgress } from "../../wait/progress";
import { DEFAULT_POLL_INTERVAL, DEFAULT_TIMEOUT, waitForJobs } from "../../wait/wait-for-jobs";
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
import { formatJson } from "./status";

interface WaitFlags extends ConnectionFlags {
  target?: string;
  timeout?: string;
  interval?: string;
  json?: boolean;
  jobsFile?: string;
  maxLag?: string;
  lagStableFor?: string;
  progress?: boolean;
  compare?: string;
}

export function registerWait(program: Command): void {
  const command = program
    .command("wait")
    .description(
      "Wait until every job is in a target status. Exit 0 ready, 1 a job failed/stopped/missing, " +
        "2 bad usage, 3 timed out, 4 API error, 130 interrupted (SIGINT), 143 terminated (SIGTERM).",
    )
    .argument("[jobId...]", "DRS job ids")
    .option(
      "--target <statuses>",
      "comma-separated target statuses",
      DEFAULT_TARGET_STATUSES.join(","),
    )
    .option(
      "--timeout <duration>",
      'give up after this long, e.g. "30m"; 0 checks once (a wait always completes one poll)',
      String(DEFAULT_TIMEOUT),
    )
    .option("--interval <duration>", 'poll interval, e.g. "10s"', String(DEFAULT_POLL_INTERVAL))
    .option(
      "--max-lag <duration>",
      'a job in INCRE_TRANSFER_STARTED is ready only once its replication lag is at most this, e.g. "5s"',
    )
    .option(
      "--lag-stable-for <duration>",
      "with --max-lag: the lag must stay low this long, over consecutive polls (default: one poll)",
    )
    .option(
      "--compare <kinds>",
      "once every job is otherwise ready, run a DRS data comparison per job (or adopt the running one) " +
        "and exit 0 only if every table is consistent; kinds: lines, contents, objects (comma-separated)",
    )
    .option("--progress", "show percent, time left and lag in the progress line")
    .option("--json", "print the final statuses as JSON on stdout (as status --json)");
  addJobsFileOption(addConnectionOptions(command)).action(
    async (args: string[], flags: WaitFlags) => {
      setExitCode(await runWait(args, flags));
    },
  );
}

export async function runWait(
  jobIdArgs: string[],
  flags: WaitFlags,
  stderr: NodeJS.WriteStream = process.stderr,
): Promise<number> {
  // SIGINT (Ctrl-C) and SIGTERM (a CI system cancelling the job) both stop polling and end
  // with the partial result; the exit code says which.
  const controller = new AbortController();
  const onSigint = () => controller.abort("SIGINT");
  const onSigterm = () => controller.abort("SIGTERM");
  process.once("SIGINT", onSigint);
  process.once("SIGTERM", onSigterm);
  const progress = progressPrinter(stderr);
  try {
    const jobIds = await collectJobIds(jobIdArgs, flags.jobsFile);
    const result = await waitForJobs(jobIds, {
      ...settingsFromFlags(flags),
      targetStatuses: flags.target
        ?.split(",")
        .map((s) => s.trim())
        .filter(Boolean),
      timeout: flags.timeout,
      pollInterval: flags.interval,
      maxReplicationLag: flags.maxLag,
      lagStableFor: flags.lagStableFor,
      showProgress: flags.progress === true,
      compare: flags.compare?.split(",").map((s) => s.trim()),
      signal: controller.signal,
      onProgress: progress.update,
    });
    progress.done(`all ${result.jobs.length} jobs ready${comparedNote(result.jobs)}`);
    if (flags.json) process.stdout.write(formatJson(result.jobs));
    return EXIT.ok;
  } catch (err) {
    progress.done();
    const verdict = verdictOf(err);
    if (!verdict) return reportError(err, stderr);
    stderr.write(`drs-jobs: ${verdict.message}\n`);
    if (flags.json) process.stdout.write(formatJson(verdict.jobs));
    return verdict.code;
  } finally {
    process.removeListener("SIGINT", onSigint);
    process.removeListener("SIGTERM", onSigterm);
  }
}

interface Verdict {
  code: number;
  message: string;
  jobs: readonly JobStatusEntry[];
}

function verdictOf(err: unknown): Verdict | undefined {
  if (err instanceof ComparisonFailedError) {
    return { code: EXIT.jobFailed, message: err.message, jobs: err.jobs };
  }
  if (err instanceof JobsFailedError) {
    return { code: EXIT.jobFailed, message: err.message, jobs: err.jobs };
  }
  if (err instanceof WaitTimeoutError) {
    return { code: EXIT.timeout, message: err.message, jobs: err.jobs };
  }
  if (err instanceof WaitAbortedError) {
    const terminated = err.cause === "SIGTERM";
    const ready = err.jobs.filter((job) => job.phase === "ready").length;
    return {
      code: terminated ? EXIT.terminated : EXIT.interrupted,
      message: `${terminated ? "terminated (SIGTERM)" : "interrupted (SIGINT)"}: stopped waiting with ${ready}/${err.jobs.length} jobs ready`,
      jobs: err.jobs,
    };
  }
  return undefined;
}

/** A live line on a terminal; elsewhere (CI logs) one line per change. */
function progressPrinter(stderr: NodeJS.WriteStream) {
  const live = Boolean(stderr.isTTY);
  let last = "";
  return {
    update: (progress: WaitProgress) => {
      const line = summarize(progress);
      if (line === last) return;
      last = line;
      if (live) stderr.write(`\r\x1b[2K${line}`);
      else stderr.write(`${line}\n`);
    },
    done: (message?: string) => {
      if (live && last) stderr.write("\r\x1b[2K");
      if (message) stderr.write(`${message}\n`);
    },
  };
}

/** `; compared: 3 tables (lines), all consistent` when the gate ran comparisons. */
function comparedNote(jobs: readonly JobStatusEntry[]): string {
  const all = jobs.flatMap((job) => job.comparisons ?? []);
  if (all.length === 0) return "";
  const kinds = [...new Set(all.map((c) => c.kind))].join(", ");
  const tables = all.reduce((n, c) => n + c.tablesCompared, 0);
  return `; compared ${kinds}: ${tables} tables, all consistent`;
}
