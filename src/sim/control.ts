// The simulator's controls, defined once: the object startSimulator returns carries them as
// its methods, and the /_sim/ admin API (routes/admin.ts) calls the same functions, so tests
// in and out of process agree.
import type { QueryJobStatusResp, QueryProgressResp } from "../api/wire";
import type { Duration } from "../util/duration";
import { progressResult } from "./progress";
import { parseCompare } from "./compare";
import { parseFault } from "./fault-spec";
import { parseJob, parseStep } from "./scenario";
import type { SimState } from "./state";
import type { TemporaryKeysView } from "./temporary-keys";
import type { RequestCounters, RequestLogEntry } from "./stats";
import type {
  CompareInput,
  CompareSpec,
  Fault,
  FaultInput,
  JobInput,
  TimelineStep,
  TimelineStepInput,
} from "./types";
import { Issues } from "./validate";

/** Bad input to a control: the admin API answers it with 400, 404 or 409. */
export class SimInputError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409 = 400,
  ) {
    super(message);
    this.name = "SimInputError";
  }
}

export interface JobView {
  id: string;
  /** batch-progress `task_mode` when the job names one (default FULL_INCR_TRANS). */
  taskMode?: string;
  /** What batch-status reports for the job right now (English messages). */
  current: QueryJobStatusResp;
  /** What batch-progress reports for the job right now (English messages). */
  progress: QueryProgressResp;
  timeline: TimelineStep[];
}

export interface ClockView {
  /** ISO time on the simulator clock. */
  now: string;
  elapsedMs: number;
  advancedMs: number;
}

/** What `setJobStatus` takes: a timeline step without its time, since it applies now. */
export type JobStatusChange = Omit<TimelineStepInput, "at">;

/** Refuses a control's input with every problem found, field first, if there is any. */
function refuse(issues: Issues): void {
  issues.throwAs((lines) => new SimInputError(lines.join("; ")));
}

/**
 * The controls over one simulator's state, grouped by what they control; they never use
 * `this`, so callers may destructure.
 */
export function createControls(state: SimState) {
  const jobs = jobControls(state);
  const faults = faultControls(state);
  const clock = clockControls(state);
  return {
    ...jobs,
    ...faults,
    ...clock,
    ...requestControls(state),
    ...keyControls(state),

    summary(): {
      projectId: string;
      maxPageSize?: number;
      jobs: number;
      faults: Fault[];
      clock: ClockView;
      auth: string[];
    } {
      const { auth } = state;
      const modes = [
        ...(auth.token !== undefined ? ["token"] : []),
        ...(auth.keys.size > 0 ? ["aksk"] : []),
        ...(auth.iam !== undefined ? ["iam"] : []),
        ...(auth.federation !== undefined ? ["federation"] : []),
        ...(auth.ecsMetadata !== undefined ? ["ecs-metadata"] : []),
      ];
      return {
        projectId: state.projectId,
        ...(state.maxPageSize !== undefined && { maxPageSize: state.maxPageSize }),
        jobs: state.jobs.size,
        faults: faults.faults(),
        clock: clock.clock(),
        auth: modes.length > 0 ? modes : ["none"],
      };
    },
  };
}

/** Jobs: what they report, their comparisons. */
function jobControls(state: SimState) {
  const controls = {
    /**
     * Sets what a job reports from now on (creating it if unknown); its script ends here. A
     * change with only `progress` and/or `lag` keeps the job's current status and error.
     */
    setJobStatus(id: string, change: JobStatusChange | string): JobView {
      if (typeof id !== "string" || id === "")
        throw new SimInputError("id: must be a non-empty string");
      let input = typeof change === "string" ? { status: change } : change;
      if (
        input !== null &&
        typeof input === "object" &&
        input.status === undefined &&
        input.errorCode === undefined &&
        (input.progress !== undefined || input.lag !== undefined)
      ) {
        const { atMs: _at, progress: _p, lagMs: _l, ...current } = state.jobs.current(id) ?? {};
        input = { ...current, ...input };
      }
      const issues = new Issues();
      const step = parseStep({ ...input, at: 0 }, "body", issues);
      refuse(issues);
      const { atMs: _at, ...rest } = step;
      state.jobs.setNow(id, rest);
      return controls.job(id);
    },

    addJob(job: JobInput): JobView {
      return controls.addJobs([job])[0];
    },

    /** Adds jobs all or nothing: one bad entry adds none, so a retry does not hit 409. */
    addJobs(jobs: JobInput[]): JobView[] {
      if (!Array.isArray(jobs)) throw new SimInputError("jobs: must be an array");
      const issues = new Issues();
      const parsed = jobs.map((job, i) => parseJob(job, `jobs[${i}]`, issues));
      refuse(issues);
      const seen = new Set<string>();
      for (const job of parsed) {
        const id = job!.id;
        if (state.jobs.has(id) || seen.has(id)) {
          throw new SimInputError(`job ${id} already exists; use setJobStatus to change it`, 409);
        }
        seen.add(id);
      }
      for (const job of parsed) {
        state.jobs.add(job!);
        if (job!.compare) state.compares.setSpec(job!.id, job!.compare);
      }
      return parsed.map((job) => controls.job(job!.id));
    },

    /**
     * Sets what the job's comparisons started from now on report (tables, duration, `fail`);
     * a comparison already started keeps the tables it started with.
     */
    setCompare(id: string, input: CompareInput): CompareSpec {
      if (!state.jobs.has(id)) throw new SimInputError(`job ${id} does not exist`, 404);
      const issues = new Issues();
      const spec = parseCompare(input, "compare", issues);
      refuse(issues);
      state.compares.setSpec(id, spec!);
      return spec!;
    },

    /** What the job's comparisons report: its tables, duration and `fail`. */
    compare(id: string): CompareSpec {
      if (!state.jobs.has(id)) throw new SimInputError(`job ${id} does not exist`, 404);
      return state.compares.spec(id);
    },

    removeJob(id: string): boolean {
      return state.jobs.remove(id);
    },

    job(id: string): JobView {
      const job = state.jobs.get(id);
      if (!job) throw new SimInputError(`job ${id} does not exist`, 404);
      return {
        id,
        current: state.jobs.result(id, "en-us"),
        progress: progressResult(state.jobs, state.clock, id, "en-us"),
        timeline: job.timeline,
        ...(job.taskMode && { taskMode: job.taskMode }),
      };
    },
  };
  return controls;
}

