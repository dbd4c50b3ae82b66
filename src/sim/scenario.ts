// Reads a scenario (file or object) into the server's model. Every problem is reported with
// the path of the offending field, all at once, so a hand-written file is fixed in one pass.
import { readFile } from "node:fs/promises";
import { MAX_PER_PAGE } from "../api/wire";
import { parseCompare } from "./compare";
import { parseFault } from "./fault-spec";
import { parseProjects, parseTemporarySources } from "./scenario-credentials";
import { Issues, isRecord } from "./validate";
import {
  EXAMPLE_PROJECT_ID,
  TASK_MODES,
  type AuthConfig,
  type JobInput,
  type TimelineStepInput,
  type Scenario,
  type SimJob,
  type TimelineStep,
} from "./types";

export class ScenarioError extends Error {
  constructor(
    readonly issues: string[],
    source?: string,
  ) {
    super(`invalid scenario${source ? ` ${source}` : ""}:\n  ${issues.join("\n  ")}`);
    this.name = "ScenarioError";
  }
}

/** The scenario file could not be read (missing, a directory, no permission). */
class UnreadableScenarioError extends ScenarioError {
  constructor(file: string, reason: string) {
    super([`cannot read it: ${reason}`], file);
    this.message = `cannot read scenario ${file}: ${reason}`;
  }
}

const PROJECT_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function parseScenario(input: unknown, source?: string): Scenario {
  const issues = new Issues();
  const scenario: Scenario = {
    projectId: EXAMPLE_PROJECT_ID,
    auth: { keys: new Map() },
    jobs: [],
    faults: [],
  };
  if (!isRecord(input)) {
    issues.add("(root)", "must be a JSON object");
    throw new ScenarioError(issues.lines(), source);
  }
  issues.unknownKeys("(root)", input, [
    "projectId",
    "maxPageSize",
    "auth",
    "projects",
    "jobs",
    "faults",
    "$schema",
    "comment",
  ]);
  if (input.projectId !== undefined) {
    if (typeof input.projectId === "string" && PROJECT_ID.test(input.projectId)) {
      scenario.projectId = input.projectId;
    } else {
      issues.add("projectId", "must be 1-64 letters, digits, '-' or '_'");
    }
  }
  if (input.maxPageSize !== undefined) {
    const size = input.maxPageSize;
    if (typeof size === "number" && Number.isInteger(size) && size >= 1 && size <= MAX_PER_PAGE) {
      scenario.maxPageSize = size;
    } else {
      issues.add("maxPageSize", `must be an integer from 1 to ${MAX_PER_PAGE}`);
    }
  }
  if (input.auth !== undefined) scenario.auth = parseAuth(input.auth, issues);
  if (input.projects !== undefined) scenario.projects = parseProjects(input.projects, issues);
  if (input.jobs !== undefined) {
    if (!Array.isArray(input.jobs)) issues.add("jobs", "must be an array");
    else {
      const seen = new Set<string>();
      input.jobs.forEach((job, i) => {
        const parsed = parseJob(job, `jobs[${i}]`, issues);
        if (!parsed) return;
        if (seen.has(parsed.id)) issues.add(`jobs[${i}].id`, `duplicate job ID "${parsed.id}"`);
        seen.add(parsed.id);
        scenario.jobs.push(parsed);
      });
    }
  }
  if (input.faults !== undefined) {
    if (!Array.isArray(input.faults)) issues.add("faults", "must be an array");
    else
      input.faults.forEach((fault, i) => {
        const parsed = parseFault(fault, `faults[${i}]`, issues);
        if (parsed) scenario.faults.push(parsed);
      });
  }
  if (issues.list.length > 0) throw new ScenarioError(issues.lines(), source);
  return scenario;
}

export async function loadScenarioFile(file: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    // A wrong path is the user's mistake, a ScenarioError like any other, on one line.
    throw new UnreadableScenarioError(file, (err as Error).message);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ScenarioError([`not valid JSON: ${(err as Error).message}`], file);
  }
  return parseScenario(json, file);
}

