// Benchmark stack: `bench:resources` JobStatus resources, each over its own
// `bench:jobsPerResource` jobs (ids bench-000000, bench-000001, ...), connection from `drs:*`.
import * as pulumi from "@pulumi/pulumi";
import { JobStatus } from "pulumi-drs-jobs";

const config = new pulumi.Config("bench");
const resources = config.requireNumber("resources");
const perResource = config.requireNumber("jobsPerResource");
const jobId = (i: number) => `bench-${String(i).padStart(6, "0")}`;

for (let r = 0; r < resources; r++) {
  const jobIds = Array.from({ length: perResource }, (_, j) => jobId(r * perResource + j));
  new JobStatus(`status-${r}`, { jobIds });
}
