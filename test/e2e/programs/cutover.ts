// An end-to-end test program, driven by stack config:
//   waiters: [[jobId...], ...]   one JobWaiter per list (default none)
//   statusJobIds: [jobId...]     a JobStatus over these (default none)
//   timeout, pollInterval        for every waiter
//   maxReplicationLag            the lag gate, for every waiter (default none)
//   switch: true                 a stand-in "switch traffic" resource that dependsOn the waiters
import * as pulumi from "@pulumi/pulumi";
import { JobStatus, JobWaiter } from "pulumi-drs-jobs";

const config = new pulumi.Config();
const waiterJobIds = config.getObject<string[][]>("waiters") ?? [];
const statusJobIds = config.getObject<string[]>("statusJobIds");

const waiters = waiterJobIds.map(
  (jobIds, i) =>
    new JobWaiter(`cutover-${i}`, {
      jobIds,
      timeout: config.get("timeout") ?? "2m",
      pollInterval: config.get("pollInterval") ?? "1s",
      maxReplicationLag: config.get("maxReplicationLag"),
    }),
);

if (statusJobIds) new JobStatus("status", { jobIds: statusJobIds });

const switchProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    return { id: "switch", outs: { ...inputs, switchedAt: new Date().toISOString() } };
  },
};

class TrafficSwitch extends pulumi.dynamic.Resource {
  constructor(name: string, opts: pulumi.CustomResourceOptions) {
    super(
      switchProvider,
      name,
      { target: "new-database", switchedAt: undefined },
      opts,
      "test",
      "Switch",
    );
  }
}

if (config.getBoolean("switch")) new TrafficSwitch("switch", { dependsOn: waiters });

export const gated = waiters.map((w) => w.statuses);
