// What JobStatus and the gate do on check/diff/create/read/update, shared by the two Pulumi
// adapters: the dynamic provider (provider.ts, in Pulumi's dynamic-provider process) and the
// `drs` provider plugin (src/plugin). The adapters differ only in where the configuration
// comes from, where progress goes and which AbortSignal tells a wait that the update was
// cancelled. Both resources have the same operations with the same signatures: an adapter
// picks one by type and calls it, with no case of its own.
//
// check returns the inputs typed from spec.ts; the engine hands those back to create and
// update, and the state (inputs and outputs) to diff and read. What talks to DRS
// (drs-calls.ts) is loaded on the first create, read or update: a preview runs only check and
// diff, and loads neither the client nor the waiting engine.
import { randomUUID } from "node:crypto";
import type { JobStatusEntry } from "../api/status";
import { changedInputs, checkGateInputs, checkJobInputs, JOB_STATUS_KEYS } from "./inputs";
import { keepRecordedWhenMissing } from "./refresh";
import {
  CONFIG_KEYS,
  GATING_INPUTS,
  type ConfigKey,
  type GateInputs,
  type JobStatusInputs,
} from "./spec";

export type StackConfig = Partial<Record<ConfigKey, string>>;
export type Props = Record<string, unknown>;

/** What a JobStatus records besides its inputs. */
export interface JobStatusOutputs {
  jobs: JobStatusEntry[];
  statuses: Record<string, string>;
  statusesAtLastUpdate: Record<string, string>;
}

/** What a gate records besides its inputs. */
export interface GateOutputs {
  jobs: JobStatusEntry[];
  statuses: Record<string, string>;
  openedAt: string;
}

const drs = () => import("./drs-calls.js");

/** The `drs:*` stack configuration, from a lookup by full key (`drs:endpoint`). */
export function stackConfigFrom(get: (key: string) => string | undefined): StackConfig {
  const config: StackConfig = {};
  for (const key of CONFIG_KEYS) {
    const value = get(`drs:${key}`);
    if (value !== undefined && value !== "") config[key] = value;
  }
  return config;
}

/** Outputs carry no `undefined` (the engine's Struct cannot hold it). */
export function outputsOf(jobs: readonly JobStatusEntry[]) {
  const clean = jobs.map((job) => JSON.parse(JSON.stringify(job)) as JobStatusEntry);
  const statuses: Record<string, string> = {};
  for (const job of clean) statuses[job.id] = job.status ?? job.errorCode ?? "UNKNOWN";
  return { jobs: clean, statuses };
}

/** Same jobs with the same statuses, whatever the key order the state came back in. */
function sameStatuses(a: unknown, b: unknown): boolean {
  const left = Object.entries((a ?? {}) as Record<string, unknown>);
  const right = (b ?? {}) as Record<string, unknown>;
  return left.length === Object.keys(right).length && left.every(([id, s]) => right[id] === s);
}

/**
 * Why a gate stops waiting when the update is cancelled: the reason each adapter aborts its
 * signal with (WaitAbortedError puts it first in its message).
 */
export const UPDATE_CANCELLED = "the update was cancelled";

/** What a resource's create and update are given by its adapter (a JobStatus needs none of it). */
export interface GateHooks {
  /** Progress on the waiter's row; ephemeral lines replace each other in place. */
  log(message: string, ephemeral: boolean): void;
  /** Aborts when the update is cancelled; the wait then rejects with WaitAbortedError. */
  signal: AbortSignal;
}

/** Without an adapter's hooks a gate waits with no progress line, until its own timeout. */
const NO_HOOKS: GateHooks = { log: () => {}, signal: new AbortController().signal };

/**
 * The operations of one resource type, typed by its inputs and outputs. `hooks` is where a
 * waiting gate's progress goes and what cancels it; a JobStatus does not wait.
 */
export interface ResourceOperations<I, O> {
  check(
    olds: Props,
    news: Props,
  ): Promise<{ inputs: I; failures: { property: string; reason: string }[] }>;
  diff(
    id: string,
    olds: I & Partial<O>,
    news: I,
  ): Promise<{ changes: boolean; replaces: string[] }>;
  create(inputs: I, hooks?: GateHooks): Promise<{ id: string; outs: I & O }>;
  read(id: string, props: I & Partial<O>): Promise<{ id: string; props: I & Partial<O> }>;
  update(id: string, olds: I & Partial<O>, news: I, hooks?: GateHooks): Promise<{ outs: I & O }>;
  delete(): Promise<void>;
}

