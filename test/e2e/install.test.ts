// The plugin installed the ways users install it, from the release's files served over plain
// HTTP on 127.0.0.1, into empty PULUMI_HOMEs under os.tmpdir(), with a `node` first on PATH
// that fails when called: `pulumi plugin install ... --server` for a YAML program, and the
// engine's own download for a Python program on the release's wheel, redirected to the
// mirror by PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES (as air-gapped runners do). Each time the
// JobWaiter holds the dependent JobStatus until its job is ready, 12 s of simulator time
// after the update starts.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { startSimulator, type Simulator } from "../../src/sim";
import { failingNode, type FailingNode } from "../support/failing-node";
import { outsideDir } from "../support/outside";
import { PULUMI_PYTHON_SDK } from "../support/pulumi-python";
import { release } from "../support/release";
import { ensureToolchain } from "../support/toolchain";
import { serveFolder, type StaticServer } from "../support/static-server";
import { PluginProject } from "./support/plugin-project";
import type { StackState } from "./support/pulumi-cli";

const run = promisify(execFile);
const TOKEN = "e2e-install-token-51c0";
const JOB = "job-install";
const examples = path.join(__dirname, "../../examples");

const yamlProgram = `name: installed-yaml
runtime: yaml
resources:
  gate:
    type: drs:index:JobWaiter
    properties:
      jobIds: [${JOB}]
      pollInterval: 1s
  record:
    type: drs:index:JobStatus
    properties:
      jobIds: [${JOB}]
    options:
      dependsOn:
        - \${gate}
outputs:
  statuses: \${record.statuses}
`;

function resource(state: StackState, type: string) {
  return state.deployment.resources?.find((r) => r.type === type);
}

describe("e2e: the plugin installed as users install it, with no Node.js", function () {
  // The release is built once per run (scripts/test does it first); the Python test makes
  // a fresh virtualenv with pip (from pip's cache: tens of seconds).
  this.timeout(600_000);
  let sim: Simulator;
  let server: StaticServer;
  let node: FailingNode;
  let project: PluginProject | undefined;
  const cleanup: string[] = [];
  const archive = () => `/pulumi-resource-drs-v${release().version}-linux-amd64.tar.gz`;

  before(async () => {
    // Before any PATH below is composed from this process's.
    ensureToolchain(["yaml", "python"]);
    server = await serveFolder(release().dir);
    node = failingNode();
    cleanup.push(node.bin);
  });
  after(async () => {
    await server?.close();
    cleanup.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
  });
  beforeEach(async () => {
    sim = await startSimulator({ scenario: { auth: { token: TOKEN } } });
    server.requests.length = 0;
  });
  afterEach(async () => {
    project?.cleanup();
    project = undefined;
    await sim.stop();
  });

  /** Adds JOB, ready 12 s (simulator clock) from now; returns that moment. */
  function jobReadyIn12s(): string {
    const { now, elapsedMs, advancedMs } = sim.clock();
    const at = Math.ceil(elapsedMs / 1000) + 12;
    sim.addJobs([
      {
        id: JOB,
        timeline: [
          { at: 0, status: "FULL_TRANSFER_STARTED" },
          { at, status: "INCRE_TRANSFER_STARTED" },
        ],
      },
    ]);
    return new Date(Date.parse(now) - elapsedMs - advancedMs + at * 1000).toISOString();
  }

  /** The gate polled before the job was ready, and the JobStatus read it only after. */
  async function assertGated(p: PluginProject, readyAt: string): Promise<void> {
    const polls = sim.requestLog().filter((e) => e.kind === "batch-status");
    assert.ok(
      polls.some((e) => e.time < readyAt),
      `the gate polled while the job was not ready (polls at ${polls.map((e) => e.time)}, ready at ${readyAt})`,
    );
    const state = await p.exportState();
    assert.deepEqual(resource(state, "drs:index:JobStatus")?.outputs?.statuses, {
      [JOB]: "INCRE_TRANSFER_STARTED",
    });
    const openedAt = resource(state, "drs:index:JobWaiter")?.outputs?.openedAt as string;
    assert.ok(openedAt, "the gate opened");
    assert.equal(node.called(), false, "node was called");
  }

  it("YAML: pulumi plugin install --server from a static HTTP server, then up with no node", async () => {
    project = new PluginProject("installed-yaml", yamlProgram, {
      PATH: `${node.bin}${path.delimiter}${process.env.PATH}`,
    });
    const home = project.env.PULUMI_HOME!;
    assert.equal(existsSync(home), false, "PULUMI_HOME starts empty");
    await project.ok([
      "plugin",
      "install",
      "resource",
      "drs",
      release().version,
      "--server",
      server.url,
    ]);
    assert.deepEqual(server.requests, [{ path: archive(), status: 200 }]);
    const plugin = path.join(home, "plugins", `resource-drs-v${release().version}`);
    assert.ok(readdirSync(plugin).includes("pulumi-resource-drs"));
    assert.equal(
      readFileSync(path.join(plugin, "pulumi-resource-drs")).subarray(0, 4).toString("latin1"),
      "\x7fELF",
      "the self-contained binary",
    );

    await project.configure({ endpoint: sim.url, projectId: sim.projectId, authToken: TOKEN });
    const readyAt = jobReadyIn12s();
    const up = await project.ok(["up", "--yes", "--skip-preview"]);
    assert.match(up.stdout, /gate open: 1\/1 DRS jobs ready/);
    await assertGated(project, readyAt);
  });

  it("Python: the release's wheel in a fresh virtualenv; pulumi up downloads the plugin from the mirror itself", async () => {
    const venv = outsideDir("venv");
    cleanup.push(venv);
    await run("python3", ["-m", "venv", venv]);
    const python = path.join(venv, "bin", "python");
    await run(
      python,
      [
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--quiet",
        release().wheel,
        `pulumi==${PULUMI_PYTHON_SDK}`,
      ],
      { timeout: 540_000, maxBuffer: 16 * 1024 * 1024 },
    );
    const dir = path.join(examples, "python-cutover");
    project = new PluginProject(
      "installed-python",
      readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"),
      {
        // Pulumi's v3.68.0 Python host runs the first python on PATH: the virtualenv's.
        PATH: [node.bin, path.join(venv, "bin"), process.env.PATH].join(path.delimiter),
        PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES: `.*=${server.url}`,
      },
      { "__main__.py": readFileSync(path.join(dir, "__main__.py"), "utf8") },
    );
    assert.equal(existsSync(project.env.PULUMI_HOME!), false, "PULUMI_HOME starts empty");
    await project.configure({ endpoint: sim.url, projectId: sim.projectId, authToken: TOKEN });
    await project.ok(["config", "set", "pollInterval", "1s"]);
    await project.ok(["config", "set", "--path", "jobIds[0]", JOB]);
    const readyAt = jobReadyIn12s();
    const up = await project.ok(["up", "--yes", "--skip-preview"]);
    assert.match(up.stdout, /gate open: 1\/1 DRS jobs ready/);
    assert.ok(
      server.requests.some((r) => r.path === archive() && r.status === 200),
      `the engine downloaded the plugin from the mirror: ${JSON.stringify(server.requests)}`,
    );
    await assertGated(project, readyAt);
  });
});
