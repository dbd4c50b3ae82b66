// `drs-jobs compare`: each job's latest DRS data comparison as a table (or JSON); with
// --start, one started (or the running one adopted) per job and waited for.
import type { Command } from "commander";
import { DrsClient } from "../../api/client";
import pLimit from "p-limit";
import { COMPARE_KINDS, type Comparison, type CompareKind } from "../../api/compare";
import { InputError } from "../../util/input-error";
import { timerDuration } from "../../util/duration";
import {
  describeTable,
  judgeComparison,
  latestComparison,
  readReport,
  failureLines,
  reportFailure,
  type ComparisonFailure,
  startOrAdopt,
  summarizeReport,
  type ComparisonReport,
} from "../../wait/compare";
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

interface CompareFlags extends ConnectionFlags {
  type: string;
  start?: boolean;
  json?: boolean;
  jobsFile?: string;
  timeout: string;
  interval: string;
}

/** Jobs asked at once: comparisons have no batch form, one job per call. */
const CONCURRENCY = 4;

export function registerCompare(program: Command): void {
  const command = program
    .command("compare")
    .description(
      "Show each job's latest DRS data comparison: status, when, databases and tables " +
        "compared, what differs. With --start, start one (or adopt the running one) and wait.",
    )
    .argument("[jobId...]", "DRS job ids")
    .option("--type <kind>", `what to compare: ${COMPARE_KINDS.join(", ")}`, "lines")
    .option(
      "--start",
      "start a comparison per job (or adopt the one running), wait for it to end; " +
        "exit 1 when a table differs, could not be compared, or the comparison failed",
    )
    .option("--timeout <duration>", "with --start: how long to wait", "60m")
    .option(
      "--interval <duration>",
      "with --start: how often to ask each comparison's status",
      "15s",
    )
    .option("--json", 'print {"jobs":[{id, comparison, databases, differing, uncomparable}]}');
  addJobsFileOption(addConnectionOptions(command)).action(
    async (jobIdArgs: string[], flags: CompareFlags) => {
      setExitCode(await runCompare(jobIdArgs, flags));
    },
  );
}

type Row = { jobId: string; report?: ComparisonReport; error?: string };

export async function runCompare(jobIdArgs: string[], flags: CompareFlags): Promise<number> {
  try {
    const jobIds = await collectJobIds(jobIdArgs, flags.jobsFile);
    const kind = flags.type as CompareKind;
    if (!COMPARE_KINDS.includes(kind)) {
      throw new InputError({
        field: "--type",
        reason: `must be one of ${COMPARE_KINDS.join(", ")} (got "${flags.type}")`,
      });
    }
    const timeoutMs = timerDuration(flags.timeout, "--timeout");
    const intervalMs = timerDuration(flags.interval, "--interval", 100);
    const client = new DrsClient(settingsFromFlags(flags));
    const deadline = Date.now() + timeoutMs;
    const rows = flags.start
      ? await startAllAndWait(client, jobIds, kind, deadline, intervalMs)
      : await pLimit(CONCURRENCY).map(jobIds, async (jobId): Promise<Row> => {
          const latest = await latestComparison(client, jobId, kind);
          if (!latest) return { jobId };
          return { jobId, report: await readReport(client, jobId, latest) };
        });
    process.stdout.write(flags.json ? formatJson(rows) : formatTable(rows, kind));
    if (!flags.start) return EXIT.ok;
    const lines: string[] = [];
    const failures: ComparisonFailure[] = [];
    let timedOut = false;
    for (const row of rows) {
      if (row.error) {
        timedOut = true;
        lines.push(`${row.jobId}: ${row.error}`);
        continue;
      }
      const verdict = judgeComparison(row.report!);
      if (verdict.state === "failed")
        lines.push(`${row.jobId}: comparison failed: ${verdict.message}`);
      if (verdict.state === "inconsistent") failures.push(reportFailure(row.report!));
    }
    lines.push(...failureLines(failures));
    if (lines.length === 0) return EXIT.ok;
    process.stderr.write(`drs-jobs compare:\n${lines.map((l) => `  ${l}`).join("\n")}\n`);
    return timedOut && lines.length === rows.filter((r) => r.error).length
      ? EXIT.timeout
      : EXIT.jobFailed;
  } catch (err) {
    return reportError(err);
  }
}

