// The `drs` provider plugin through the real pulumi CLI and Pulumi's YAML language host,
// against the simulator: examples/yaml-cutover, cancellation, and one poller for 20 waiters.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { startSimulator, type Simulator } from "../../src/sim";
import type { StackState } from "./support/pulumi-cli";
import { YamlProject } from "./support/yaml-project";

const TOKEN = "e2e-yaml-token-7d2b";
const example = readFileSync(
  path.join(__dirname, "../../examples/yaml-cutover/Pulumi.yaml"),
  "utf8",
);

function resource(state: StackState, type: string) {
  return state.deployment.resources?.find((r) => r.type === type);
}

describe("e2e: the drs provider plugin from a YAML program", function () {
  this.timeout(300_000);
  let sim: Simulator;
  let project: YamlProject | undefined;
  const batchRequests = () => sim.requestLog().filter((e) => e.kind === "batch-status");

  /** Runs `change` once the first poll is `afterMs` old (however long the engine takes to start). */
  async function whileWaiting<T>(run: Promise<T>, afterMs: number, change: () => void): Promise<T> {
    const timer = setInterval(() => {
      const first = batchRequests()[0];
      if (first && Date.now() - Date.parse(first.time) > afterMs) {
        clearInterval(timer);
        change();
      }
    }, 100);
    try {
      return await run;
    } finally {
      clearInterval(timer);
    }
  }

  async function exampleProject(jobIds: string[]): Promise<YamlProject> {
    project = new YamlProject("yaml-cutover", example);
    await project.setup({ endpoint: sim.url, projectId: sim.projectId, authToken: TOKEN });
    await project.ok(["config", "set", "--path", "pollInterval", "1s"]);
    for (const [i, id] of jobIds.entries()) {
      await project.ok(["config", "set", "--path", `jobIds[${i}]`, id]);
    }
    return project;
  }

  beforeEach(async () => {
    sim = await startSimulator({ scenario: { auth: { token: TOKEN } } });
  });
  afterEach(async () => {
    project?.cleanup();
    project = undefined;
    await sim.stop();
  });

  it("examples/yaml-cutover: preview makes no request, up opens the gate before the JobStatus, refresh shows a failure", async () => {
    sim.addJobs([{ id: "job-a", status: "FULL_TRANSFER_STARTED" }]);
    const p = await exampleProject(["job-a"]);

    await p.ok(["preview"]);
    assert.equal(sim.counters().total, 0, "preview sends DRS nothing");

    let readyAt = "";
    const up = await whileWaiting(p.ok(["up", "--yes", "--skip-preview"]), 2500, () => {
      readyAt = sim.clock().now;
      sim.setJobStatus("job-a", "INCRE_TRANSFER_STARTED");
    });
    assert.match(up.stdout, /gate open: 1\/1 DRS jobs ready/);
    const polls = batchRequests();
    assert.ok(
      polls.filter((e) => e.time < readyAt).length >= 2,
      "it polled while the job was not ready",
    );
    let state = await p.exportState();
    const status = resource(state, "drs:index:JobStatus");
    // The JobStatus read the job after it became ready: it was created after the gate opened.
    assert.deepEqual(status?.outputs?.statuses, { "job-a": "INCRE_TRANSFER_STARTED" });
    assert.ok(
      polls.filter((e) => e.time >= readyAt).length >= 2,
      "the gate's last poll, then the JobStatus",
    );
    assert.equal(
      resource(state, "drs:index:JobWaiter")?.outputs?.statuses?.["job-a" as never],
      "INCRE_TRANSFER_STARTED",
    );

    sim.setJobStatus("job-a", {
      status: "INCRE_TRANSFER_FAILED",
      errorCode: "DRS.M00004",
      errorMessage: "Service abnormal",
    });
    const refresh = await p.ok(["refresh", "--yes", "--skip-preview"]);
    assert.match(refresh.stdout, /drs:index:JobWaiter\s+gate\s+updated/);
    assert.match(refresh.stdout, /drs:index:JobStatus\s+cutoverRecord\s+updated/);
    state = await p.exportState();
    assert.deepEqual(resource(state, "drs:index:JobStatus")?.outputs?.statuses, {
      "job-a": "INCRE_TRANSFER_FAILED",
    });

    // The gate is verified again: the failed job fails the update, named with its code.
    const again = await p.run(["up", "--yes", "--skip-preview"]);
    assert.notEqual(again.code, 0);
    assert.match(again.stdout, /job-a: INCRE_TRANSFER_FAILED \(DRS\.M00004: Service abnormal\)/);
  });
});
