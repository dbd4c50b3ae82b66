// DRS data comparisons for a gate and for `drs-jobs compare`: find a job's latest comparison,
// start one or adopt the one running, read what it found, and judge it. The gate's rule is
// here and nowhere else: a comparison opens the gate only when it ended SUCCESSFUL and every
// table (object type) it compared is consistent; a table that differs, a table DRS could not
// compare, or a comparison that ended FAILED, CANCELLED or TIMEOUT_INTERRUPT closes it.
import type {
  Comparison,
  CompareKind,
  DatabaseComparison,
  ObjectComparison,
  ObjectTypeComparison,
  TableComparison,
} from "../api/compare";
import { DrsApiError } from "../api/errors";
import { COMPARE_BUSY_CODE, type DataCompareType } from "../api/wire";

/** What the comparison side of a gate needs from a DrsClient. */
export interface ComparisonSource {
  createComparison(jobId: string, type: DataCompareType, o?: Opts): Promise<string>;
  createObjectComparison(jobId: string, o?: Opts): Promise<void>;
  listComparisons(jobId: string, o?: Opts): Promise<Comparison[]>;
  comparisonOverview(
    jobId: string,
    compareJobId: string,
    type: DataCompareType,
    o?: Opts,
  ): Promise<DatabaseComparison[]>;
  comparisonDetail(
    jobId: string,
    compareJobId: string,
    type: DataCompareType,
    db: string,
    which?: "compare" | "unCompare",
    o?: Opts,
  ): Promise<TableComparison[]>;
  objectComparison(jobId: string, o?: Opts): Promise<ObjectComparison | undefined>;
}

interface Opts {
  signal?: AbortSignal;
}

/** A comparison's status is asked no more often than this per job (or the poll interval, if longer). */
export const COMPARE_POLL_MIN_MS = 15_000;
/** A failed gate names this many differing tables, then counts the rest. */
export const SHOWN_TABLES = 20;

/** The words a progress line and a report use for each kind. */
export const KIND_NOUN: Record<CompareKind, string> = {
  lines: "rows",
  contents: "contents",
  objects: "objects",
};

/** What a comparison found, as far as it got. */
export interface ComparisonReport {
  jobId: string;
  kind: CompareKind;
  comparison: Comparison;
  /** Databases (data level) or object types (object level) compared so far, and in all. */
  done: number;
  total: number;
  tablesCompared: number;
  tablesInconsistent: number;
  tablesUncomparable: number;
  /** The first SHOWN_TABLES differing tables (object types: `db` is "objects"), once ended. */
  differing: TableComparison[];
  /** Tables (or whole databases) DRS could not compare, with the reason, once ended. */
  uncomparable: TableComparison[];
  databases?: DatabaseComparison[];
  objectTypes?: ObjectTypeComparison[];
}

export type ComparisonVerdict =
  | { state: "running" }
  | { state: "consistent" }
  | { state: "inconsistent" }
  | { state: "failed"; message: string };

/** The rule: consistent only when ended SUCCESSFUL with nothing that differs or went unchecked. */
export function judgeComparison(report: ComparisonReport): ComparisonVerdict {
  const { comparison } = report;
  if (comparison.phase === "running") return { state: "running" };
  if (comparison.phase === "failed") {
    return {
      state: "failed",
      message: comparison.message ?? `DRS ended the comparison ${comparison.status}`,
    };
  }
  if (report.tablesInconsistent > 0 || report.tablesUncomparable > 0) {
    return { state: "inconsistent" };
  }
  return { state: "consistent" };
}

const byStart = (a: Comparison, b: Comparison) =>
  (a.startedAt ?? "").localeCompare(b.startedAt ?? "");

/** The job's newest comparison of `kind` (a running one first), or undefined if it has none. */
export async function latestComparison(
  source: ComparisonSource,
  jobId: string,
  kind: CompareKind,
  signal?: AbortSignal,
): Promise<Comparison | undefined> {
  if (kind === "objects") return source.objectComparison(jobId, { signal });
  const all = (await source.listComparisons(jobId, { signal })).filter((c) => c.kind === kind);
  const running = all.filter((c) => c.phase === "running").sort(byStart);
  return running.at(-1) ?? [...all].sort(byStart).at(-1);
}

export type StartResult =
  | { comparison: Comparison; adopted: boolean }
  /** Another data-level comparison (of the other kind) is running: DRS allows one at a time. */
  | { blockedBy: Comparison };

/**
 * Adopts the job's running comparison of `kind`, or starts one. Never a second one, never
 * cancelling one: when DRS refuses a create because one started meanwhile, that one is
 * adopted; when one of the other data-level kind runs, the caller waits for it to end.
 */