/**
 * Starts (or adopts) a comparison on every job, then looks at the unfinished ones every
 * `intervalMs` until all ended or the deadline: every job's comparison runs at once in DRS,
 * only the calls are at most CONCURRENCY at a time.
 */
async function startAllAndWait(
  client: DrsClient,
  jobIds: readonly string[],
  kind: CompareKind,
  deadline: number,
  intervalMs: number,
): Promise<Row[]> {
  interface State {
    jobId: string;
    comparison?: Comparison;
    blockedBy?: Comparison;
    report?: ComparisonReport;
    ended: boolean;
    error?: string;
  }
  const states: State[] = jobIds.map((jobId) => ({ jobId, ended: false }));
  for (;;) {
    await pLimit(CONCURRENCY).map(
      states.filter((s) => !s.ended),
      async (s) => {
        if (!s.comparison) {
          const started = await startOrAdopt(client, s.jobId, kind);
          if ("blockedBy" in started) {
            s.blockedBy = started.blockedBy;
            return;
          }
          s.blockedBy = undefined;
          s.comparison = started.comparison;
          process.stderr.write(
            `drs-jobs compare: ${s.jobId}: ${started.adopted ? "adopted the running" : "started"} ${kind} comparison ${s.comparison.id ?? ""}\n`,
          );
        }
        s.report = await readReport(client, s.jobId, s.comparison);
        s.ended = s.report.comparison.phase !== "running";
      },
    );
    if (states.every((s) => s.ended)) break;
    if (Date.now() + intervalMs > deadline) {
      const unit = kind === "objects" ? "object types" : "databases";
      for (const s of states.filter((st) => !st.ended)) {
        s.error = s.blockedBy
          ? `timed out: DRS runs comparison ${s.blockedBy.id} (${s.blockedBy.kind}) of this job, one at a time`
          : `timed out: comparison ${s.comparison?.id ?? ""} still ${s.report?.comparison.status ?? "RUNNING"}, ${s.report?.done ?? 0}/${s.report?.total ?? 0} ${unit}`;
      }
      break;
    }
    await sleep(intervalMs);
  }
  return states.map(({ jobId, report, error }) => ({
    jobId,
    ...(report && { report }),
    ...(error !== undefined && { error }),
  }));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function formatJson(rows: readonly Row[]): string {
  const jobs = rows.map(({ jobId, report, error }) => ({
    id: jobId,
    ...(report && {
      comparison: summarizeReport(report),
      done: report.done,
      total: report.total,
      tablesUncomparable: report.tablesUncomparable,
      differing: report.differing,
      uncomparable: report.uncomparable,
    }),
    ...(error !== undefined && { error }),
  }));
  return `${JSON.stringify({ jobs })}\n`;
}

function formatTable(rows: readonly Row[], kind: CompareKind): string {
  const unit = kind === "objects" ? "TYPES" : "DATABASES";
  const header = ["JOB ID", "COMPARISON", "STATUS", "STARTED", "ENDED", unit, "TABLES", "DIFFER"];
  if (kind === "objects") header[6] = "COMPARED";
  const cells = rows.map(({ jobId, report }) => {
    if (!report) return [jobId, "-", `no ${kind} comparison`, "-", "-", "-", "-", "-"];
    const c = report.comparison;
    return [
      jobId,
      c.id ?? "-",
      c.status,
      c.startedAt ?? "-",
      c.endedAt ?? "-",
      `${report.done}/${report.total}`,
      String(report.tablesCompared),
      String(report.tablesInconsistent + report.tablesUncomparable),
    ];
  });
  const widths = header.map((h, i) => cells.reduce((w, r) => Math.max(w, r[i].length), h.length));
  const line = (row: string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  const details = rows.flatMap(({ jobId, report }) => {
    if (!report) return [];
    const more = report.tablesInconsistent - report.differing.length;
    return [
      ...report.differing.map((t) => `  ${jobId}: differs: ${describeTable(t, kind)}`),
      ...(more > 0 ? [`  ${jobId}: and ${more} more differ`] : []),
      ...report.uncomparable.map((t) => `  ${jobId}: ${describeTable(t, kind)}`),
      ...(report.comparison.message ? [`  ${jobId}: ${report.comparison.message}`] : []),
    ];
  });
  return `${[header, ...cells].map(line).join("\n")}\n${details.map((d) => `${d}\n`).join("")}`;
}
