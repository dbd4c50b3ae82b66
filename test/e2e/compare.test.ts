// JobWaiter({ compare: ["lines"] }) through the real pulumi CLI against the simulator: preview
// sends no comparison request; `up` creates the dependent only after a comparison ended
// consistent; a job with a table that differs fails `up`, names the table, and leaves the
// dependent as it was.
import assert from "node:assert/strict";
import { startSimulator, type Simulator } from "../../src/sim";
import { PulumiProject, type StackState } from "./support/pulumi-cli";

const TOKEN = "e2e-compare-token-7d2e1b";

// The program: one waiter over the configured jobs with a row comparison, and a dependent
// whose input is the gate's job list, so a gate that opened on other jobs would update it.
const PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import { JobWaiter } from "pulumi-drs-jobs";

const config = new pulumi.Config();
const waiter = new JobWaiter("cutover", {
  jobIds: config.requireObject<string[]>("jobIds"),
  compare: ["lines"],
  timeout: "2m",
  pollInterval: "1s",
});

const switchProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    return { id: "switch", outs: { ...inputs, switchedAt: new Date().toISOString() } };
  },
  async update(_id, _olds, news) {
    return { outs: { ...news, switchedAt: new Date().toISOString() } };
  },
};
class TrafficSwitch extends pulumi.dynamic.Resource {
  constructor(name: string, props: Record<string, unknown>, opts: pulumi.CustomResourceOptions) {
    super(switchProvider, name, { ...props, switchedAt: undefined }, opts, "test", "Switch");
  }
}
new TrafficSwitch(
  "switch",
  { gatedJobs: waiter.jobs.apply((jobs) => jobs.map((job) => job.id).join(",")) },
  { dependsOn: [waiter] },
);
`;

function resource(state: StackState, type: string) {
  return state.deployment.resources?.find((r) => r.type.endsWith(type));
}

describe("e2e: JobWaiter with compare, through the real pulumi CLI", function () {
  this.timeout(300_000);
  let sim: Simulator;
  let project: PulumiProject;

  beforeEach(async () => {
    sim = await startSimulator({
      scenario: {
        auth: { token: TOKEN },
        jobs: [
          {
            id: "equal",
            status: "INCRE_TRANSFER_STARTED",
            compare: {
              duration: "1h",
              tables: [
                { db: "shop", table: "orders", source: 10, target: 10 },
                { db: "shop", table: "customers", source: 4, target: 4 },
              ],
            },
          },
          {
            id: "differs",
            status: "INCRE_TRANSFER_STARTED",
            compare: {
              duration: "0s",
              tables: [
                { db: "shop", table: "payments", source: 500017, target: 499998 },
                { db: "shop", table: "customers", source: 4, target: 4 },
              ],
            },
          },
        ],
      },
    });
    project = new PulumiProject("compare", PROGRAM);
    await project.init();
    await project.ok(["config", "set", "drs:endpoint", sim.url]);
    await project.ok(["config", "set", "drs:projectId", sim.projectId]);
    await project.ok(["config", "set", "--secret", "drs:authToken", TOKEN]);
  });
  afterEach(async () => {
    project?.cleanup();
    await sim.stop();
  });
  const compareRequests = () => sim.requestLog().filter((e) => e.kind === "compare");

  it("preview sends none; up switches only after a consistent comparison; a differing table then fails up and leaves the switch", async () => {
    await project.ok(["config", "set", "jobIds", JSON.stringify(["equal"])]);
    await project.ok(["preview"]);
    assert.equal(sim.requestLog().length, 0, "preview makes no request at all");

    // The simulated hour passes (and the comparison ends) only once the gate saw it running.
    let endedAt = "";
    const timer = setInterval(() => {
      if (!endedAt && compareRequests().some((e) => e.path.endsWith("/line-overview"))) {
        endedAt = new Date().toISOString();
        sim.advanceClock("1h");
      }
    }, 100);
    let up;
    try {
      up = await project.ok(["up", "--yes", "--skip-preview"]);
    } finally {
      clearInterval(timer);
    }
    assert.match(
      up.stdout,
      /gate open: 1\/1 DRS jobs ready, compared lines: 2 tables, all consistent/,
    );
    assert.equal(compareRequests().filter((e) => e.method === "POST").length, 1);
    let state = await project.exportState();
    const gate = resource(state, "drs:JobGate");
    const trafficSwitch = resource(state, "test:Switch");
    assert.ok(endedAt && gate && trafficSwitch);
    assert.ok(
      String(trafficSwitch.outputs?.switchedAt) > endedAt,
      "switched after the comparison ended",
    );
    const [job] = gate.outputs?.jobs as Array<{ comparisons: Array<Record<string, unknown>> }>;
    assert.equal(job.comparisons.length, 1);
    const [comparison] = job.comparisons;
    assert.equal(comparison.kind, "lines");
    assert.equal(comparison.status, "SUCCESSFUL");
    assert.equal(comparison.tablesCompared, 2);
    assert.equal(comparison.tablesInconsistent, 0);
    assert.match(String(comparison.id), /^[0-9a-f-]{36}$/);
    assert.match(String(comparison.endedAt), /Z$/);
    const switchedAt = trafficSwitch.outputs?.switchedAt;

    await project.ok(["config", "set", "jobIds", JSON.stringify(["differs"])]);
    const failed = await project.run(["up", "--yes", "--skip-preview"]);
    assert.notEqual(failed.code, 0);
    assert.match(
      failed.stdout,
      /differs: rows differ in shop\.payments: 500017 rows at the source, 499998 at the target \(difference 19\)/,
    );
    assert.doesNotMatch(failed.stdout, /shop\.customers/);
    state = await project.exportState();
    const after = resource(state, "test:Switch");
    assert.equal(after?.outputs?.switchedAt, switchedAt, "the switch was not touched");
    assert.equal(after?.outputs?.gatedJobs, "equal");
  });
});
