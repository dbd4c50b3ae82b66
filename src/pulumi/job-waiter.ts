// JobWaiter: the cutover gate. Its child gate resource waits in the dynamic-provider process
// (never in preview), so everything that depends on the waiter is created only once the gate
// opens; progress shows in place on the waiter's row.
import * as pulumi from "@pulumi/pulumi";
import type { JobStatusEntry } from "../api/status";
import type { Duration } from "../util/duration";
import type { ArgsMatch, Holds, JobStatusArgs } from "./job-status";
import { writeLease } from "./lease";
import { gateShim } from "./shim";
import type { JobWaiterInputs } from "./spec";

export interface JobWaiterArgs extends JobStatusArgs {
  /** Default FULL_TRANSFER_COMPLETE and INCRE_TRANSFER_STARTED. */
  targetStatuses?: pulumi.Input<pulumi.Input<string>[]>;
  /** Default "60m". Pulumi's customTimeouts do not reach dynamic resources: this does. */
  timeout?: pulumi.Input<Duration>;
  /** Default "10s". */
  pollInterval?: pulumi.Input<Duration>;
  /**
   * Safe cutover: a job in INCRE_TRANSFER_STARTED counts as ready only once its replication lag
   * is at most this (e.g. "5s"). Jobs in FULL_TRANSFER_COMPLETE (full-only) have no lag.
   */
  maxReplicationLag?: pulumi.Input<Duration>;
  /** With maxReplicationLag: the lag must stay low this long over consecutive polls. */
  lagStableFor?: pulumi.Input<Duration>;
  /**
   * Safe cutover: once every job is otherwise ready, run a DRS data comparison of each kind
   * per job (or adopt one of that kind already running) and open only when every table is
   * consistent: "lines" (row counts), "contents", "objects". Never in preview.
   */
  compare?: pulumi.Input<pulumi.Input<"lines" | "contents" | "objects">[]>;
}

type _JobWaiterArgsMatch = Holds<ArgsMatch<JobWaiterArgs, JobWaiterInputs>>;

class JobGate extends pulumi.dynamic.Resource {
  declare readonly jobs: pulumi.Output<JobStatusEntry[]>;
  declare readonly statuses: pulumi.Output<Record<string, string>>;
  declare readonly openedAt: pulumi.Output<string>;

  constructor(name: string, props: Record<string, unknown>, opts: pulumi.CustomResourceOptions) {
    super(
      gateShim,
      name,
      { ...props, jobs: undefined, statuses: undefined, openedAt: undefined },
      opts,
      "drs",
      "JobGate",
    );
  }
}

export class JobWaiter extends pulumi.ComponentResource {
  /** Every job as seen when the gate opened, in the order given. */
  readonly jobs: pulumi.Output<JobStatusEntry[]>;
  /** jobId → status when the gate opened. */
  readonly statuses: pulumi.Output<Record<string, string>>;
  /** When the gate opened (ISO 8601), as the plugin's JobWaiter reports it. */
  readonly openedAt: pulumi.Output<string>;

  constructor(name: string, args: JobWaiterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("drs-jobs:index:JobWaiter", name, {}, opts);
    // The gate's input waits for the lease, so the lease is in place before the gate can run.
    const waiterUrn = this.urn.apply((urn) => {
      if (!pulumi.runtime.isDryRun()) writeLease(urn);
      return urn;
    });
    const gate = new JobGate(`${name}-gate`, { ...args, waiterUrn }, { parent: this });
    this.jobs = gate.jobs;
    this.statuses = gate.statuses;
    this.openedAt = gate.openedAt;
    this.registerOutputs({ jobs: this.jobs, statuses: this.statuses, openedAt: this.openedAt });
  }
}
