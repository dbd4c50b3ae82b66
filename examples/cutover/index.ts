// Cutover: switch traffic to the new database only once its DRS migration is ready.
import * as pulumi from "@pulumi/pulumi";
import { JobWaiter } from "pulumi-drs-jobs";

const config = new pulumi.Config();
const jobIds = config.requireObject<string[]>("jobIds");

const gate = new JobWaiter("migration-ready", {
  jobIds,
  // Ready means: full migration done, or incremental replication running (the defaults).
  targetStatuses: ["FULL_TRANSFER_COMPLETE", "INCRE_TRANSFER_STARTED"],
  timeout: config.get("timeout") ?? "30m",
  pollInterval: config.get("pollInterval") ?? "10s",
  // Then a DRS row comparison per job: the gate opens only if every table has the same row
  // count at the source and the target; a table that differs fails the update, naming it.
  compare: config.getObject<("lines" | "contents" | "objects")[]>("compare") ?? ["lines"],
});

// A stand-in for the real switch (a DNS record, an app setting, a firewall rule): anything
// with `dependsOn: [gate]` is created or updated only after the gate opens.
const switchTraffic: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    return {
      id: `switch-to-${inputs.switchTo}`,
      outs: { ...inputs, switchedAt: new Date().toISOString() },
    };
  },
  async update(_id, _olds, news) {
    return { outs: { ...news, switchedAt: new Date().toISOString() } };
  },
};

class TrafficSwitch extends pulumi.dynamic.Resource {
  declare readonly switchedAt: pulumi.Output<string>;
  constructor(name: string, switchTo: pulumi.Input<string>, opts: pulumi.CustomResourceOptions) {
    super(
      switchTraffic,
      name,
      { switchTo, switchedAt: undefined },
      opts,
      "example",
      "TrafficSwitch",
    );
  }
}

// `switchTo` names the database traffic moves to (in a real program, the new database's
// address).
const traffic = new TrafficSwitch("primary-db", config.get("switchTo") ?? "new-database", {
  dependsOn: [gate],
});

export const statusesAtCutover = gate.statuses;
export const switchedAt = traffic.switchedAt;