export async function startOrAdopt(
  source: ComparisonSource,
  jobId: string,
  kind: CompareKind,
  signal?: AbortSignal,
): Promise<StartResult> {
  const o = { signal };
  if (kind === "objects") {
    const current = await source.objectComparison(jobId, o);
    if (current?.phase === "running") return { comparison: current, adopted: true };
    try {
      await source.createObjectComparison(jobId, o);
    } catch (err) {
      if (!isBusy(err)) throw err;
      const now = await source.objectComparison(jobId, o);
      if (now) return { comparison: now, adopted: true };
      throw err;
    }
    const started = await source.objectComparison(jobId, o);
    if (!started) throw new Error(`DRS started no object comparison for job ${jobId}`);
    return { comparison: started, adopted: false };
  }
  const runningNow = async () =>
    (await source.listComparisons(jobId, o)).filter((c) => c.phase === "running").sort(byStart);
  const running = await runningNow();
  const mine = running.filter((c) => c.kind === kind).at(-1);
  if (mine) return { comparison: mine, adopted: true };
  if (running.length > 0) return { blockedBy: running.at(-1)! };
  try {
    const id = await source.createComparison(jobId, kind, o);
    // Its status is read by the first look (readReport), not by another list here.
    return { comparison: { id, kind, status: "RUNNING", phase: "running" }, adopted: false };
  } catch (err) {
    if (!isBusy(err)) throw err;
    const raced = await runningNow();
    const theirs = raced.filter((c) => c.kind === kind).at(-1);
    if (theirs) return { comparison: theirs, adopted: true };
    if (raced.length > 0) return { blockedBy: raced.at(-1)! };
    throw err;
  }
}

function isBusy(err: unknown): boolean {
  return (
    err instanceof DrsApiError && err.httpStatus === 400 && err.errorCode === COMPARE_BUSY_CODE
  );
}

/**
 * What `comparison` found: its status as listed now (object level: the overview), the
 * per-database totals, and, once it ended, the tables that differ or went unchecked (at most
 * SHOWN_TABLES differing ones are fetched; the totals count the rest).
 */
export async function readReport(
  source: ComparisonSource,
  jobId: string,
  comparison: Comparison,
  signal?: AbortSignal,
): Promise<ComparisonReport> {
  const o = { signal };
  if (comparison.kind === "objects") {
    const now = (await source.objectComparison(jobId, o)) ?? (comparison as ObjectComparison);
    return objectReport(jobId, now);
  }
  const type = comparison.kind as DataCompareType;
  const listed = (await source.listComparisons(jobId, o)).find((c) => c.id === comparison.id);
  if (!listed) {
    throw new Error(`DRS no longer lists comparison ${comparison.id} of job ${jobId}`);
  }
  const databases = await source.comparisonOverview(jobId, listed.id!, type, o);
  const report: ComparisonReport = {
    jobId,
    kind: listed.kind,
    comparison: listed,
    done: databases.filter((d) => d.state !== "comparing" && d.state !== "waiting").length,
    total: databases.length,
    tablesCompared: sum(databases, (d) => d.tablesCompared ?? 0),
    tablesInconsistent: sum(databases, (d) => d.tablesInconsistent ?? 0),
    tablesUncomparable: 0,
    differing: [],
    uncomparable: [],
    databases,
  };
  if (listed.phase !== "succeeded") return report;
  for (const db of databases) {
    if (db.state === "uncomparable" && !db.tables) {
      // The whole database went unchecked (missing, unreachable): no tables to list.
      report.uncomparable.push({ db: db.sourceDb, table: "*", state: db.state, reason: db.reason });
      continue;
    }
    const mayDiffer = (db.tablesInconsistent ?? 0) > 0 || db.state === "inconsistent";
    if (mayDiffer && report.differing.length < SHOWN_TABLES) {
      const tables = await source.comparisonDetail(
        jobId,
        listed.id!,
        type,
        db.sourceDb,
        "compare",
        o,
      );
      for (const t of tables) {
        if (t.state === "inconsistent" && report.differing.length < SHOWN_TABLES) {
          report.differing.push(t);
        }
        // Listed as compared, yet DRS could not say (a code 3-27): unchecked.
        if (t.state === "uncomparable" || t.state === "cancelled") report.uncomparable.push(t);
      }
    }
    if ((db.tablesUncomparable ?? 0) > 0) {
      const tables = await source.comparisonDetail(
        jobId,
        listed.id!,
        type,
        db.sourceDb,
        "unCompare",
        o,
      );
      report.uncomparable.push(
        ...(tables.length > 0
          ? tables.map((t) =>
              t.state === "uncomparable" ? t : { ...t, state: "uncomparable" as const },
            )
          : [
              {
                db: db.sourceDb,
                table: "*",
                state: "uncomparable" as const,
                reason: `${db.tablesUncomparable} tables DRS could not compare`,
              },
            ]),
      );
    }
  }
  // A count DRS left out is no excuse: whatever was named counts at least.
  report.tablesInconsistent = Math.max(report.tablesInconsistent, report.differing.length);
  report.tablesUncomparable = report.uncomparable.length;
  return report;
}