/** Parses one job; used by the scenario and by the admin API when a job is added later. */
export function parseJob(input: unknown, field: string, issues: Issues): SimJob | undefined {
  if (!isRecord(input)) {
    issues.add(field, 'must be an object like {"id": "...", "timeline": [...]}');
    return undefined;
  }
  const job = input as Partial<JobInput> & Record<string, unknown>;
  issues.unknownKeys(field, job, ["id", "status", "timeline", "taskMode", "compare"]);
  const before = issues.list.length;
  if (typeof job.id !== "string" || job.id.trim() === "") {
    issues.add(`${field}.id`, "must be a non-empty string");
  }
  let timeline: TimelineStep[] = [];
  if (job.timeline !== undefined && job.status !== undefined) {
    issues.add(field, "give either status or timeline, not both");
  } else if (job.status !== undefined) {
    if (typeof job.status !== "string" || job.status === "") {
      issues.add(`${field}.status`, "must be a non-empty string");
    } else timeline = [{ atMs: 0, status: job.status }];
  } else if (!Array.isArray(job.timeline) || job.timeline.length === 0) {
    issues.add(`${field}.timeline`, "must be a non-empty array of steps");
  } else {
    timeline = job.timeline.map((step, i) => parseStep(step, `${field}.timeline[${i}]`, issues));
    for (let i = 1; i < timeline.length; i++) {
      if (timeline[i].atMs < timeline[i - 1].atMs) {
        issues.add(`${field}.timeline[${i}].at`, "must not be earlier than the step before it");
      }
    }
  }
  if (job.taskMode !== undefined && !TASK_MODES.includes(job.taskMode)) {
    issues.add(`${field}.taskMode`, `must be one of ${TASK_MODES.join(", ")}`);
  }
  const compare =
    job.compare === undefined ? undefined : parseCompare(job.compare, `${field}.compare`, issues);
  if (issues.list.length > before) return undefined;
  return {
    id: job.id as string,
    timeline,
    ...(job.taskMode && { taskMode: job.taskMode }),
    ...(compare && { compare }),
  };
}

export function parseStep(input: unknown, field: string, issues: Issues): TimelineStep {
  if (!isRecord(input)) {
    issues.add(field, 'must be an object like {"at": "20s", "status": "..."}');
    return { atMs: 0 };
  }
  issues.unknownKeys(field, input, [
    "at",
    "status",
    "errorCode",
    "errorMessage",
    "errorMessageZh",
    "progress",
    "lag",
  ]);
  const step: TimelineStep = { atMs: 0 };
  if (input.at === undefined) issues.add(`${field}.at`, 'is required (e.g. "0s", "20s")');
  else step.atMs = issues.duration(`${field}.at`, input.at) ?? 0;
  // Only fields that were given: a step reads back (admin API, job()) as it was written.
  for (const key of ["status", "errorCode", "errorMessage", "errorMessageZh"] as const) {
    const value = issues.optionalString(`${field}.${key}`, input[key]);
    if (value !== undefined) step[key] = value;
  }
  parseProgress(field, input, step, issues);
  if (step.status === undefined && step.errorCode === undefined) {
    issues.add(field, "needs a status, an errorCode, or both");
  }
  if (step.errorMessage !== undefined && step.errorCode === undefined) {
    issues.add(`${field}.errorMessage`, "needs an errorCode beside it");
  }
  return step;
}

/** A step's batch-progress fields: `progress` (percent) and `lag` (a duration). */
function parseProgress(
  field: string,
  input: Record<string, unknown>,
  step: Omit<TimelineStep, "atMs">,
  issues: Issues,
): void {
  if (input.progress !== undefined) {
    const value = input.progress;
    if (typeof value === "number" && Number.isFinite(value) && value >= 0 && value <= 100) {
      step.progress = value;
    } else issues.add(`${field}.progress`, "must be a percentage, a number from 0 to 100");
  }
  if (input.lag !== undefined) {
    const lagMs = issues.duration(`${field}.lag`, input.lag);
    if (lagMs !== undefined) step.lagMs = lagMs;
  }
}

