// DRS data comparisons as the client reports them: the service's answers parsed leniently,
// its integer codes turned into named states, its text cleaned, and pages followed. The
// DrsClient methods (client.ts) send the requests; this module knows only the answers.
import { parseJsonBody, quoteBody, unexpected } from "./body";
import type { HttpResponse } from "./http";
import { cleanServiceText, type Secret } from "./secret";
import type { CompareView } from "./wire";

/** What can be compared: row counts, row contents, or object counts per type. */
export const COMPARE_KINDS = ["lines", "contents", "objects"] as const;
export type CompareKind = (typeof COMPARE_KINDS)[number];

export const COMPARE_OPERATION = "DRS comparison";

/** A comparison job's own state: still going, ended well, or ended without a verdict. */
export type ComparisonPhase = "running" | "succeeded" | "failed";

/** A comparison job as listed (data level) or as the object-level overview reports it. */
export interface Comparison {
  /** The compare job id; absent only for an object-level overview that sent none. */
  id?: string;
  kind: CompareKind;
  /** As DRS sent it: WAITING_FOR_RUNNING, RUNNING, SUCCESSFUL, FAILED, CANCELLED, ... */
  status: string;
  phase: ComparisonPhase;
  /** UTC, as DRS sent it. */
  startedAt?: string;
  endedAt?: string;
  /** Why it failed, when DRS said. */
  message?: string;
}

/** What one table (or, at object level, one object type) came to. */
export type CompareState =
  "consistent" | "inconsistent" | "comparing" | "waiting" | "cancelled" | "uncomparable";

/** One database of a data-level comparison (line-overview / content-overview). */
export interface DatabaseComparison {
  sourceDb: string;
  targetDb?: string;
  state: CompareState;
  /** DRS's integer code. */
  code?: number;
  reason?: string;
  tables?: number;
  tablesCompared?: number;
  tablesInconsistent?: number;
  tablesUncomparable?: number;
}

/** One table of a data-level comparison (line-detail / content-detail). */
export interface TableComparison {
  db: string;
  table: string;
  targetTable?: string;
  sourceRows?: number;
  targetRows?: number;
  /** What DRS reports as the difference (source minus target for row counts). */
  differenceRows?: number;
  state: CompareState;
  code?: number;
  /** Why DRS could not compare the table, or its message about it. */
  reason?: string;
}

/** One object type of an object-level comparison. */
export interface ObjectTypeComparison {
  type: string;
  sourceCount?: number;
  targetCount?: number;
  state: CompareState;
  code?: number;
}

export interface ObjectComparison extends Comparison {
  types: ObjectTypeComparison[];
}

const FAILED_STATUSES = ["FAILED", "CANCELLED", "TIMEOUT_INTERRUPT"];

/** SUCCESSFUL ends well; FAILED, CANCELLED and TIMEOUT_INTERRUPT end without a verdict. */
export function comparisonPhase(status: string): ComparisonPhase {
  const upper = status.toUpperCase();
  if (upper === "SUCCESSFUL") return "succeeded";
  if (FAILED_STATUSES.includes(upper)) return "failed";
  // WAITING_FOR_RUNNING, RUNNING, FULL_DOING, INCRE_DOING, and any status this client does
  // not know: not ended (a gate waits on it rather than trusting it).
  return "running";
}

/** The SDK's codes (line and content comparisons share them). */
const UNCOMPARABLE_REASONS: Record<number, string> = {
  3: "target table missing",
  4: "comparison failed",
  11: "source table missing",
  12: "target table missing",
  13: "source and target tables missing",
  14: "source database connection failed",
  15: "target database connection failed",
  16: "source database SQL timed out",
  17: "target database SQL timed out",
  18: "source database SQL error",
  19: "target database SQL error",
  20: "source and target databases missing",
  21: "source database missing",
  22: "target database missing",
  23: "over 100 million rows, not compared",
  27: "comparison timed out",
};

/** A row or content comparison code as a named state (and why, when not compared). */
export function compareState(code: number | undefined): { state: CompareState; reason?: string } {
  switch (code) {
    case 0:
      return { state: "inconsistent" };
    case 2:
      return { state: "consistent" };
    // Both sides empty: 0 rows against 0 rows.
    case 10:
      return { state: "consistent", reason: "source and target empty" };
    case 8:
      return { state: "inconsistent", reason: "source empty" };
    case 9:
      return { state: "inconsistent", reason: "target empty" };
    case 5:
      return { state: "comparing" };
    case 6:
      return { state: "waiting" };
    case 7:
      return { state: "cancelled", reason: "comparison cancelled" };
    case undefined:
      return { state: "uncomparable", reason: "DRS sent no status" };
    default:
      return {
        state: "uncomparable",
        reason: UNCOMPARABLE_REASONS[code] ?? `comparison status ${code}`,
      };
  }
}