function objectReport(jobId: string, comparison: ObjectComparison): ComparisonReport {
  const types = comparison.types;
  const ended = comparison.phase !== "running";
  const differing = types
    .filter((t) => t.state === "inconsistent")
    .map((t) => ({
      db: "objects",
      table: t.type,
      sourceRows: t.sourceCount,
      targetRows: t.targetCount,
      differenceRows:
        t.sourceCount !== undefined && t.targetCount !== undefined
          ? t.sourceCount - t.targetCount
          : undefined,
      state: t.state,
    }));
  const uncomparable =
    comparison.phase === "succeeded"
      ? types
          .filter((t) => t.state !== "inconsistent" && t.state !== "consistent")
          .map((t) => ({
            db: "objects",
            table: t.type,
            state: "uncomparable" as const,
            reason: t.state === "comparing" ? "not finished" : `status ${t.code ?? "missing"}`,
          }))
      : [];
  return {
    jobId,
    kind: "objects",
    comparison,
    done: ended ? types.length : types.filter((t) => t.state !== "comparing").length,
    total: types.length,
    tablesCompared: types.filter((t) => t.state !== "comparing").length,
    tablesInconsistent: differing.length,
    tablesUncomparable: uncomparable.length,
    differing: differing.slice(0, SHOWN_TABLES),
    uncomparable,
    objectTypes: types,
  };
}

function sum<T>(items: readonly T[], of: (item: T) => number): number {
  return items.reduce((total, item) => total + of(item), 0);
}

/** `shop.orders: 500017 rows at the source, 499998 at the target (19 differ)`. */
export function describeTable(table: TableComparison, kind: CompareKind): string {
  const name = kind === "objects" ? `${table.table} objects` : `${table.db}.${table.table}`;
  if (table.state === "uncomparable" || table.state === "cancelled") {
    return `${name}: not compared (${table.reason ?? "DRS gave no reason"})`;
  }
  const unit = kind === "objects" ? "" : " rows";
  const counts =
    table.sourceRows !== undefined && table.targetRows !== undefined
      ? `${table.sourceRows}${unit} at the source, ${table.targetRows} at the target`
      : "counts not reported";
  const difference =
    table.differenceRows !== undefined
      ? ` (difference ${table.differenceRows})`
      : table.sourceRows !== undefined && table.targetRows !== undefined
        ? ` (difference ${table.sourceRows - table.targetRows})`
        : "";
  const reason = table.reason ? `; ${table.reason}` : "";
  return `${name}: ${counts}${difference}${reason}`;
}

/** Why comparisons closed a gate: a line per table named, and how many more differ. */
export interface ComparisonFailure {
  /** Differing tables first (at most SHOWN_TABLES per comparison), then unchecked ones. */
  lines: { text: string; unchecked?: true }[];
  /** Differing tables DRS counted beyond those named. */
  more: number;
}

/** What a comparison that did not find the target consistent has to say. */
export function reportFailure(report: ComparisonReport): ComparisonFailure {
  const noun = KIND_NOUN[report.kind];
  return {
    lines: [
      ...report.differing.map((t) => ({
        text: `${report.jobId}: ${noun} differ in ${describeTable(t, report.kind)}`,
      })),
      ...report.uncomparable.map((t) => ({
        text: `${report.jobId}: ${describeTable(t, report.kind)}`,
        unchecked: true as const,
      })),
    ],
    more: report.tablesInconsistent - report.differing.length,
  };
}

/** The first SHOWN_TABLES lines of every failure, then a count of the rest. */
export function failureLines(failures: readonly ComparisonFailure[]): string[] {
  const all = failures.flatMap((f) => f.lines);
  const rest = all.slice(SHOWN_TABLES);
  const more = rest.length + failures.reduce((n, f) => n + f.more, 0);
  const lines = all.slice(0, SHOWN_TABLES).map((l) => l.text);
  if (more > 0) {
    const what = rest.some((l) => l.unchecked) ? "differ or were not compared" : "differ";
    lines.push(`and ${more} more tables ${what}`);
  }
  return lines;
}

/** The per-job summary a gate's outputs carry. */
export interface ComparisonSummary {
  id?: string;
  kind: CompareKind;
  status: string;
  startedAt?: string;
  endedAt?: string;
  /** Tables (object types) compared, and how many of them differ. */
  tablesCompared: number;
  tablesInconsistent: number;
}

export function summarizeReport(report: ComparisonReport): ComparisonSummary {
  const c = report.comparison;
  return {
    ...(c.id !== undefined && { id: c.id }),
    kind: report.kind,
    status: c.status,
    ...(c.startedAt !== undefined && { startedAt: c.startedAt }),
    ...(c.endedAt !== undefined && { endedAt: c.endedAt }),
    tablesCompared: report.tablesCompared,
    tablesInconsistent: report.tablesInconsistent,
  };
}