/**
 * JobStatus keeps two views: `statuses`, what DRS said at the last create, update or refresh,
 * and `statusesAtLastUpdate`, what the last `pulumi up` recorded. The engine shows a refresh's
 * drift when `diff(refreshed outputs, inputs)` reports changes, so a refresh that sees other
 * statuses shows as drift, and the next `pulumi up` records them.
 */
export function jobStatusOperations(
  config: () => StackConfig,
): ResourceOperations<JobStatusInputs, JobStatusOutputs> {
  const record = async (inputs: JobStatusInputs) => {
    const outs = outputsOf(await (await drs()).fetchStatuses(inputs, config()));
    return { ...inputs, ...outs, statusesAtLastUpdate: outs.statuses };
  };
  return {
    async check(_olds, news) {
      return checkJobInputs(news);
    },
    async diff(_id, olds, news) {
      const changed = changedInputs(olds, news, JOB_STATUS_KEYS);
      const drifted = !sameStatuses(olds.statuses, olds.statusesAtLastUpdate);
      return { changes: changed.length > 0 || drifted, replaces: [] };
    },
    async create(inputs) {
      return { id: randomUUID(), outs: await record(inputs) };
    },
    /** Refresh: re-read; never drop the resource (a job that is gone stays, with its code). */
    async read(id, props) {
      const fresh = await (await drs()).fetchStatuses(props, config());
      const jobs = keepRecordedWhenMissing(fresh, props.jobs);
      return { id, props: { ...props, ...outputsOf(jobs) } };
    },
    async update(_id, _olds, news) {
      return { outs: await record(news) };
    },
    async delete() {
      // Nothing to delete: the resource only records what DRS reports.
    },
  };
}

function allReady(props: Partial<GateOutputs>): boolean {
  const jobs = props.jobs;
  return Array.isArray(jobs) && jobs.every((job: JobStatusEntry) => job?.phase === "ready");
}

/** The gate: its create and update wait until every job is ready. */
export function gateOperations(
  config: () => StackConfig,
): ResourceOperations<GateInputs, GateOutputs> {
  const open = async (inputs: GateInputs, hooks = NO_HOOKS) => {
    const jobs = await (await drs()).openGate(inputs, config(), hooks);
    return { ...inputs, ...outputsOf(jobs), openedAt: new Date().toISOString() };
  };
  return {
    async check(_olds, news) {
      return checkGateInputs(news);
    },
    /**
     * After a refresh, `olds` are the re-read outputs: a gate whose jobs are no longer all
     * ready must be verified again, so `pulumi up --refresh` waits (or fails) before
     * dependents move.
     */
    async diff(_id, olds, news) {
      // timeout, pollInterval and waiterUrn change how we wait, not what we gate on.
      const changed = changedInputs(olds, news, GATING_INPUTS);
      return { changes: changed.length > 0 || !allReady(olds), replaces: [] };
    },
    async create(inputs, hooks) {
      return { id: randomUUID(), outs: await open(inputs, hooks) };
    },
    /**
     * Refresh re-reads the statuses (not the lag: it changes every second and is re-checked
     * by the next wait); the progress seen when the gate opened stays, so it is not drift.
     */
    async read(id, props) {
      const fresh = await (await drs()).fetchStatuses(props, config());
      const jobs = keepRecordedWhenMissing(fresh, props.jobs);
      const seen = new Map((Array.isArray(props.jobs) ? props.jobs : []).map((j) => [j?.id, j]));
      const kept = jobs.map((job) => {
        const before = seen.get(job.id);
        if (!before) return job;
        // What the gate saw when it opened stays: a refresh re-reads statuses, not the lag
        // (it changes every second) nor the data (a comparison takes minutes).
        const { percent, replicationLagMs, remainingMs, comparisons } = before;
        return { ...job, percent, replicationLagMs, remainingMs, comparisons };
      });
      return { id, props: { ...props, ...outputsOf(kept) } };
    },
    async update(_id, _olds, news, hooks) {
      return { outs: await open(news, hooks) };
    },
    async delete() {
      // Opening a gate changes nothing in DRS.
    },
  };
}
