// What JobStatus and the gate do that talks to DRS: read statuses, and wait for a gate. Loaded
// on the first create, read or update (operations.ts), so a preview or a no-change update
// (check and diff only) never loads the client, axios or the waiting engine.
// All resources served by one process share one poller per endpoint/project/credentials, and
// its one client.
import { asJobIds } from "../api/job-ids";
import { connectionOf, resolveSettings, type DrsSettingsInput } from "../api/settings";
import { judge, targetSet, type JobStatusEntry } from "../api/status";
import { pollerFor } from "../wait/poller";
import { summarize } from "../wait/progress";
import { waitForJobs } from "../wait/wait-for-jobs";
import { formatDuration } from "../util/duration";
import { waitOptionsOf } from "./inputs";
import type { GateHooks, StackConfig } from "./operations";
import type { ConnectionInputs, GateInputs, JobStatusInputs } from "./spec";

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

/** Explicit inputs > stack config `drs:*` > the HW_* environment (inside DrsClient). */
export function settingsFor(inputs: ConnectionInputs, config: StackConfig): DrsSettingsInput {
  return { ...config, ...connectionOf(inputs), env: process.env };
}

/** The jobs as DRS reports them now, judged against the inputs' target statuses (JobStatus: the defaults). */
export async function fetchStatuses(
  inputs: JobStatusInputs & Pick<GateInputs, "targetStatuses">,
  config: StackConfig,
): Promise<JobStatusEntry[]> {
  const targets = targetSet(inputs.targetStatuses);
  // The ids come back from the engine's state: checked here, once, for the poller and client.
  const jobIds = asJobIds(inputs.jobIds);
  const poller = pollerFor(resolveSettings(settingsFor(inputs, config)));
  const observations = await poller.fetchOnce(jobIds, undefined, READ_COALESCE_MS);
  return observations.map((observation) => judge(observation, targets));
}

/** Waits until every job of the gate is ready; what the gate saw when it opened. */
export async function openGate(
  inputs: GateInputs,
  config: StackConfig,
  hooks: GateHooks,
): Promise<JobStatusEntry[]> {
  const started = Date.now();
  const result = await waitForJobs(inputs.jobIds, {
    ...settingsFor(inputs, config),
    ...waitOptionsOf(inputs),
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
  return result.jobs;
}

/** `, compared lines: 214 tables, all consistent,` when the gate ran comparisons. */
function comparedNote(jobs: readonly JobStatusEntry[]): string {
  const all = jobs.flatMap((job) => job.comparisons ?? []);
  if (all.length === 0) return "";
  const kinds = [...new Set(all.map((c) => c.kind))].join(", ");
  const tables = all.reduce((n, c) => n + c.tablesCompared, 0);
  return `, compared ${kinds}: ${tables} tables, all consistent,`;
}
