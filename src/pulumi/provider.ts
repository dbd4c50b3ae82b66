// The providers' real code. It runs in Pulumi's dynamic-provider process, loaded by the
// serialized shim (shim.ts) at call time, so a package upgrade takes effect on the next
// refresh. All resources of a program share this module, so they share one poller per
// endpoint/project/credentials: one request per 100 distinct jobs per tick.
import { randomUUID } from "node:crypto";
import { DrsClient } from "../api/client";
import type { DrsSettingsInput } from "../api/settings";
import { judge, targetSet, type JobStatusEntry, type TargetStatuses } from "../api/status";
import { sharedPoller } from "../wait/poller";
import { summarize } from "../wait/progress";
import { waitForJobs, type WaitResult } from "../wait/wait-for-jobs";
import { formatDuration } from "../util/duration";
import { engineAddress, logToEngine } from "./engine-log";
import { isRunning, readLease, removeLease } from "./lease";
import {
  changedInputs,
  checkGateInputs,
  checkJobInputs,
  GATE_KEYS,
  JOB_STATUS_KEYS,
  type ConnectionInputs,
  type GateInputs,
  type JobStatusInputs,
} from "./inputs";

/** Stack config keys (namespace `drs`) the provider reads in `configure`. */
export const CONFIG_KEYS = [
  "endpoint",
  "region",
  "projectId",
  "language",
  "authToken",
  "accessKey",
  "secretKey",
  "securityToken",
  "userName",
  "password",
  "domainName",
  "iamEndpoint",
] as const;

type StackConfig = Partial<Record<(typeof CONFIG_KEYS)[number], string>>;
let stackConfig: StackConfig = {};

interface ConfigureRequest {
  config: { get(key: string): string | undefined };
}

function configure(request: ConfigureRequest): void {
  const config: StackConfig = {};
  for (const key of CONFIG_KEYS) {
    const value = request.config.get(`drs:${key}`);
    if (value !== undefined && value !== "") config[key] = value;
  }
  stackConfig = config;
}

/** Explicit inputs > stack config `drs:*` > the HW_* environment (inside DrsClient). */
export function settingsFor(
  inputs: ConnectionInputs,
  config: StackConfig = stackConfig,
): DrsSettingsInput {
  return {
    ...config,
    endpoint: inputs.endpoint ?? config.endpoint,
    region: inputs.region ?? config.region,
    projectId: inputs.projectId ?? config.projectId,
    language: inputs.language ?? config.language,
    env: process.env,
  };
}

function clientFor(inputs: ConnectionInputs): DrsClient {
  return new DrsClient(settingsFor(inputs));
}

/** Outputs carry no `undefined` (the engine's Struct cannot hold it). */
function outputsOf(jobs: readonly JobStatusEntry[]) {
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
  targets?: TargetStatuses,
): Promise<JobStatusEntry[]> {
  const observations = await sharedPoller(clientFor(inputs)).fetchOnce(
    inputs.jobIds,
    undefined,
    READ_COALESCE_MS,
  );
  return observations.map((observation) => judge(observation, targets));
}

async function readStatuses(inputs: JobStatusInputs) {
  return outputsOf(await fetchStatuses(inputs));
}

type Props = Record<string, unknown>;

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
export const jobStatusProvider = {
  configure,
  async check(_olds: Props, news: Props) {
    return checkJobInputs(news);
  },
  async diff(_id: string, olds: Props, news: Props) {
    const changed = changedInputs(olds, news, JOB_STATUS_KEYS);
    const drifted = !sameStatuses(olds.statuses, olds.statusesAtLastUpdate);
    return { changes: changed.length > 0 || drifted, replaces: [] as string[] };
  },
  async create(inputs: Props) {
    const outs = await readStatuses(inputs as unknown as JobStatusInputs);
    return { id: randomUUID(), outs: { ...inputs, ...outs, statusesAtLastUpdate: outs.statuses } };
  },
  /** Refresh: re-read; never drop the resource (a job that is gone stays, with its code). */
  async read(id: string, props: Props) {
    const outs = await readStatuses(props as unknown as JobStatusInputs);
    return { id, props: { ...props, ...outs } };
  },
  async update(_id: string, _olds: Props, news: Props) {
    const outs = await readStatuses(news as unknown as JobStatusInputs);
    return { outs: { ...news, ...outs, statusesAtLastUpdate: outs.statuses } };
  },
  async delete() {
    // Nothing to delete: the resource only records what DRS reports.
  },
};

/** Rejects with a cancellation error when this run's Pulumi program process goes away. */
function programEnded(waiterUrn: string | undefined, signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    const program = readLease(waiterUrn, engineAddress());
    if (!program) return;
    const timer = setInterval(() => {
      if (isRunning(program)) return;
      clearInterval(timer);
      reject(new Error("the update was cancelled: stopped waiting for the DRS jobs"));
    }, 250);
    signal.addEventListener("abort", () => clearInterval(timer), { once: true });
  });
}

async function gate(inputs: GateInputs) {
  const controller = new AbortController();
  const started = Date.now();
  try {
    const wait: Promise<WaitResult> = waitForJobs(inputs.jobIds, {
      ...settingsFor(inputs),
      targetStatuses: inputs.targetStatuses,
      timeout: inputs.timeout,
      pollInterval: inputs.pollInterval,
      firstPollDelay: `${GATE_COALESCE_MS}ms`,
      signal: controller.signal,
      onProgress: (progress) => {
        // The last poll's news is the "gate open" line below.
        if (progress.ready < progress.total)
          logToEngine(inputs.waiterUrn, summarize(progress), true);
      },
    });
    const result = await Promise.race([wait, programEnded(inputs.waiterUrn, controller.signal)]);
    logToEngine(
      inputs.waiterUrn,
      `gate open: ${result.jobs.length}/${result.jobs.length} DRS jobs ready after ${formatDuration(Date.now() - started)}`,
      false,
    );
    return { ...outputsOf(result.jobs), openedAt: new Date().toISOString() };
  } finally {
    controller.abort();
    removeLease(inputs.waiterUrn, engineAddress());
  }
}

function allReady(props: Props): boolean {
  const jobs = props.jobs;
  return Array.isArray(jobs) && jobs.every((job: JobStatusEntry) => job?.phase === "ready");
}

export const gateProvider = {
  configure,
  async check(_olds: Props, news: Props) {
    return checkGateInputs(news);
  },
  /**
   * After a refresh, `olds` are the re-read outputs: a gate whose jobs are no longer all ready
   * must be verified again, so `pulumi up --refresh` waits (or fails) before dependents move.
   */
  async diff(_id: string, olds: Props, news: Props) {
    const changed = changedInputs(olds, news, GATE_KEYS);
    return { changes: changed.length > 0 || !allReady(olds), replaces: [] as string[] };
  },
  async create(inputs: Props) {
    return {
      id: randomUUID(),
      outs: { ...inputs, ...(await gate(inputs as unknown as GateInputs)) },
    };
  },
  async read(id: string, props: Props) {
    const gateInputs = props as unknown as GateInputs;
    const jobs = await fetchStatuses(gateInputs, targetSet(gateInputs.targetStatuses));
    return { id, props: { ...props, ...outputsOf(jobs) } };
  },
  async update(_id: string, _olds: Props, news: Props) {
    return { outs: { ...news, ...(await gate(news as unknown as GateInputs)) } };
  },
  async delete() {
    // Opening a gate changes nothing in DRS.
  },
};
