// How a list of job ids becomes batch-status requests: chunks of at most 100, page_req always
// explicit, further pages followed when a page comes back short, and one follow-up request for
// ids the service left out. Nothing here trusts `count`: only the results that came back.
import { DrsApiError } from "./errors";
import {
  MAX_PER_PAGE,
  type BatchStatusResponse,
  type PageReq,
  type QueryJobStatusResp,
} from "./wire";

export type FetchPage = (jobIds: string[], pageReq: PageReq) => Promise<BatchStatusResponse>;

/** The service answers these on a page past the last; for a page > 1 that just means "done". */
const PAGE_PAST_END_CODES = ["DRS.M00210", "DRS.M00211"];

export interface CollectedStatuses {
  results: Map<string, QueryJobStatusResp>;
  /** Ids with no result even after the follow-up request. */
  missing: string[];
  requests: number;
}

export function chunk<T>(items: readonly T[], size: number = MAX_PER_PAGE): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * Asks for every id in `jobIds` (already distinct). Chunks are requested one after another:
 * a poll is a handful of requests at most and the gateway throttles bursts.
 */
export async function collectStatuses(
  jobIds: readonly string[],
  fetchPage: FetchPage,
): Promise<CollectedStatuses> {
  const results = new Map<string, QueryJobStatusResp>();
  const requests = await askInChunks(jobIds, results, (ids100) =>
    collectChunk(ids100, fetchPage, results),
  );
  return { results, missing: absentFrom(results, jobIds), requests };
}

/**
 * The one way a batch call asks: chunks of 100 one after another (a poll is a handful of
 * requests at most and the gateway throttles bursts), then one more round for the ids still
 * absent from `results`: a short answer may be the service's slip, not absence.
 * `askChunk` records what came back in `results` (ids of `jobIds` only) and returns how many
 * requests it made.
 */
export async function askInChunks(
  jobIds: readonly string[],
  results: ReadonlyMap<string, unknown>,
  askChunk: (ids100: string[]) => Promise<number>,
): Promise<number> {
  let requests = 0;
  const round = async (ids: readonly string[]) => {
    for (const ids100 of chunk(ids)) requests += await askChunk(ids100);
  };
  await round(jobIds);
  const absent = absentFrom(results, jobIds);
  if (absent.length > 0) await round(absent);
  return requests;
}

/**
 * The ids of `jobIds` (distinct) with no entry in `results`, which holds only ids of `jobIds`:
 * when the sizes agree nothing is absent, and a list of 10,000 is not looked up again.
 */
function absentFrom(results: ReadonlyMap<string, unknown>, jobIds: readonly string[]): string[] {
  if (results.size >= jobIds.length) return [];
  return jobIds.filter((id) => !results.has(id));
}

/** One chunk (<= 100 ids), page by page. Returns the number of requests made. */
async function collectChunk(
  jobIds: string[],
  fetchPage: FetchPage,
  into: Map<string, QueryJobStatusResp>,
): Promise<number> {
  let wanted: Set<string> | undefined;
  // This chunk's answers: its ids are absent from `into` until it is done (chunks are disjoint,
  // the second round asks only absent ids), so repeats are found in 100 entries, not 10,000.
  const got = new Map<string, QueryJobStatusResp>();
  const perPage = jobIds.length;
  let requests = 0;
  // Each page must bring at least one new result, so jobIds.length pages bound the loop.
  for (let curPage = 1; curPage <= jobIds.length; curPage++) {
    let response: BatchStatusResponse;
    try {
      requests += 1;
      response = await fetchPage(jobIds, { cur_page: curPage, per_page: perPage });
    } catch (err) {
      if (curPage > 1 && isPastLastPage(err)) break;
      throw err;
    }
    // Nearly always the first page answers every id asked, in the order asked: nothing to sort
    // out then, and no id hashed twice (a set per chunk cost more than the map of all).
    if (curPage === 1 && answersInOrder(response.results, jobIds)) {
      for (const result of response.results) into.set(result.id, result);
      return requests;
    }
    wanted ??= new Set(jobIds);
    let fresh = 0;
    for (const result of response.results) {
      // Results for ids we did not ask for, and repeats, are ignored: the first answer stands.
      if (wanted.has(result.id) && !got.has(result.id)) {
        got.set(result.id, result);
        fresh += 1;
      }
    }
    const complete = got.size === wanted.size;
    // A full page means the service used our page size, so a short one is not a truncation.
    if (complete || fresh === 0 || response.results.length >= perPage) break;
  }
  for (const [id, result] of got) into.set(id, result);
  return requests;
}

/** Exactly the ids asked (distinct), one result each, in the same order. */
function answersInOrder(results: readonly QueryJobStatusResp[], jobIds: readonly string[]): boolean {
  if (results.length !== jobIds.length) return false;
  for (let i = 0; i < jobIds.length; i++) if (results[i].id !== jobIds[i]) return false;
  return true;
}

function isPastLastPage(err: unknown): boolean {
  return (
    err instanceof DrsApiError &&
    err.httpStatus === 400 &&
    err.errorCode !== undefined &&
    PAGE_PAST_END_CODES.includes(err.errorCode)
  );
}
