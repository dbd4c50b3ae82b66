// JobStatus: the status of DRS jobs recorded in the stack; `pulumi refresh` re-reads it.
import * as pulumi from "@pulumi/pulumi";
import type { JobStatusEntry } from "../api/status";
import { jobStatusShim } from "./shim";
import type { ConnectionInputs, JobStatusInputs } from "./spec";

export interface ConnectionArgs {
  /** DRS base URL; default `drs:endpoint`, else HW_DRS_ENDPOINT, else from the region. */
  endpoint?: pulumi.Input<string>;
  /** Default `drs:region`, else HW_REGION_NAME. */
  region?: pulumi.Input<string>;
  /** Default `drs:projectId`, else HW_PROJECT_ID. */
  projectId?: pulumi.Input<string>;
  /** `en-us` (default) or `zh-cn`. */
  language?: pulumi.Input<string>;
}

export interface JobStatusArgs extends ConnectionArgs {
  jobIds: pulumi.Input<pulumi.Input<string>[]>;
}

/**
 * The argument interfaces above are written out for their doc comments in editors. These
 * hold them to spec.ts, the one description of the inputs: an input added or retyped there
 * and not here (or the reverse) fails the build.
 */
type ArgsOf<T> = { [K in keyof T]: ArgOf<NonNullable<T[K]>> };
type ArgOf<V> = [V] extends [readonly (infer E)[]]
  ? pulumi.Input<pulumi.Input<E>[]>
  : pulumi.Input<V>;
/** `true` when `Args` takes exactly the inputs `I`, each as required and typed as there. */
export type ArgsMatch<Args, I> = [keyof Args, keyof I] extends [keyof I, keyof Args]
  ? [Args, ArgsOf<I>] extends [ArgsOf<I>, Args]
    ? true
    : false
  : false;
export type Holds<T extends true> = T;
type _ConnectionArgsMatch = Holds<ArgsMatch<ConnectionArgs, ConnectionInputs>>;
type _JobStatusArgsMatch = Holds<ArgsMatch<JobStatusArgs, JobStatusInputs>>;

export class JobStatus extends pulumi.dynamic.Resource {
  /** One entry per job, in the order given. */
  declare readonly jobs: pulumi.Output<JobStatusEntry[]>;
  /** jobId → status (or the DRS error code when the service reported no status). */
  declare readonly statuses: pulumi.Output<Record<string, string>>;
  /** `statuses` as the last `pulumi up` recorded them; a refresh that differs shows as drift. */
  declare readonly statusesAtLastUpdate: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: JobStatusArgs, opts?: pulumi.CustomResourceOptions) {
    // A fresh props object per resource: the constructor writes `__provider` into it.
    super(
      jobStatusShim,
      name,
      { ...args, jobs: undefined, statuses: undefined, statusesAtLastUpdate: undefined },
      opts,
      "drs",
      "JobStatus",
    );
  }
}
