// The `drs` provider plugin through the real pulumi CLI and Pulumi's YAML (and Python)
// language hosts, against the simulator: examples/yaml-cutover and python-cutover,
// cancellation, and one poller for 20 waiters.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { startSimulator, type Simulator } from "../../src/sim";
import type { StackState } from "./support/pulumi-cli";
import { pulumiPythonVenv } from "../support/pulumi-python";
import { ensureToolchain } from "../support/toolchain";
import { PluginProject } from "./support/plugin-project";

const TOKEN = "e2e-yaml-token-7d2b";
const example = readFileSync(
  path.join(__dirname, "../../examples/yaml-cutover/Pulumi.yaml"),
  "utf8",
);

function resource(state: StackState, type: string) {
  return state.deployment.resources?.find((r) => r.type === type);
}

describe("e2e: the drs provider plugin from YAML and Python programs", function () {
  this.timeout(300_000);
  let sim: Simulator;
  let project: PluginProject | undefined;
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

  async function exampleProject(
    jobIds: string[],
    made: () => PluginProject = () => new PluginProject("yaml-cutover", example),
  ): Promise<PluginProject> {
    project = made();
    await project.setup({ endpoint: sim.url, projectId: sim.projectId, authToken: TOKEN });
    await project.ok(["config", "set", "--path", "pollInterval", "1s"]);
    for (const [i, id] of jobIds.entries()) {
      await project.ok(["config", "set", "--path", `jobIds[${i}]`, id]);
    }
    return project;
  }

  // Before any PATH below is composed from this process's.
  before(() => ensureToolchain(["yaml", "python"]));
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

  it("Ctrl-C during a waiting up ends the wait at once, keeps the state, and the next up succeeds", async () => {
    sim.addJobs([{ id: "job-a", status: "FULL_TRANSFER_STARTED" }]);
    const p = await exampleProject(["job-a"]);
    let interruptedAt = "";
    const up = await p.run(["up", "--yes", "--skip-preview"], 120_000, (child) => {
      void whileWaiting(
        new Promise<void>((resolve) => child.on("exit", () => resolve())),
        2500,
        () => {
          interruptedAt = sim.clock().now;
          child.kill("SIGINT");
        },
      );
    });
    assert.ok(interruptedAt, "the update was interrupted while it waited");
    assert.notEqual(up.code, 0);
    assert.match(up.stdout, /the update was cancelled: stopped waiting for the DRS jobs/);
    const after = batchRequests().filter((e) => e.time > interruptedAt);
    assert.ok(
      after.length <= 1,
      `no poll after the cancel but one in flight (got ${after.length})`,
    );

    const state = await p.exportState();
    assert.equal(resource(state, "drs:index:JobWaiter"), undefined, "the gate was not created");
    assert.equal(resource(state, "drs:index:JobStatus"), undefined, "nor what depends on it");
    sim.setJobStatus("job-a", "INCRE_TRANSFER_STARTED");
    // With its preview this time: the preview's plugin gets a Cancel when it closes, and the
    // update's gate must not take that for its own cancellation.
    const next = await p.ok(["up", "--yes"]);
    assert.match(next.stdout, /gate open: 1\/1 DRS jobs ready/);
    await p.ok(["preview", "--expect-no-changes"]);
  });

  it("20 waiters over 200 jobs share one poller: 2 batch-status requests per tick", async () => {
    const ids = Array.from({ length: 200 }, (_, i) => `job-${String(i).padStart(3, "0")}`);
    sim.addJobs(ids.map((id) => ({ id, status: "FULL_TRANSFER_STARTED" })));
    const waiters = Array.from({ length: 20 }, (_, w) =>
      [
        `  waiter${w}:`,
        "    type: drs:index:JobWaiter",
        "    properties:",
        `      jobIds: [${ids.slice(w * 10, w * 10 + 10).join(", ")}]`,
        "      pollInterval: 2s",
      ].join("\n"),
    );
    project = new PluginProject(
      "yaml-many",
      ["name: yaml-many", "runtime: yaml", "resources:", ...waiters, ""].join("\n"),
    );
    await project.setup({ endpoint: sim.url, projectId: sim.projectId, authToken: TOKEN });
    // Each waiting gate holds one of the engine's parallel slots.
    const up = await whileWaiting(
      project.ok(["up", "--yes", "--skip-preview", "--parallel", "32"]),
      5000,
      () => {
        for (const id of ids) sim.setJobStatus(id, "INCRE_TRANSFER_STARTED");
      },
    );
    const opened = (await project.exportState()).deployment.resources?.filter(
      (r) => r.type === "drs:index:JobWaiter" && r.outputs?.openedAt,
    );
    assert.equal(opened?.length, 20, up.stdout);

    // Ticks: polls 2 s apart; the requests of one tick go out together.
    const ticks: number[][] = [];
    let last = -Infinity;
    for (const poll of batchRequests()) {
      const at = Date.parse(poll.time);
      if (at - last > 1000) ticks.push([]);
      ticks[ticks.length - 1].push(poll.jobCount ?? 0);
      last = at;
    }
    const perTick = ticks.map((tick) => tick.length);
    console.log(`      batch-status requests per tick: ${perTick.join(", ")}`);
    assert.ok(ticks.length >= 3, "it polled several times");
    assert.ok(
      ticks.every((tick) => tick.every((n) => n <= 100)),
      "at most 100 jobs per request",
    );
    const full = ticks.filter((tick) => tick.reduce((a, b) => a + b, 0) === 200);
    assert.ok(
      full.length >= ticks.length - 1,
      `every tick but the first asks for all 200 jobs: ${perTick}`,
    );
    assert.ok(
      full.every((tick) => tick.length === 2),
      `2 requests per tick: ${perTick}`,
    );
  });

  it("examples/python-cutover: a Python program on the generated SDK waits for the gate, then records", async () => {
    const bin = await pulumiPythonVenv();
    const dir = path.join(__dirname, "../../examples/python-cutover");
    sim.addJobs([{ id: "job-a", status: "FULL_TRANSFER_STARTED" }]);
    const p = await exampleProject(
      ["job-a"],
      () =>
        new PluginProject(
          "python-cutover",
          readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"),
          // Pulumi's v3.68.0 Python host runs the first python on PATH: the program's venv.
          { PATH: `${bin}${path.delimiter}${process.env.PATH}` },
          { "__main__.py": readFileSync(path.join(dir, "__main__.py"), "utf8") },
        ),
    );
    await p.ok(["preview"]);
    assert.equal(sim.counters().total, 0, "preview sends DRS nothing");
    const up = await whileWaiting(p.ok(["up", "--yes", "--skip-preview"]), 2500, () =>
      sim.setJobStatus("job-a", "INCRE_TRANSFER_STARTED"),
    );
    assert.match(up.stdout, /gate open: 1\/1 DRS jobs ready/);
    assert.deepEqual((await p.outputs()).statuses, { "job-a": "INCRE_TRANSFER_STARTED" });
    await p.ok(["preview", "--expect-no-changes"]);
  });
});
