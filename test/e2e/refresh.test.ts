// `pulumi refresh` when things go wrong, through the real CLI: a job whose error message names
// a database URL with its password, and credentials DRS refuses.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { startSimulator, type Simulator } from "../../src/sim";
import { PulumiProject, type StackState } from "./support/pulumi-cli";

const program = readFileSync(path.join(__dirname, "programs/cutover.ts"), "utf8");
const TOKEN = "e2e-refresh-token-5c1d9a7e3b";
const DB_URL = "mysql://root:P@ssw0rd@10.0.0.5:3306";

describe("e2e: pulumi refresh (real pulumi CLI)", function () {
  this.timeout(240_000);
  let sim: Simulator;
  let project: PulumiProject;

  before(async () => {
    sim = await startSimulator({
      scenario: {
        auth: { token: TOKEN },
        jobs: [
          { id: "r1", status: "INCRE_TRANSFER_STARTED" },
          { id: "r2", status: "INCRE_TRANSFER_STARTED" },
        ],
      },
    });
    project = new PulumiProject("refresh", program, { HW_MAX_RETRIES: "1" });
    await project.init();
    await project.ok([
      "config",
      "set-all",
      "--plaintext",
      `drs:endpoint=${sim.url}`,
      "--plaintext",
      `drs:projectId=${sim.projectId}`,
      "--plaintext",
      'waiters=[["r1"]]',
      "--plaintext",
      'statusJobIds=["r1","r2"]',
      "--secret",
      `drs:authToken=${TOKEN}`,
    ]);
    await project.ok(["up", "--yes", "--skip-preview"]);
  });
  after(async () => {
    project?.cleanup();
    await sim?.stop();
  });

  it("the TypeScript JobWaiter reports openedAt, as the plugin's does", async () => {
    const state = JSON.parse((await project.ok(["stack", "export"])).stdout) as StackState;
    const waiter = state.deployment.resources?.find((r) => r.type === "drs-jobs:index:JobWaiter");
    assert.match(String(waiter?.outputs?.openedAt), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
  });

  it("a job error naming a database URL: its password is in no output and not in the state", async () => {
    sim.setJobStatus("r1", {
      status: "INCRE_TRANSFER_FAILED",
      errorCode: "DRS.M00004",
      errorMessage: `cannot connect to ${DB_URL} (Access denied)`,
    });
    const refresh = await project.run(["refresh", "--yes"]);
    const state = (await project.ok(["stack", "export"])).stdout;
    for (const text of [refresh.stdout, refresh.stderr, state]) assert.doesNotMatch(text, /ssw0rd/);
    assert.match(state, /mysql:\/\/\[redacted\]@10\.0\.0\.5:3306/);
  });

  it("a 403: one line per resource, no stack frames, the hint names the stack config", async () => {
    const fault = sim.addFault({ status: 403 });
    let refresh;
    try {
      refresh = await project.run(["refresh", "--yes"]);
    } finally {
      sim.clearFaults(fault.id);
    }
    const output = `${refresh.stdout}\n${refresh.stderr}`;
    assert.notEqual(refresh.code, 0);
    assert.doesNotMatch(output, /^\s+at /m, "no stack frames");
    assert.doesNotMatch(output, /DrsApiError/, "no error logged beside the resources' own");
    // Pulumi shows each resource's error twice: on its row, then in the diagnostics.
    const diagnostics = output.slice(output.indexOf("Diagnostics:"));
    for (const name of ["cutover-0-gate", "status"]) {
      const section = new RegExp(`\\(${name}\\):\\n    error: [^\\n]*HTTP 403 DRS\\.M00102`);
      assert.match(diagnostics, section);
    }
    assert.equal(diagnostics.match(/HTTP 403/g)?.length, 2, diagnostics);
    assert.match(
      diagnostics,
      /Check the credentials from explicit settings \(DrsClient options or the drs:\* stack config\)/,
    );
    assert.doesNotMatch(diagnostics, /HW_AUTH_TOKEN/);
  });
});
