// The inputs of JobStatus and the gate, checked at the edge (`check`) with failures that name
// the property and say why, and compared (`diff`) the way a user thinks of them: a list of
// job IDs is a set, so reordering it changes nothing.
import { validateJobIds } from "../api/job-ids";
import { checkBaseUrl } from "../api/endpoints";
import { projectIdProblem } from "../api/auth/resolve";
import { LANGUAGES } from "../api/wire";
import { closest, distance, Problems } from "../util/input-error";
import { planWait } from "../wait/plan";
import type { WaitOptions } from "../wait/wait-for-jobs";
import {
  CONNECTION_INPUTS,
  JOB_INPUTS,
  JOB_STATUS_OUTPUTS,
  SET_INPUTS,
  WAIT_INPUTS,
  WAITER_OUTPUTS,
  type GateInputs,
  type JobStatusInputs,
} from "./spec";

export interface CheckFailure {
  property: string;
  reason: string;
}

/** What `check` returns: the inputs, typed from spec.ts, which hold when there are no failures. */
export interface Checked<T> {
  inputs: T;
  failures: CheckFailure[];
}

// The property names come from spec.ts, the one description of our resources.
const CONNECTION_KEYS = Object.keys(CONNECTION_INPUTS);
/** waiterUrn: the dynamic JobWaiter's own URN (the plugin's waiter logs on its own row). */
const GATE_ONLY_KEYS = [...Object.keys(WAIT_INPUTS), "waiterUrn"];
/** Outputs the resources declare (they come back in `news` as unset inputs). */
const OUTPUT_KEYS = [...Object.keys(JOB_STATUS_OUTPUTS), ...Object.keys(WAITER_OUTPUTS)];
/** Written by Pulumi's dynamic-resource machinery itself. */
const ENGINE_KEYS = ["__provider"];
/** Arguments that look like credentials: they would be stored in the state in plain text. */
const CREDENTIAL_LIKE = /token|secret|password|passwd|credential|accesskey|^ak$|^sk$/i;

/** Collected problems, as `check` reports them. */
function failuresOf(problems: Problems): CheckFailure[] {
  return problems.list.map((p) => ({ property: p.field, reason: p.reason }));
}

/**
 * Arguments we do not take are refused by name, never stored: a typo (`timout`) would be
 * ignored silently, and a credential passed as an argument would sit in the state in plain text.
 */
function unknownArguments(news: Record<string, unknown>, known: readonly string[]): CheckFailure[] {
  const allowed = new Set([...known, ...OUTPUT_KEYS, ...ENGINE_KEYS]);
  return Object.keys(news)
    .filter((key) => !allowed.has(key))
    .map((key) => {
      if (CREDENTIAL_LIKE.test(key)) {
        // No `property`: the engine prints a named property's value, and this one is a secret.
        return {
          property: "",
          reason:
            `${key}: credentials are not resource arguments (the state would keep them in plain ` +
            `text); set them as secret stack config (pulumi config set --secret drs:${key} ...) ` +
            "or in the HW_* environment",
        };
      }
      const nearest = closest(key, known as string[]);
      const hint =
        distance(key.toLowerCase(), nearest.toLowerCase()) <= Math.max(2, key.length / 3)
          ? `did you mean ${nearest}?`
          : `it takes ${known.join(", ")}`;
      return { property: key, reason: `is not an argument of this resource; ${hint}` };
    });
}

/** Checks the connection and job list inputs; returns the normalized inputs and failures. */
export function checkJobInputs(
  news: Record<string, unknown>,
  known: readonly string[] = JOB_STATUS_KEYS,
): Checked<JobStatusInputs> {
  const failures: CheckFailure[] = unknownArguments(news, known);
  const inputs: Record<string, unknown> = { ...news };
  const problems = new Problems();
  // Checked once: the list kept is the checked one, which the wait below takes as it is.
  const jobIds = problems.attempt(() => validateJobIds(news.jobIds));
  if (jobIds) inputs.jobIds = jobIds;
  failures.push(...failuresOf(problems));
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
  if (typeof news.projectId === "string" && news.projectId.trim() !== "") {
    const problem = projectIdProblem(news.projectId.trim());
    if (problem !== undefined) failures.push({ property: "projectId", reason: problem });
  }
  if (typeof news.endpoint === "string" && news.endpoint.trim() !== "") {
    const endpoint = new Problems();
    checkBaseUrl(news.endpoint, "endpoint", endpoint.list);
    failures.push(...failuresOf(endpoint).map((f) => ({ ...f, property: "endpoint" })));
  }
  // Typed here, where each field was checked: the engine calls create and update only with
  // inputs that passed.
  return { inputs: inputs as JobStatusInputs, failures };
}

/**
 * The wait's options among a gate's inputs: every input spec.ts lists in WAIT_INPUTS, under
 * the same name `waitForJobs` and `planWait` take it. So a new wait option declared there
 * reaches `check`, the wait and the plugin's schema without another edit here.
 */
export function waitOptionsOf(props: Readonly<Record<string, unknown>>): Partial<WaitOptions> {
  return Object.fromEntries(
    Object.keys(WAIT_INPUTS)
      .filter((key) => props[key] !== undefined && props[key] !== null)
      .map((key) => [key, props[key]]),
  ) as Partial<WaitOptions>;
}

/** The gate's own inputs on top of the job inputs, by the wait's own rules (`planWait`). */
export function checkGateInputs(news: Record<string, unknown>): Checked<GateInputs> {
  const { inputs, failures } = checkJobInputs(news, GATE_ARGUMENTS);
  // The wait's own rules, so that `up` accepts what `check` did.
  const problems = new Problems();
  problems.attempt(() => planWait(waitOptionsOf(news)));
  failures.push(...failuresOf(problems));
  return { inputs: inputs as GateInputs, failures };
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
    SET_INPUTS.includes(key)
      ? !sameSet(olds[key], news[key])
      : (olds[key] ?? null) !== (news[key] ?? null),
  );
}

export const JOB_STATUS_KEYS: readonly string[] = Object.keys(JOB_INPUTS);
/** Every argument the gate takes. */
const GATE_ARGUMENTS = [...JOB_STATUS_KEYS, ...GATE_ONLY_KEYS];