function parseAuth(input: unknown, issues: Issues): AuthConfig {
  const auth: AuthConfig = { keys: new Map() };
  if (!isRecord(input)) {
    issues.add("auth", "must be an object");
    return auth;
  }
  issues.unknownKeys("auth", input, [
    "token",
    "accessKey",
    "secretKey",
    "securityToken",
    "keys",
    "iam",
    "federation",
    "ecsMetadata",
    "temporaryKeyLifetime",
  ]);
  auth.token = issues.optionalString("auth.token", input.token);
  const addKey = (field: string, key: Record<string, unknown>) => {
    const accessKey = issues.requiredString(`${field}accessKey`, key.accessKey);
    const secretKey = issues.requiredString(`${field}secretKey`, key.secretKey);
    const securityToken = issues.optionalString(`${field}securityToken`, key.securityToken);
    if (!accessKey || !secretKey) return;
    auth.keys.set(accessKey, secretKey);
    if (securityToken !== undefined) {
      auth.securityTokens ??= new Map();
      auth.securityTokens.set(accessKey, securityToken);
    }
  };
  if (
    input.accessKey !== undefined ||
    input.secretKey !== undefined ||
    input.securityToken !== undefined
  ) {
    addKey("auth.", input);
  }
  if (input.keys !== undefined) {
    if (!Array.isArray(input.keys)) issues.add("auth.keys", "must be an array");
    else
      input.keys.forEach((key, i) => {
        if (!isRecord(key)) {
          issues.add(`auth.keys[${i}]`, 'must be {"accessKey", "secretKey", "securityToken"?}');
          return;
        }
        issues.unknownKeys(`auth.keys[${i}]`, key, ["accessKey", "secretKey", "securityToken"]);
        addKey(`auth.keys[${i}].`, key);
      });
  }
  if (input.iam !== undefined) {
    const iam = input.iam;
    if (!isRecord(iam)) issues.add("auth.iam", "must be an object");
    else {
      issues.unknownKeys("auth.iam", iam, ["userName", "password", "domainName", "tokenLifetime"]);
      const userName = issues.requiredString("auth.iam.userName", iam.userName);
      const password = issues.requiredString("auth.iam.password", iam.password);
      const domainName = issues.requiredString("auth.iam.domainName", iam.domainName);
      const lifetime = iam.tokenLifetime === undefined ? "24h" : iam.tokenLifetime;
      const tokenLifetimeMs = issues.duration("auth.iam.tokenLifetime", lifetime);
      if (tokenLifetimeMs === 0) issues.add("auth.iam.tokenLifetime", "must be more than 0");
      if (userName && password && domainName && tokenLifetimeMs) {
        auth.iam = { userName, password, domainName, tokenLifetimeMs };
      }
    }
  }
  parseTemporarySources(input, auth, issues);
  return auth;
}

/**
 * Bulk jobs for load tests and benchmarks: `count` jobs with distinct UUID-shaped IDs, all
 * following `timeline` (default: FULL_TRANSFER_STARTED from the start). Pass them as
 * `scenario.jobs`; the store is a Map, so 100 000 jobs cost no more per request than two.
 */
export function generateJobs(
  count: number,
  options: { prefix?: string; timeline?: TimelineStepInput[] } = {},
): JobInput[] {
  const timeline = options.timeline ?? [{ at: 0, status: "FULL_TRANSFER_STARTED" }];
  const prefix = (options.prefix ?? "5e").padEnd(8, "0").slice(0, 8);
  const jobs: JobInput[] = new Array(count);
  for (let i = 0; i < count; i++) {
    jobs[i] = { id: `${prefix}-0000-4000-8000-${i.toString(16).padStart(12, "0")}`, timeline };
  }
  return jobs;
}
