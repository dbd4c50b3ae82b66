// The simulator's data comparisons: a job's scripted tables (scenario `compare`), the
// comparisons started on it, and what each reports at a moment of the simulator clock. A
// comparison runs for the job's `duration`, its tables finishing one after another in equal
// slices, then ends SUCCESSFUL (or FAILED with the scenario's `fail`). Tables are copied when
// a comparison starts: changing a job's tables later changes the next comparison only.
import { randomUUID } from "node:crypto";
import type {
  CompareJobInfo,
  DataCompareOverviewInfo,
  DataCompareType,
  NodeContentCompareDetailResult,
  NodeContentCompareOverviewResult,
  ObjectsCompareOverviewInfo,
  TableLineCompareResultInfo,
} from "../api/wire";
import type { SimClock } from "./clock";
import type { CompareSpec, CompareTable } from "./types";
import { Issues, isRecord } from "./validate";

/** A comparison when none is scripted: no tables, one second. */
export const DEFAULT_COMPARE: CompareSpec = { durationMs: 1000, tables: [] };

interface Run {
  id: string;
  type: DataCompareType | "objects";
  startMs: number;
  spec: CompareSpec;
}

/** Why a create was refused: the unfinished comparison's id. */
export class CompareBusy extends Error {
  constructor(readonly running: string) {
    super(`comparison ${running} is still running`);
  }
}

export class CompareStore {
  readonly #specs = new Map<string, CompareSpec>();
  /** Per job, data-level comparisons, oldest first. */
  readonly #runs = new Map<string, Run[]>();
  /** Per job, the latest object-level comparison. */
  readonly #objects = new Map<string, Run>();

  constructor(private readonly clock: SimClock) {}

  spec(jobId: string): CompareSpec {
    return this.#specs.get(jobId) ?? DEFAULT_COMPARE;
  }

  setSpec(jobId: string, spec: CompareSpec): void {
    this.#specs.set(jobId, spec);
  }

  /** Starts a data-level comparison; CompareBusy while one is unfinished. */
  start(jobId: string, type: DataCompareType): string {
    const unfinished = (this.#runs.get(jobId) ?? []).find((run) => !this.#ended(run));
    if (unfinished) throw new CompareBusy(unfinished.id);
    const run = this.#newRun(jobId, type);
    this.#runs.set(jobId, [...(this.#runs.get(jobId) ?? []), run]);
    return run.id;
  }

  startObjects(jobId: string): string {
    const current = this.#objects.get(jobId);
    if (current && !this.#ended(current)) throw new CompareBusy(current.id);
    const run = this.#newRun(jobId, "objects");
    this.#objects.set(jobId, run);
    return run.id;
  }

  #newRun(jobId: string, type: Run["type"]): Run {
    const spec = structuredClone(this.spec(jobId));
    return { id: randomUUID(), type, startMs: this.clock.elapsed(), spec };
  }

  /** The job's data-level comparisons, newest first (as the console lists them). */
  list(jobId: string): CompareJobInfo[] {
    return [...(this.#runs.get(jobId) ?? [])].reverse().map((run) => this.#info(run));
  }

  find(jobId: string, compareJobId: string): Run | undefined {
    return this.#runs.get(jobId)?.find((run) => run.id === compareJobId);
  }

  #ended(run: Run): boolean {
    return this.clock.elapsed() - run.startMs >= run.spec.durationMs;
  }

  #iso(elapsedMs: number): string {
    // Whole seconds, as DRS writes them: "2020-09-01T18:50:20Z".
    const epoch = this.clock.startedAt + elapsedMs;
    return new Date(Math.floor(epoch / 1000) * 1000).toISOString().replace(".000Z", "Z");
  }

  #status(run: Run): string {
    if (!this.#ended(run)) return "RUNNING";
    return run.spec.fail !== undefined ? "FAILED" : "SUCCESSFUL";
  }

  #info(run: Run): CompareJobInfo {
    const status = this.#status(run);
    const info: CompareJobInfo = {
      id: run.id,
      type: run.type,
      start_time: this.#iso(run.startMs),
      status,
      export_status: "INIT",
      report_remain_seconds: -1,
    };
    if (this.#ended(run)) info.end_time = this.#iso(run.startMs + run.spec.durationMs);
    if (status === "FAILED") info.error_msg = run.spec.fail;
    return info;
  }

  /** Whether table `index` of `run` is done: tables finish in equal slices of the duration. */
  #tableDone(run: Run, index: number): boolean {
    if (run.spec.fail !== undefined) return false;
    const elapsed = this.clock.elapsed() - run.startMs;
    const n = run.spec.tables.length;
    return elapsed >= (run.spec.durationMs * (index + 1)) / n;
  }

