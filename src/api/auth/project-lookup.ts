// The project id from the region, as the official SDKs find it: a signed
// `GET {iam}/v3/projects?name={region}`, once per process per identity, cached. Exactly one
// match is an answer; none or several is an error saying what to set instead.
import type { Http } from "../http";
import { DrsApiError } from "../errors";
import { responseError, send } from "../http";
import { retriesSpent, withRetries, type RetryOptions } from "../retry";
import { PROJECTS_PATH } from "../wire";
import { AkSkAuthenticator } from "./aksk";
import type { KeySource } from "./keys";

const OPERATION = "IAM project lookup";

export interface ProjectLookupOptions {
  iamEndpoint: string;
  region: string;
  keys: KeySource;
  /** Who is asking (credentialsKey): another account may name its projects alike. */
  identity: string;
  http: Http;
  retry: RetryOptions;
  timeoutMs: number;
}

const cache = new Map<string, Promise<string>>();
/** How many lookups were sent; for tests and diagnostics. */
export const projectLookupStats = { lookups: 0 };

export function lookupProjectId(o: ProjectLookupOptions): Promise<string> {
  const key = JSON.stringify([o.iamEndpoint, o.region, o.identity]);
  let found = cache.get(key);
  if (!found) {
    found = lookup(o).catch((err: unknown) => {
      throw retriesSpent(err);
    });
    cache.set(key, found);
    // A failure is not cached: the next caller asks again (the network may be back).
    found.catch(() => cache.delete(key));
  }
  return found;
}

async function lookup(o: ProjectLookupOptions): Promise<string> {
  projectLookupStats.lookups += 1;
  const signer = new AkSkAuthenticator({ keys: o.keys });
  const url = `${o.iamEndpoint}${PROJECTS_PATH}?name=${encodeURIComponent(o.region)}`;
  return withRetries(async () => {
    const request = { method: "GET" as const, url, headers: {}, body: "" };
    let headers = await signer.authorize(request);
    let response = await send(o.http, { ...request, headers }, options(o));
    if (response.status === 401 && signer.credentialRejected(headers, response)) {
      headers = await signer.authorize(request);
      response = await send(o.http, { ...request, headers }, options(o));
    }
    if (response.status < 200 || response.status >= 300) {
      const err = responseError(response, OPERATION, o.keys.secrets());
      if (response.status !== 401 && response.status !== 403) throw err;
      throw new DrsApiError({
        operation: OPERATION,
        httpStatus: err.httpStatus,
        errorCode: err.errorCode,
        serviceMessage: err.serviceMessage,
        requestId: err.requestId,
        retryable: false,
        hint: `The keys may not list projects: set HW_PROJECT_ID to the project of ${o.region} instead.`,
      });
    }
    let projects: unknown;
    try {
      projects = (JSON.parse(response.body) as { projects?: unknown }).projects;
    } catch {
      projects = undefined;
    }
    const ids = Array.isArray(projects)
      ? projects
          .map((p) => (p as { id?: unknown })?.id)
          .filter((id): id is string => typeof id === "string" && /^[A-Za-z0-9_-]+$/.test(id))
      : [];
    if (ids.length === 1) return ids[0];
    throw new DrsApiError({
      operation: OPERATION,
      httpStatus: response.status,
      requestId: response.requestId,
      serviceMessage:
        ids.length === 0
          ? `IAM knows no project named ${o.region} for these credentials`
          : `IAM has ${ids.length} projects named ${o.region} (${ids.join(", ")})`,
      retryable: false,
      hint: `Set HW_PROJECT_ID (or --project-id) to the project to use.`,
    });
  }, o.retry);
}

function options(o: ProjectLookupOptions) {
  return { operation: OPERATION, timeoutMs: o.timeoutMs, secrets: o.keys.secrets() };
}
