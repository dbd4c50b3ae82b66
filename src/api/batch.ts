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
  /**
   * By position: what the service said about `jobIds[i]`, undefined when it said nothing even
   * when asked again. Positions, not a map by id: the answers come back in the order asked, so
   * a wait of 10,000 jobs hashes no id to file or find them.
   */
  results: (QueryJobStatusResp | undefined)[];
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
  const results = new Array<QueryJobStatusResp | undefined>(jobIds.length).fill(undefined);
  const answered = (position: number) => results[position] !== undefined;
  const requests = await askInChunks(jobIds, answered, (ids100, positions) =>
    collectChunk(ids100, positions, fetchPage, results),
  );
  const missing = jobIds.filter((_, position) => !answered(position));
  return { results, missing, requests };
}

/**
 * The one way a batch call asks: chunks of 100 one after another (a poll is a handful of
 * requests at most and the gateway throttles bursts), then one more round for the ids still
 * not `answered`: a short answer may be the service's slip, not absence. `askChunk` is given
 * the ids and their positions in `jobIds`, records what came back, and returns how many
 * requests it made.
 */
export async function askInChunks(
  jobIds: readonly string[],
  answered: (position: number) => boolean,
  askChunk: (ids100: string[], positions: number[]) => Promise<number>,
): Promise<number> {
  let requests = 0;
  const round = async (positions: readonly number[]) => {
    for (const at of chunk(positions)) {
      requests += await askChunk(
        at.map((position) => jobIds[position]),
        at,
      );
    }
  };
  const all = Array.from(jobIds, (_, position) => position);
  await round(all);
  const absent = all.filter((position) => !answered(position));
  if (absent.length > 0) await round(absent);
  return requests;
}

/**
 * One chunk (<= 100 distinct ids, none answered yet), page by page, each answer filed at its
 * id's position in `into`. Returns the number of requests made.
 */
async function collectChunk(
  jobIds: string[],
  positions: readonly number[],
  fetchPage: FetchPage,
  into: (QueryJobStatusResp | undefined)[],
): Promise<number> {
  let positionOf: Map<string, number> | undefined;
  let answered = 0;
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
    // out then, and no id hashed (a map per chunk cost more than all the rest of the filing).
    if (curPage === 1 && answersInOrder(response.results, jobIds)) {
      response.results.forEach((result, i) => (into[positions[i]] = result));
      return requests;
    }
    positionOf ??= new Map(jobIds.map((id, i) => [id, positions[i]]));
    let fresh = 0;
    for (const result of response.results) {
      // Results for ids we did not ask for, and repeats, are ignored: the first answer stands.
      const position = positionOf.get(result.id);
      if (position !== undefined && into[position] === undefined) {
        into[position] = result;
        fresh += 1;
      }
    }
    answered += fresh;
    // A full page means the service used our page size, so a short one is not a truncation.
    if (answered === jobIds.length || fresh === 0 || response.results.length >= perPage) break;
  }
  return requests;
}

/** Exactly the ids asked (distinct), one result each, in the same order. */
function answersInOrder(
  results: readonly QueryJobStatusResp[],
  jobIds: readonly string[],
): boolean {
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
