// The jobs the simulator knows, by ID. A Map keeps lookups O(1) so a bulk scenario with
// thousands of jobs answers as fast as one with two.
import type { Language, QueryJobStatusResp } from "../api/wire";
import type { SimClock } from "./clock";
import { knownMessage, message } from "./messages";
import type { SimJob, TimelineStep } from "./types";

export class JobStore {
  private readonly jobs = new Map<string, SimJob>();

  constructor(
    private readonly clock: SimClock,
    initial: Iterable<SimJob> = [],
  ) {
    for (const job of initial) this.add(job);
  }

  has(id: string): boolean {
    return this.jobs.has(id);
  }

  get size(): number {
    return this.jobs.size;
  }

  add(job: SimJob): void {
    this.jobs.set(job.id, { ...job, timeline: [...job.timeline] });
  }

  remove(id: string): boolean {
    return this.jobs.delete(id);
  }

  get(id: string): SimJob | undefined {
    const job = this.jobs.get(id);
    return job && { ...job, timeline: job.timeline.map((step) => ({ ...step })) };
  }

  /**
   * Sets what the job reports from now on. The rest of its script is dropped: an operator
   * action (or a test) overrides what was planned, as on the real service.
   */
  setNow(id: string, step: Omit<TimelineStep, "atMs">): void {
    const atMs = this.clock.elapsed();
    const job = this.jobs.get(id);
    const kept = job ? job.timeline.filter((s) => s.atMs <= atMs) : [];
    this.jobs.set(id, { ...job, id, timeline: [...kept, { ...step, atMs }] });
  }

  /** The step in force now, or undefined before the job's first step (it does not exist yet). */
  current(id: string): TimelineStep | undefined {
    const job = this.jobs.get(id);
    if (!job) return undefined;
    const found = this.#index(job);
    return found < 0 ? undefined : job.timeline[found];
  }

  /** batch-progress's view: the step in force, the job's mode, and when its status changes next. */
  progress(id: string): {
    step?: TimelineStep;
    taskMode?: SimJob["taskMode"];
    nextChangeInMs?: number;
    /** How long the job has been in the step's status (its earlier steps with it included). */
    inStatusForMs?: number;
  } {
    const job = this.jobs.get(id);
    if (!job) return {};
    const found = this.#index(job);
    if (found < 0) return { taskMode: job.taskMode };
    const step = job.timeline[found];
    let first = found;
    while (first > 0 && job.timeline[first - 1].status === step.status) first--;
    const inStatusForMs = Math.max(0, this.clock.elapsed() - job.timeline[first].atMs);
    for (let i = found + 1; i < job.timeline.length; i++) {
      const next = job.timeline[i];
      if (next.status !== step.status) {
        const nextChangeInMs = Math.max(0, next.atMs - this.clock.elapsed());
        return { step, taskMode: job.taskMode, nextChangeInMs, inStatusForMs };
      }
    }
    return { step, taskMode: job.taskMode, inStatusForMs };
  }

  /** Index of the step in force, -1 before the first. */
  #index(job: SimJob): number {
    const elapsed = this.clock.elapsed();
    const { timeline } = job;
    // Binary search: long scripted timelines stay cheap per request.
    let lo = 0;
    let hi = timeline.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (timeline[mid].atMs <= elapsed) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** One entry of a batch-status answer. */
  result(id: string, language: Language): QueryJobStatusResp {
    const step = this.current(id);
    if (!step) {
      return { id, error_code: "DRS.M00289", error_message: message("DRS.M00289", language) };
    }
    const result: QueryJobStatusResp = { id };
    if (step.status !== undefined) result.status = step.status;
    if (step.errorCode !== undefined) {
      result.error_code = step.errorCode;
      result.error_message = stepMessage(step, language);
    }
    return result;
  }
}

export function stepMessage(step: TimelineStep, language: Language): string {
  const code = step.errorCode ?? "";
  if (language === "zh-cn") {
    return step.errorMessageZh ?? knownMessage(code, language) ?? step.errorMessage ?? code;
  }
  return step.errorMessage ?? knownMessage(code, language) ?? code;
}
