// The inputs of JobStatus and the gate, checked at the edge (`check`) with failures that name
// the property and say why, and compared (`diff`) the way a user thinks of them: a list of
// job IDs is a set, so reordering it changes nothing.
import { checkBaseUrl } from "../api/settings";
import { targetSet } from "../api/status";
import { LANGUAGES } from "../api/wire";
import { MIN_POLL_INTERVAL_MS, waitDuration } from "../wait/wait-for-jobs";

export interface CheckFailure {
  property: string;
  reason: string;
}

/** What every resource of ours takes to find DRS; credentials never pass through here. */
export interface ConnectionInputs {
  endpoint?: string;
  region?: string;
  projectId?: string;
  language?: string;
}

export interface JobStatusInputs extends ConnectionInputs {
  jobIds: string[];
}

export interface GateInputs extends JobStatusInputs {
  targetStatuses?: string[];
  timeout?: string | number;
  pollInterval?: string | number;
  /** The JobWaiter's URN: where progress is shown. */
  waiterUrn?: string;
}

const CONNECTION_KEYS = ["endpoint", "region", "projectId", "language"] as const;

/** Checks the connection and job list inputs; returns the normalized inputs and failures. */
export function checkJobInputs(news: Record<string, unknown>): {
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
} {
  const failures: CheckFailure[] = [];
  const inputs: Record<string, unknown> = { ...news };
  const jobIds = news.jobIds;
  if (!Array.isArray(jobIds)) {
    failures.push({ property: "jobIds", reason: "must be a list of DRS job IDs" });
  } else if (jobIds.length === 0) {
    failures.push({ property: "jobIds", reason: "give at least one DRS job ID" });
  } else {
    jobIds.forEach((id, i) => {
      if (typeof id !== "string") {
        failures.push({ property: `jobIds[${i}]`, reason: `must be a string, got ${typeof id}` });
      } else if (id.trim() === "") {
        failures.push({ property: `jobIds[${i}]`, reason: "is blank" });
      }
    });
    if (failures.length === 0) inputs.jobIds = [...new Set(jobIds.map((id: string) => id.trim()))];
  }
  for (const key of CONNECTION_KEYS) {
    const value = news[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== "string" || value.trim() === "") {
      failures.push({ property: key, reason: "must be a non-empty string" });
    }
  }
  if (
    typeof news.language === "string" &&
    !(LANGUAGES as readonly string[]).includes(news.language)
  ) {
    failures.push({ property: "language", reason: `must be one of ${LANGUAGES.join(", ")}` });
  }
  if (typeof news.endpoint === "string" && news.endpoint.trim() !== "") {
    const problems: string[] = [];
    checkBaseUrl(news.endpoint, "endpoint", problems);
    for (const reason of problems) failures.push({ property: "endpoint", reason });
  }
  return { inputs, failures };
}

/** The gate's own inputs on top of the job inputs. */
export function checkGateInputs(news: Record<string, unknown>): {
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
} {
  const result = checkJobInputs(news);
  const problem = (property: string, run: () => unknown) => {
    try {
      run();
    } catch (err) {
      result.failures.push({ property, reason: (err as Error).message.replace(/^\w+: /, "") });
    }
  };
  if (news.targetStatuses !== undefined) {
    problem("targetStatuses", () => {
      if (!Array.isArray(news.targetStatuses)) throw new TypeError("must be a list of statuses");
      targetSet(news.targetStatuses as string[]);
    });
  }
  // The wait's own rules, so that what `check` accepts the wait accepts too.
  if (news.timeout !== undefined)
    problem("timeout", () => waitDuration(news.timeout as string, "timeout"));
  if (news.pollInterval !== undefined) {
    problem("pollInterval", () =>
      waitDuration(news.pollInterval as string, "pollInterval", MIN_POLL_INTERVAL_MS),
    );
  }
  return result;
}

const sameSet = (a: unknown, b: unknown) => {
  const left = new Set(Array.isArray(a) ? a : []);
  const right = new Set(Array.isArray(b) ? b : []);
  return left.size === right.size && [...left].every((x) => right.has(x));
};

/** Input properties that differ, job lists compared as sets. */
export function changedInputs(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  keys: readonly string[],
): string[] {
  return keys.filter((key) =>
    key === "jobIds" || key === "targetStatuses"
      ? !sameSet(olds[key], news[key])
      : (olds[key] ?? null) !== (news[key] ?? null),
  );
}

export const JOB_STATUS_KEYS = ["jobIds", ...CONNECTION_KEYS] as const;
/** timeout, pollInterval and waiterUrn change how we wait, not what we gate on. */
export const GATE_KEYS = [...JOB_STATUS_KEYS, "targetStatuses"] as const;
