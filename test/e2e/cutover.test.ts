// JobStatus and JobWaiter through the real pulumi CLI against the simulator.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { startSimulator, type Simulator } from "../../src/sim";
import { PulumiProject, type StackState } from "./support/pulumi-cli";

const program = readFileSync(path.join(__dirname, "programs/cutover.ts"), "utf8");
const TOKEN = "e2e-secret-token-4f1c9a";

function resource(state: StackState, type: string, name?: string) {
  return state.deployment.resources?.find(
    (r) => r.type.endsWith(type) && (name === undefined || r.urn.endsWith(`::${name}`)),
  );
}

describe("e2e: JobStatus and JobWaiter with the real pulumi CLI", function () {
  this.timeout(240_000);
  let sim: Simulator;
  let project: PulumiProject;

  async function setup(config: Record<string, unknown>): Promise<void> {
    project = new PulumiProject("cutover", program);
    await project.init();
    await project.ok(["config", "set", "drs:endpoint", sim.url]);
    await project.ok(["config", "set", "drs:projectId", sim.projectId]);
    await project.ok(["config", "set", "--secret", "drs:authToken", TOKEN]);
    for (const [key, value] of Object.entries(config)) {
      await project.ok([
        "config",
        "set",
        key,
        typeof value === "string" ? value : JSON.stringify(value),
      ]);
    }
  }
  const batchRequests = () => sim.counters().byKind["batch-status"] ?? 0;

  /** Runs `change` 2.5 s after the first poll of `run` (however long the engine takes to start). */
  async function whileRunning<T>(run: Promise<T>, change: () => void): Promise<T> {
    const timer = setInterval(() => {
      const first = sim.requestLog().find((e) => e.kind === "batch-status");
      if (first && Date.now() - Date.parse(first.time) > 2500) {
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

  beforeEach(async () => {
    sim = await startSimulator({ scenario: { auth: { token: TOKEN } } });
  });
  afterEach(async () => {
    project?.cleanup();
    await sim.stop();
  });

  it("JobStatus: create reads the statuses, refresh shows drift and keeps a vanished job", async () => {
    sim.addJobs([
      { id: "job-a", status: "FULL_TRANSFER_STARTED" },
      { id: "job-b", status: "FULL_TRANSFER_COMPLETE" },
    ]);
    await setup({ statusJobIds: ["job-a", "job-b"] });
    await project.ok(["up", "--yes", "--skip-preview"]);
    let status = resource(await project.exportState(), "drs:JobStatus");
    assert.deepEqual(status?.outputs?.statuses, {
      "job-a": "FULL_TRANSFER_STARTED",
      "job-b": "FULL_TRANSFER_COMPLETE",
    });

    sim.setJobStatus("job-a", "INCRE_TRANSFER_STARTED");
    sim.removeJob("job-b");
    const refresh = await project.ok(["refresh", "--yes", "--skip-preview"]);
    assert.match(refresh.stdout, /drs:JobStatus status updated/);
    status = resource(await project.exportState(), "drs:JobStatus");
    assert.ok(status, "a vanished job never drops the resource from state");
    assert.deepEqual(status.outputs?.statuses, {
      "job-a": "INCRE_TRANSFER_STARTED",
      "job-b": "DRS.M00289",
    });
    const jobB = (status.outputs?.jobs as Array<Record<string, unknown>>)[1];
    assert.equal(jobB.errorCode, "DRS.M00289");
    assert.equal(jobB.phase, "failed");

    // The next up records what the refresh saw; after that, nothing to do.
    await project.ok(["up", "--yes", "--skip-preview"]);
    await project.ok(["preview", "--expect-no-changes"]);
  });

  it("JobStatus: adding or removing job ids updates in place, reordering them changes nothing", async () => {
    sim.addJobs(["a", "b", "c"].map((id) => ({ id, status: "CREATING" })));
    await setup({ statusJobIds: ["a", "b"] });
    await project.ok(["up", "--yes", "--skip-preview"]);
    await project.ok(["refresh", "--yes", "--skip-preview", "--expect-no-changes"]);
    const id = resource(await project.exportState(), "drs:JobStatus")?.outputs;
    await project.ok(["config", "set", "statusJobIds", JSON.stringify(["b", "a"])]);
    await project.ok(["preview", "--expect-no-changes"]);
    await project.ok(["config", "set", "statusJobIds", JSON.stringify(["b", "a", "c"])]);
    const up = await project.ok(["up", "--yes", "--skip-preview"]);
    assert.match(up.stdout, /~ 1 updated/);
    assert.doesNotMatch(up.stdout, /replaced/);
    const after = resource(await project.exportState(), "drs:JobStatus")?.outputs;
    const jobs = after?.jobs as Array<{ id: string }>;
    assert.deepEqual(
      jobs.map((job) => job.id),
      ["b", "a", "c"],
      "jobs in the order given",
    );
    assert.ok(id);
    // The state's resources carry their id (StackState leaves it out).
    const resourceId = () => (resource(state, "drs:JobStatus") as { id?: string } | undefined)?.id;
    let state = await project.exportState();
    const before = resourceId();
    await project.ok(["config", "set", "statusJobIds", JSON.stringify(["c"])]);
    const removed = await project.ok(["up", "--yes", "--skip-preview"]);
    assert.match(removed.stdout, /~ 1 updated/);
    assert.doesNotMatch(removed.stdout, /replaced|deleted|created/);
    state = await project.exportState();
    assert.equal(resourceId(), before, "the same resource, updated in place");
    assert.deepEqual(
      (resource(state, "drs:JobStatus")?.outputs?.jobs as Array<{ id: string }>).map((j) => j.id),
      ["c"],
    );
  });

  it("JobWaiter: the gate opens, then the dependent is created", async () => {
    sim.addJobs(["a", "b"].map((id) => ({ id, status: "FULL_TRANSFER_STARTED" })));
    await setup({ waiters: [["a", "b"]], switch: true });
    const up = await whileRunning(project.ok(["up", "--yes", "--skip-preview"]), () =>
      ["a", "b"].forEach((id) => sim.setJobStatus(id, "INCRE_TRANSFER_STARTED")),
    );
    assert.match(up.stdout, /gate open: 2\/2 DRS jobs ready/);
    const state = await project.exportState();
    const gate = resource(state, "drs:JobGate");
    const trafficSwitch = resource(state, "test:Switch");
    assert.ok(gate && trafficSwitch);
    assert.ok(
      String(trafficSwitch.outputs?.switchedAt) >= String(gate.outputs?.openedAt),
      "the switch was created after the gate opened",
    );
    assert.deepEqual(gate.outputs?.statuses, {
      a: "INCRE_TRANSFER_STARTED",
      b: "INCRE_TRANSFER_STARTED",
    });
    assert.ok(batchRequests() >= 2, "it polled while the jobs were not ready");
  });

  it("JobWaiter with maxReplicationLag: the dependent is created only after the lag came down", async () => {
    sim.addJobs([
      { id: "a", timeline: [{ at: "0s", status: "INCRE_TRANSFER_STARTED", lag: "60s" }] },
    ]);
    await setup({ waiters: [["a"]], switch: true, maxReplicationLag: "5s" });
    await project.ok(["preview"]);
    assert.equal(sim.requestLog().length, 0, "preview makes no request");
    let drainedAt = "";
    const up = await whileRunning(project.ok(["up", "--yes", "--skip-preview"]), () => {
      drainedAt = new Date().toISOString();
      sim.setJobStatus("a", { status: "INCRE_TRANSFER_STARTED", lag: "1s" });
    });
    assert.match(up.stdout, /gate open: 1\/1 DRS jobs ready/);
    const state = await project.exportState();
    const gate = resource(state, "drs:JobGate");
    const trafficSwitch = resource(state, "test:Switch");
    assert.ok(drainedAt && gate && trafficSwitch);
    assert.ok(String(trafficSwitch.outputs?.switchedAt) > drainedAt, "switched after the drain");
    const [job] = gate.outputs?.jobs as Array<{ replicationLagMs?: number; phase: string }>;
    assert.equal(job.replicationLagMs, 1000, "the lag seen when the gate opened");
    assert.ok((sim.counters().byKind["batch-progress"] ?? 0) >= 2, "it read the lag while high");
  });

  it("JobWaiter: a failed job fails the update, names the job and code, and leaves the dependent uncreated", async () => {
    sim.addJobs([
      { id: "good", status: "INCRE_TRANSFER_STARTED" },
      {
        id: "dc67695a-ee3e-49b8-a022-a099bd81jb21",
        timeline: [
          { at: "0s", status: "FULL_TRANSFER_STARTED" },
          {
            at: "2s",
            status: "INCRE_TRANSFER_FAILED",
            errorCode: "DRS.M00004",
            errorMessage: "Service abnormal",
          },
        ],
      },
    ]);
    await setup({ waiters: [["good", "dc67695a-ee3e-49b8-a022-a099bd81jb21"]], switch: true });
    const up = await project.run(["up", "--yes", "--skip-preview"]);
    assert.notEqual(up.code, 0);
    assert.match(
      up.stdout,
      /dc67695a-ee3e-49b8-a022-a099bd81jb21: INCRE_TRANSFER_FAILED \(DRS\.M00004: Service abnormal\)/,
    );
    const state = await project.exportState();
    assert.equal(resource(state, "test:Switch"), undefined);
    assert.ok(resource(state, "JobWaiter"), "the state still holds the waiter");
  });

  it("JobWaiter: its own timeout fails the update", async () => {
    sim.addJob({ id: "stuck", status: "FULL_TRANSFER_STARTED" });
    await setup({ waiters: [["stuck"]], timeout: "3s", switch: true });
    const up = await project.run(["up", "--yes", "--skip-preview"]);
    assert.notEqual(up.code, 0);
    assert.match(
      up.stdout,
      /timed out after 3s waiting for 1 of 1 DRS jobs[\s\S]*stuck: FULL_TRANSFER_STARTED/,
    );
    assert.equal(resource(await project.exportState(), "test:Switch"), undefined);
  });

  it("pulumi preview never waits and never calls DRS", async () => {
    sim.addJob({ id: "stuck", status: "FULL_TRANSFER_STARTED" });
    await setup({ waiters: [["stuck"]], statusJobIds: ["stuck"], timeout: "10m", switch: true });
    const preview = await project.ok(["preview"]);
    assert.match(preview.stdout, /\+ 5 to create/);
    assert.equal(batchRequests(), 0);
  });

  it("pulumi up --refresh re-verifies the gate: a job failed since fails it", async () => {
    sim.addJob({ id: "a", status: "INCRE_TRANSFER_STARTED" });
    await setup({ waiters: [["a"]], switch: true });
    await project.ok(["up", "--yes", "--skip-preview"]);
    await project.ok(["up", "--yes", "--skip-preview", "--expect-no-changes"]);
    sim.setJobStatus("a", {
      status: "INCRE_TRANSFER_FAILED",
      errorCode: "DRS.M00004",
      errorMessage: "Service abnormal",
    });
    const up = await project.run(["up", "--yes", "--skip-preview", "--refresh"]);
    assert.notEqual(up.code, 0);
    assert.match(up.stdout, /a: INCRE_TRANSFER_FAILED \(DRS\.M00004: Service abnormal\)/);
    const state = await project.exportState();
    assert.ok(resource(state, "drs:JobGate") && resource(state, "test:Switch"), "state intact");
  });

  it("keeps credentials out of the state, __provider and the CLI output", async () => {
    sim.addJob({ id: "a", status: "INCRE_TRANSFER_STARTED" });
    await setup({ waiters: [["a"]], statusJobIds: ["a"] });
    const up = await project.ok(["up", "--yes", "--skip-preview"]);
    const exported = (await project.ok(["stack", "export"])).stdout;
    for (const text of [exported, up.stdout, up.stderr]) assert.ok(!text.includes(TOKEN));
    const state = JSON.parse(exported) as StackState;
    for (const type of ["drs:JobStatus", "drs:JobGate"]) {
      const provider = String(resource(state, type)?.outputs?.__provider);
      assert.match(provider, /pulumi-drs-jobs\/provider/, "the serialized provider is the shim");
      // Every resource stores its own copy: the shim must stay small.
      const bytes = Buffer.byteLength(provider);
      assert.ok(bytes <= 1024, `__provider is ${bytes} bytes`);
    }
    assert.ok(sim.requestLog().every((e) => !JSON.stringify(e).includes(TOKEN)));
  });

  it("20 waiters in one program share one request per 100 jobs per tick; destroy calls nothing", async () => {
    const groups = Array.from({ length: 20 }, (_, w) =>
      Array.from({ length: 5 }, (_, j) => `job-${w}-${j}`),
    );
    sim.addJobs(groups.flat().map((id) => ({ id, status: "FULL_TRANSFER_STARTED" })));
    await setup({ waiters: groups, pollInterval: "1s" });
    // Each waiting gate holds one of the engine's parallel slots (default 4 per CPU).
    await whileRunning(project.ok(["up", "--yes", "--skip-preview", "--parallel", "32"]), () =>
      groups.flat().forEach((id) => sim.setJobStatus(id, "FULL_TRANSFER_COMPLETE")),
    );
    const polls = sim.requestLog().filter((e) => e.kind === "batch-status");
    // Each waiter polling alone would send 20 requests per tick.
    assert.ok(polls.length >= 3, `${polls.length} requests`);
    assert.deepEqual(
      polls.map((e) => e.jobCount),
      polls.map(() => 100),
      "every tick asked for all 100 jobs in one request",
    );
    const before = batchRequests();
    await project.ok(["destroy", "--yes", "--skip-preview"]);
    assert.equal(batchRequests(), before);
    assert.equal((await project.exportState()).deployment.resources?.length ?? 0, 0);
  });
});
