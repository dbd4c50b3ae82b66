// JobStatus: the status of DRS jobs recorded in the stack; `pulumi refresh` re-reads it.
import * as pulumi from "@pulumi/pulumi";
import type { JobStatusEntry } from "../api/status";
import { jobStatusShim } from "./shim";

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
