// Drift: record DRS job statuses in the stack; `pulumi refresh` re-reads them and shows what
// changed since the last `pulumi up`.
import * as pulumi from "@pulumi/pulumi";
import { JobStatus } from "pulumi-drs-jobs";

const config = new pulumi.Config();

const jobs = new JobStatus("migration-jobs", {
  jobIds: config.requireObject<string[]>("jobIds"),
  // Messages in Chinese: "zh-cn". The default is "en-us".
  language: config.get("language"),
});

export const statuses = jobs.statuses;
export const failedJobs = jobs.jobs.apply((all) =>
  all.filter((job) => job.phase === "failed" || job.phase === "stopped").map((job) => job.id),
);