/** Faults injected into the service's answers. */
function faultControls(state: SimState) {
  const controls = {
    addFault(fault: FaultInput): Fault {
      return controls.addFaults([fault])[0];
    },

    addFaults(faults: FaultInput[]): Fault[] {
      if (!Array.isArray(faults)) throw new SimInputError("faults: must be an array");
      const issues = new Issues();
      const parsed = faults.map((fault, i) => parseFault(fault, `faults[${i}]`, issues));
      refuse(issues);
      return parsed.map((fault) => state.faults.add(fault!));
    },

    faults(): Fault[] {
      return state.faults.list();
    },

    /** Clears one fault by ID, or all of them; returns how many were removed. */
    clearFaults(id?: string): number {
      return state.faults.clear(id);
    },
  };
  return controls;
}

/** The simulator's clock, which only moves forward. */
function clockControls(state: SimState) {
  const controls = {
    advanceClock(by: Duration): ClockView {
      const issues = new Issues();
      const ms = issues.duration("advance", by);
      // Checked before applying: a clock past the last valid date (year 275760) would make
      // every later request fail, and time cannot be moved back.
      if (ms !== undefined && !isValidDate(state.clock.now() + ms)) {
        issues.add("advance", `${JSON.stringify(by)} would move the clock past a valid date`);
      }
      refuse(issues);
      state.clock.advance(ms!);
      return controls.clock();
    },

    clock(): ClockView {
      const { clock } = state;
      return {
        now: new Date(clock.now()).toISOString(),
        elapsedMs: Math.round(clock.elapsed()),
        advancedMs: clock.advancedMs,
      };
    },
  };
  return controls;
}

/** What the simulator was asked: counters and the request log. */
function requestControls(state: SimState) {
  return {
    counters(): RequestCounters {
      return state.stats.snapshot();
    },

    resetCounters(): void {
      state.stats.resetCounters();
    },

    requestLog(limit?: number): RequestLogEntry[] {
      if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 0)) {
        throw new SimInputError(`limit: must be an integer >= 0 (got ${limit})`);
      }
      return state.stats.entries(limit);
    },

    clearRequestLog(): void {
      state.stats.clearLog();
    },
  };
}

/** IAM tokens and temporary keys. */
function keyControls(state: SimState) {
  const controls = {
    /** Revokes one IAM token, or all; the next DRS call with it gets 401 APIG.1002. */
    revokeTokens(token?: string): number {
      return state.tokens.revoke(token);
    },

    /** Lifetime of temporary keys from now on, and what was issued. */
    temporaryKeys(): TemporaryKeysView {
      return state.tokens.temporary.view();
    },

    /** Sets how long temporary keys issued from now on stay valid (e.g. "5s"). */
    setTemporaryKeyLifetime(lifetime: Duration): TemporaryKeysView {
      const issues = new Issues();
      const ms = issues.duration("lifetime", lifetime);
      if (ms === 0) issues.add("lifetime", "must be more than 0");
      refuse(issues);
      state.tokens.temporary.lifetimeMs = ms!;
      return controls.temporaryKeys();
    },

    /** Expires every temporary key issued so far; the next call with one gets 401 "expired". */
    expireTemporaryKeys(): number {
      return state.tokens.temporary.expireAll();
    },
  };
  return controls;
}

export type SimControls = ReturnType<typeof createControls>;

/** Whether epoch milliseconds are a date (±8.64e15 ms, about year ±275760). */
function isValidDate(epochMs: number): boolean {
  return Number.isFinite(new Date(epochMs).getTime());
}