  #byDb(run: Run): Map<string, { table: CompareTable; index: number }[]> {
    const dbs = new Map<string, { table: CompareTable; index: number }[]>();
    run.spec.tables.forEach((table, index) => {
      dbs.set(table.db, [...(dbs.get(table.db) ?? []), { table, index }]);
    });
    return dbs;
  }

  /** line-overview's entries (content-overview renames the two database fields). */
  overview(run: Run): DataCompareOverviewInfo[] {
    return [...this.#byDb(run)].map(([db, tables]) => {
      const done = tables.filter(({ index }) => this.#tableDone(run, index));
      const inconsistent = done.filter(({ table }) => table.source !== table.target).length;
      const finished = done.length === tables.length;
      return {
        source_db_name: db,
        target_db_name: db,
        // 5 comparing, 4 failed, 0 inconsistent, 2 consistent.
        status:
          !this.#ended(run) && !finished
            ? 5
            : run.spec.fail !== undefined
              ? 4
              : inconsistent > 0
                ? 0
                : 2,
        compare_num: tables.length,
        compare_end_num: done.length,
        data_inconsistent_num: inconsistent,
        uncomparable_num: 0,
      };
    });
  }

  contentOverview(run: Run): NodeContentCompareOverviewResult[] {
    return this.overview(run).map(({ source_db_name, target_db_name, ...rest }) => ({
      source_db: source_db_name,
      target_db: target_db_name,
      ...rest,
    }));
  }

  /** line-detail's entries for `db`; the simulator has no uncomparable tables. */
  detail(run: Run, db: string, which: string | null): TableLineCompareResultInfo[] {
    if (which === "unCompare") return [];
    return (this.#byDb(run).get(db) ?? []).map(({ table, index }) => {
      const done = this.#tableDone(run, index);
      const info: TableLineCompareResultInfo = {
        source_table_name: table.table,
        target_table_name: table.table,
        status: done ? (table.source === table.target ? 2 : 0) : 5,
      };
      if (done) {
        info.source_row_num = table.source;
        info.target_row_num = table.target;
        info.difference_row_num = table.source - table.target;
      }
      return info;
    });
  }

  contentDetail(run: Run, db: string, which: string | null): NodeContentCompareDetailResult[] {
    return this.detail(run, db, which).map((line) => {
      const done = line.status !== 5;
      const same = line.status === 2;
      return {
        source_db: db,
        target_db: db,
        source_table_name: line.source_table_name,
        target_table_name: line.target_table_name,
        ...(done && {
          source_row_num: line.source_row_num,
          target_row_num: line.target_row_num,
          difference_row_num: line.difference_row_num,
          line_compare_result: same,
          content_compare_result: same,
        }),
        // 1 comparing, 2 done.
        status: done ? 2 : 1,
        progress: done ? 100 : 0,
      };
    });
  }

  /** `GET object/compare`'s answer: `{}` when no object comparison was ever started. */
  objectOverview(jobId: string): Record<string, unknown> {
    const run = this.#objects.get(jobId);
    if (!run) return {};
    const ended = this.#ended(run);
    const status = this.#status(run);
    const dbs = new Set(run.spec.tables.map((t) => t.db)).size;
    const types = run.spec.objects ?? [
      { type: "DB", source: dbs, target: dbs },
      { type: "TABLE", source: run.spec.tables.length, target: run.spec.tables.length },
    ];
    const compareResult: ObjectsCompareOverviewInfo[] = types.map((t) => ({
      type: t.type,
      source_count: t.source,
      target_count: t.target,
      status: !ended || run.spec.fail !== undefined ? 3 : t.source === t.target ? 2 : 0,
    }));
    return {
      create_time: this.#iso(run.startMs),
      start_time: this.#iso(run.startMs),
      status,
      export_status: "INIT",
      report_remain_seconds: -1,
      compare_job_id: run.id,
      ...(status === "FAILED" && { error_msg: run.spec.fail }),
      compare_result: compareResult,
    };
  }
}

