// What JobStatus and the gate do on check/diff/create/read/update, shared by the two Pulumi
// adapters: the dynamic provider (provider.ts, in Pulumi's dynamic-provider process) and the
// `drs` provider plugin (src/plugin). The adapters differ only in where the configuration
// comes from, where progress goes and which AbortSignal tells a wait that the update was
// cancelled.
// All resources served by one process share one poller per endpoint/project/credentials, and
// its one client.
import { randomUUID } from "node:crypto";
import { asJobIds } from "../api/job-ids";
import { resolveSettings, type DrsSettingsInput } from "../api/settings";
import { judge, targetSet, type JobStatusEntry, type TargetStatuses } from "../api/status";
import { pollerFor } from "../wait/poller";
import { summarize } from "../wait/progress";
import { waitForJobs } from "../wait/wait-for-jobs";
import { formatDuration } from "../util/duration";
import {
  changedInputs,
  checkGateInputs,
  checkJobInputs,
  JOB_STATUS_KEYS,
  waitOptionsOf,
  type ConnectionInputs,
  type GateInputs,
  type JobStatusInputs,
} from "./inputs";
import { keepRecordedWhenMissing } from "./refresh";
import { CONFIG_KEYS, GATING_INPUTS, type ConfigKey } from "./spec";

export type StackConfig = Partial<Record<ConfigKey, string>>;
export type Props = Record<string, unknown>;

/** The `drs:*` stack configuration, from a lookup by full key (`drs:endpoint`). */
export function stackConfigFrom(get: (key: string) => string | undefined): StackConfig {
  const config: StackConfig = {};
  for (const key of CONFIG_KEYS) {
    const value = get(`drs:${key}`);
    if (value !== undefined && value !== "") config[key] = value;
  }
  return config;
}

/** Explicit inputs > stack config `drs:*` > the HW_* environment (inside DrsClient). */
export function settingsFor(inputs: ConnectionInputs, config: StackConfig): DrsSettingsInput {
  return {
    ...config,
    endpoint: inputs.endpoint ?? config.endpoint,
    region: inputs.region ?? config.region,
    projectId: inputs.projectId ?? config.projectId,
    language: inputs.language ?? config.language,
    env: process.env,
  };
}

/** Outputs carry no `undefined` (the engine's Struct cannot hold it). */
export function outputsOf(jobs: readonly JobStatusEntry[]) {
  const clean = jobs.map((job) => JSON.parse(JSON.stringify(job)) as JobStatusEntry);
  const statuses: Record<string, string> = {};
  for (const job of clean) statuses[job.id] = job.status ?? job.errorCode ?? "UNKNOWN";
  return { jobs: clean, statuses };
}

/**
 * The engine starts a program's resources as its parallel slots free up (4 per CPU by
 * default), a few ms apart (it checks them one at a time): a first poll that waits a little is
 * shared by those that start together. A read waits briefly: while it waits it holds a slot,
 * and a wait as long as the whole slot pool takes to fill makes the creates run in lock-step
 * waves (100 ms cost 50 JobStatus creates ~1.4× the minimal dynamic resource; 25 ms shares a
 * request among ~2-3 of them and keeps the pool busy). A gate is about to wait anyway.
 */
export const READ_COALESCE_MS = 25;
export const GATE_COALESCE_MS = 500;

/** The jobs as DRS reports them now, judged against `targets` (JobStatus: the defaults). */
async function fetchStatuses(
  inputs: JobStatusInputs,
  config: StackConfig,
  targets?: TargetStatuses,
): Promise<JobStatusEntry[]> {
  // The ids come back from the engine's state: checked here, once, for the poller and client.
  const jobIds = asJobIds(inputs.jobIds);
  const poller = pollerFor(resolveSettings(settingsFor(inputs, config)));
  const observations = await poller.fetchOnce(jobIds, undefined, READ_COALESCE_MS);
  return observations.map((observation) => judge(observation, targets));
}

/** Same jobs with the same statuses, whatever the key order the state came back in. */
function sameStatuses(a: unknown, b: unknown): boolean {
  const left = Object.entries((a ?? {}) as Record<string, unknown>);
  const right = (b ?? {}) as Record<string, unknown>;
  return left.length === Object.keys(right).length && left.every(([id, s]) => right[id] === s);
}

/**
 * JobStatus keeps two views: `statuses`, what DRS said at the last create, update or refresh,
 * and `statusesAtLastUpdate`, what the last `pulumi up` recorded. The engine shows a refresh's
 * drift when `diff(refreshed outputs, inputs)` reports changes, so a refresh that sees other
 * statuses shows as drift, and the next `pulumi up` records them.
 */
