// The demo: a cutover gated on two DRS migration jobs, against the local simulator.
// `scripts/demo` starts the simulator and sets the stack config this reads.
import * as pulumi from "@pulumi/pulumi";
import { JobStatus, JobWaiter } from "pulumi-drs-jobs";

const jobIds = ["9a470239-2308-4bb5-a6bc-1040402fjb21", "dc67695a-ee3e-49b8-a022-a099bd81jb21"];

// Recorded in the stack; `pulumi refresh` re-reads it and shows drift.
const migration = new JobStatus("migration", { jobIds });

// Blocks `pulumi up` until both jobs are ready, and an incremental job's replication lag is at
// most 5 s (INCRE_TRANSFER_STARTED alone may still be far behind), then until a DRS row
// comparison per job finds every table equal; fails naming any job that fails or table that differs.
const gate = new JobWaiter("cutover-gate", {
  jobIds,
  pollInterval: "2s",
  timeout: "5m",
  maxReplicationLag: "5s",
  compare: ["lines"],
});

// A stand-in for what a real program would switch: DNS, app config, a firewall rule.
const switchTraffic: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    return { id: "traffic", outs: { ...inputs, switchedAt: new Date().toISOString() } };
  },
};
class TrafficSwitch extends pulumi.dynamic.Resource {
  declare readonly switchedAt: pulumi.Output<string>;
  constructor(name: string, switchTo: string, opts: pulumi.CustomResourceOptions) {
    super(switchTraffic, name, { switchTo, switchedAt: undefined }, opts, "demo", "TrafficSwitch");
  }
}
const traffic = new TrafficSwitch("switch-traffic", "new-database", { dependsOn: [gate] });

export const statusesAtGate = gate.statuses;
export const recordedStatuses = migration.statuses;
export const switchedAt = traffic.switchedAt;