/** An object-level code: 0 inconsistent, 2 consistent, 3 not finished. */
export function objectState(code: number | undefined): CompareState {
  if (code === 0) return "inconsistent";
  if (code === 2) return "consistent";
  if (code === 3) return "comparing";
  return "uncomparable";
}

/** One page of a paged comparison answer. */
export interface ComparePage<T> {
  total: number;
  items: T[];
}

/**
 * Every item of a `limit`/`offset` listing: asks until `total` items came, or a page brings
 * none (a service whose total overstates what it has must not loop forever).
 */
export async function collectPages<T>(
  fetchPage: (offset: number) => Promise<ComparePage<T>>,
): Promise<T[]> {
  const items: T[] = [];
  for (;;) {
    const page = await fetchPage(items.length);
    items.push(...page.items);
    if (page.items.length === 0 || items.length >= page.total) return items;
  }
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function integer(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isSafeInteger(value)) return value;
  if (typeof value === "string" && /^-?\d+$/.test(value.trim())) {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}

/** The body as an object, with the array under `key`. */
function listBody(
  response: HttpResponse,
  secrets: readonly Secret[],
  key: string,
): { body: Record<string, unknown>; list: Record<string, unknown>[] } {
  const body = record(parseJsonBody(response, secrets, COMPARE_OPERATION));
  const list = body?.[key];
  if (!body || !Array.isArray(list)) {
    throw unexpected(
      response,
      COMPARE_OPERATION,
      `no "${key}" array: ${quoteBody(response, secrets)}`,
    );
  }
  return {
    body,
    list: list.flatMap((item) => {
      const r = record(item);
      return r ? [r] : [];
    }),
  };
}

function cleaner(secrets: readonly Secret[]) {
  return (value: unknown): string | undefined => {
    if (typeof value !== "string" && typeof value !== "number") return undefined;
    const text = cleanServiceText(String(value), secrets).trim();
    return text === "" ? undefined : text;
  };
}

function pageOf<T>(body: Record<string, unknown>, totalKey: string, items: T[]): ComparePage<T> {
  return { total: integer(body[totalKey]) ?? items.length, items };
}

/** `POST table/compare`'s `{id}`. */
export function parseCreated(response: HttpResponse, secrets: readonly Secret[]): string {
  const body = record(parseJsonBody(response, secrets, COMPARE_OPERATION));
  const id = cleaner(secrets)(body?.id);
  if (id === undefined) {
    throw unexpected(response, COMPARE_OPERATION, `no "id": ${quoteBody(response, secrets)}`);
  }
  return id;
}

/** `GET table/compare`: the job's data-level comparisons on this page. */
export function parseComparisonList(
  response: HttpResponse,
  secrets: readonly Secret[],
): ComparePage<Comparison> {
  const { body, list } = listBody(response, secrets, "compare_jobs");
  const clean = cleaner(secrets);
  const items = list.flatMap((item): Comparison[] => {
    const id = clean(item.id);
    const kind = clean(item.type);
    if (id === undefined || (kind !== "lines" && kind !== "contents")) return [];
    const status = clean(item.status) ?? "UNKNOWN";
    const out: Comparison = { id, kind, status, phase: comparisonPhase(status) };
    const startedAt = clean(item.start_time);
    const endedAt = clean(item.end_time);
    const message = clean(item.error_msg);
    if (startedAt !== undefined) out.startedAt = startedAt;
    if (endedAt !== undefined) out.endedAt = endedAt;
    if (message !== undefined) out.message = message;
    return [out];
  });
  return pageOf(body, "count", items);
}

/** line-overview or content-overview. */
export function parseOverview(
  view: CompareView,
): (response: HttpResponse, secrets: readonly Secret[]) => ComparePage<DatabaseComparison> {
  const content = view === "content-overview";
  return (response, secrets) => {
    const key = content ? "content_compare_result_infos" : "data_compare_overview_infos";
    const { body, list } = listBody(response, secrets, key);
    const clean = cleaner(secrets);
    const items = list.flatMap((item): DatabaseComparison[] => {
      const sourceDb = clean(content ? item.source_db : item.source_db_name);
      if (sourceDb === undefined) return [];
      const code = integer(item.status);
      const out: DatabaseComparison = { sourceDb, ...compareState(code) };
      const targetDb = clean(content ? item.target_db : item.target_db_name);
      if (targetDb !== undefined) out.targetDb = targetDb;
      if (code !== undefined) out.code = code;
      const numbers = {
        tables: item.compare_num,
        tablesCompared: item.compare_end_num,
        tablesInconsistent: item.data_inconsistent_num,
        tablesUncomparable: item.uncomparable_num,
      };
      for (const [name, value] of Object.entries(numbers)) {
        const n = integer(value);
        if (n !== undefined && n >= 0) out[name as keyof typeof numbers] = n;
      }
      return [out];
    });
    return pageOf(body, "total_count", items);
  };
}

/** line-detail or content-detail, for the tables of `db`. */
export function parseDetail(
  view: CompareView,
  db: string,
): (response: HttpResponse, secrets: readonly Secret[]) => ComparePage<TableComparison> {
  const content = view === "content-detail";
  return (response, secrets) => {
    const key = content ? "content_compare_result_infos" : "table_line_compare_result_infos";
    const { body, list } = listBody(response, secrets, key);
    const clean = cleaner(secrets);
    const items = list.flatMap((item): TableComparison[] => {
      const table = clean(item.source_table_name);
      if (table === undefined) return [];
      const out: TableComparison = content
        ? { db, table, ...contentState(item, clean) }
        : { db, table, ...compareState(integer(item.status)) };
      if (!content && integer(item.status) !== undefined) out.code = integer(item.status);
      const targetTable = clean(item.target_table_name);
      if (targetTable !== undefined) out.targetTable = targetTable;
      const sourceRows = integer(item.source_row_num);
      const targetRows = integer(item.target_row_num);
      const difference = integer(item.difference_row_num);
      if (sourceRows !== undefined) out.sourceRows = sourceRows;
      if (targetRows !== undefined) out.targetRows = targetRows;
      if (difference !== undefined) out.differenceRows = difference;
      return [out];
    });
    return pageOf(body, "total_count", items);
  };
}

/** content-detail: `status` is the table's progress (1 comparing, 2 done, 3 waiting, 4 cancelled); the verdicts are booleans. */
function contentState(
  item: Record<string, unknown>,
  clean: (value: unknown) => string | undefined,
): { state: CompareState; reason?: string; code?: number } {
  const code = integer(item.status);
  const message = clean(item.message);
  const withMessage = (state: CompareState) => ({
    state,
    ...(code !== undefined && { code }),
    ...(message !== undefined && { reason: message }),
  });
  if (code === 1) return withMessage("comparing");
  if (code === 3) return withMessage("waiting");
  if (code === 4) return withMessage("cancelled");
  const lines = item.line_compare_result;
  const contents = item.content_compare_result;
  if (lines === false || contents === false) return withMessage("inconsistent");
  if (lines === true && contents === true) return withMessage("consistent");
  return { ...withMessage("uncomparable"), reason: message ?? "DRS sent no verdict" };
}

/** `GET object/compare`: the latest object-level comparison, or undefined when there is none. */
export function parseObjectOverview(
  response: HttpResponse,
  secrets: readonly Secret[],
): ObjectComparison | undefined {
  const body = record(parseJsonBody(response, secrets, COMPARE_OPERATION));
  if (!body) {
    throw unexpected(response, COMPARE_OPERATION, `not an object: ${quoteBody(response, secrets)}`);
  }
  const clean = cleaner(secrets);
  const status = clean(body.status);
  const id = clean(body.compare_job_id);
  if (status === undefined && id === undefined) return undefined;
  const out: ObjectComparison = {
    kind: "objects",
    status: status ?? "UNKNOWN",
    phase: comparisonPhase(status ?? "UNKNOWN"),
    types: [],
  };
  if (id !== undefined) out.id = id;
  const startedAt = clean(body.start_time);
  const message = clean(body.error_msg);
  if (startedAt !== undefined) out.startedAt = startedAt;
  if (message !== undefined) out.message = message;
  const results = Array.isArray(body.compare_result) ? body.compare_result : [];
  for (const raw of results) {
    const item = record(raw);
    if (!item) continue;
    const type = clean(item.type);
    if (type === undefined) continue;
    const code = integer(item.status);
    const entry: ObjectTypeComparison = { type, state: objectState(code) };
    if (code !== undefined) entry.code = code;
    const sourceCount = integer(item.source_count);
    const targetCount = integer(item.target_count);
    if (sourceCount !== undefined) entry.sourceCount = sourceCount;
    if (targetCount !== undefined) entry.targetCount = targetCount;
    out.types.push(entry);
  }
  return out;
}