export function jobStatusOperations(config: () => StackConfig) {
  const read = async (inputs: Props) =>
    outputsOf(await fetchStatuses(inputs as unknown as JobStatusInputs, config()));
  return {
    async check(_olds: Props, news: Props) {
      return checkJobInputs(news);
    },
    async diff(_id: string, olds: Props, news: Props) {
      const changed = changedInputs(olds, news, JOB_STATUS_KEYS);
      const drifted = !sameStatuses(olds.statuses, olds.statusesAtLastUpdate);
      return { changes: changed.length > 0 || drifted, replaces: [] as string[] };
    },
    async create(inputs: Props) {
      const outs = await read(inputs);
      return {
        id: randomUUID(),
        outs: { ...inputs, ...outs, statusesAtLastUpdate: outs.statuses },
      };
    },
    /** Refresh: re-read; never drop the resource (a job that is gone stays, with its code). */
    async read(id: string, props: Props) {
      const inputs = props as unknown as JobStatusInputs;
      const jobs = keepRecordedWhenMissing(await fetchStatuses(inputs, config()), props.jobs);
      return { id, props: { ...props, ...outputsOf(jobs) } };
    },
    async update(_id: string, _olds: Props, news: Props) {
      const outs = await read(news);
      return { outs: { ...news, ...outs, statusesAtLastUpdate: outs.statuses } };
    },
    async delete() {
      // Nothing to delete: the resource only records what DRS reports.
    },
  };
}

/**
 * Why a gate stops waiting when the update is cancelled: the reason each adapter aborts its
 * signal with (WaitAbortedError puts it first in its message).
 */
export const UPDATE_CANCELLED = "the update was cancelled";

/** What a waiting gate is given by its adapter. */
export interface GateHooks {
  /** Progress on the waiter's row; ephemeral lines replace each other in place. */
  log(message: string, ephemeral: boolean): void;
  /** Aborts when the update is cancelled; the wait then rejects with WaitAbortedError. */
  signal: AbortSignal;
}

async function openGate(inputs: GateInputs, config: StackConfig, hooks: GateHooks) {
  const started = Date.now();
  const result = await waitForJobs(inputs.jobIds, {
    ...settingsFor(inputs, config),
    ...waitOptionsOf(inputs as unknown as Props),
    // Percent and time left on the waiter's row: one batch-progress per 100 jobs per 30 s.
    showProgress: true,
    firstPollDelay: `${GATE_COALESCE_MS}ms`,
    signal: hooks.signal,
    onProgress: (progress) => {
      // The last poll's news is the "gate open" line below.
      if (progress.ready < progress.total) hooks.log(summarize(progress), true);
    },
  });
  const n = result.jobs.length;
  hooks.log(
    `gate open: ${n}/${n} DRS jobs ready${comparedNote(result.jobs)} after ${formatDuration(Date.now() - started)}`,
    false,
  );
  return { ...outputsOf(result.jobs), openedAt: new Date().toISOString() };
}

/** `, compared lines: 214 tables, all consistent,` when the gate ran comparisons. */
function comparedNote(jobs: readonly JobStatusEntry[]): string {
  const all = jobs.flatMap((job) => job.comparisons ?? []);
  if (all.length === 0) return "";
  const kinds = [...new Set(all.map((c) => c.kind))].join(", ");
  const tables = all.reduce((n, c) => n + c.tablesCompared, 0);
  return `, compared ${kinds}: ${tables} tables, all consistent,`;
}

function allReady(props: Props): boolean {
  const jobs = props.jobs;
  return Array.isArray(jobs) && jobs.every((job: JobStatusEntry) => job?.phase === "ready");
}

/** The gate: its create and update wait until every job is ready. */
export function gateOperations(config: () => StackConfig) {
  return {
    async check(_olds: Props, news: Props) {
      return checkGateInputs(news);
    },
    /**
     * After a refresh, `olds` are the re-read outputs: a gate whose jobs are no longer all
     * ready must be verified again, so `pulumi up --refresh` waits (or fails) before
     * dependents move.
     */
    async diff(_id: string, olds: Props, news: Props) {
      // timeout, pollInterval and waiterUrn change how we wait, not what we gate on.
      const changed = changedInputs(olds, news, GATING_INPUTS);
      return { changes: changed.length > 0 || !allReady(olds), replaces: [] as string[] };
    },
    async create(inputs: Props, hooks: GateHooks) {
      const outs = await openGate(inputs as unknown as GateInputs, config(), hooks);
      return { id: randomUUID(), outs: { ...inputs, ...outs } };
    },
    /**
     * Refresh re-reads the statuses (not the lag: it changes every second and is re-checked
     * by the next wait); the progress seen when the gate opened stays, so it is not drift.
     */
    async read(id: string, props: Props) {
      const inputs = props as unknown as GateInputs;
      const jobs = keepRecordedWhenMissing(
        await fetchStatuses(inputs, config(), targetSet(inputs.targetStatuses)),
        props.jobs,
      );
      const seen = new Map(
        (Array.isArray(props.jobs) ? (props.jobs as JobStatusEntry[]) : []).map((j) => [j?.id, j]),
      );
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
    async update(_id: string, _olds: Props, news: Props, hooks: GateHooks) {
      return {
        outs: { ...news, ...(await openGate(news as unknown as GateInputs, config(), hooks)) },
      };
    },
    async delete() {
      // Opening a gate changes nothing in DRS.
    },
  };
}