const NAME = /^[^\s/][^/]{0,127}$/;

/** A scenario job's `compare` (or the admin API's), every problem named by its field. */
export function parseCompare(
  input: unknown,
  field: string,
  issues: Issues,
): CompareSpec | undefined {
  if (!isRecord(input)) {
    issues.add(field, 'must be an object like {"duration": "3s", "tables": [...]}');
    return undefined;
  }
  issues.unknownKeys(field, input, ["duration", "tables", "objects", "fail"]);
  const before = issues.list.length;
  const spec: CompareSpec = { durationMs: DEFAULT_COMPARE.durationMs, tables: [] };
  if (input.duration !== undefined) {
    spec.durationMs = issues.duration(`${field}.duration`, input.duration) ?? 0;
  }
  const fail = issues.optionalString(`${field}.fail`, input.fail);
  if (fail !== undefined) spec.fail = fail;
  const count = (path: string, value: unknown): number => {
    if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value;
    issues.add(path, "must be a row count, an integer >= 0");
    return 0;
  };
  if (input.tables !== undefined) {
    if (!Array.isArray(input.tables)) issues.add(`${field}.tables`, "must be an array");
    else {
      const seen = new Set<string>();
      input.tables.forEach((raw, i) => {
        const at = `${field}.tables[${i}]`;
        if (!isRecord(raw)) {
          issues.add(at, 'must be {"db", "table", "source", "target"}');
          return;
        }
        issues.unknownKeys(at, raw, ["db", "table", "source", "target"]);
        const db = issues.requiredString(`${at}.db`, raw.db);
        const table = issues.requiredString(`${at}.table`, raw.table);
        if (db !== undefined && !NAME.test(db))
          issues.add(`${at}.db`, "must be a name without '/'");
        if (table !== undefined && !NAME.test(table)) {
          issues.add(`${at}.table`, "must be a name without '/'");
        }
        const source = count(`${at}.source`, raw.source);
        const target = count(`${at}.target`, raw.target);
        if (db === undefined || table === undefined) return;
        const key = `${db}\0${table}`;
        if (seen.has(key)) issues.add(at, `duplicate table ${db}.${table}`);
        seen.add(key);
        spec.tables.push({ db, table, source, target });
      });
    }
  }
  if (input.objects !== undefined) {
    if (!Array.isArray(input.objects)) issues.add(`${field}.objects`, "must be an array");
    else {
      spec.objects = [];
      input.objects.forEach((raw, i) => {
        const at = `${field}.objects[${i}]`;
        if (!isRecord(raw)) {
          issues.add(at, 'must be {"type", "source", "target"}');
          return;
        }
        issues.unknownKeys(at, raw, ["type", "source", "target"]);
        const type = issues.requiredString(`${at}.type`, raw.type);
        const source = count(`${at}.source`, raw.source);
        const target = count(`${at}.target`, raw.target);
        if (type !== undefined) spec.objects!.push({ type, source, target });
      });
    }
  }
  return issues.list.length > before ? undefined : spec;
}
