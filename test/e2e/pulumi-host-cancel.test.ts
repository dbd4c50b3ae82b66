// Ctrl-C during a waiting `pulumi up` on Pulumi's own Node.js language host (v3.68.0, built
// by scripts/toolchain into DRS_JOBS_PULUMI_HOST_BIN). Measured: that host does not end the
// program on the engine's Cancel (the project's host does), and Pulumi's dynamic provider
// ignores Cancel, so the FIRST Ctrl-C cannot reach a waiting dynamic gate there: it waits on
// (README: "Cancelling an update"). The second Ctrl-C ends the CLI; the program goes with it,
// and the gate, seeing its program gone (the lease), stops polling: no poller is left behind.
// Pulumi's host runs JavaScript programs only, so the program here is CommonJS.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { startSimulator, type Simulator } from "../../src/sim";
import { PulumiProject } from "./support/pulumi-cli";

const TOKEN = "e2e-pulumi-host-token-9b1e";
const PROGRAM = `const { JobWaiter } = require("pulumi-drs-jobs");
new JobWaiter("gate", { jobIds: ["job-a"], pollInterval: "1s", timeout: "10m" });
`;

describe("e2e: Ctrl-C and the dynamic waiter on Pulumi's own Node.js host", function () {
  this.timeout(180_000);
  let sim: Simulator;
  let project: PulumiProject;
  after(async () => {
    project?.cleanup();
    await sim?.stop();
  });

  it("after a second Ctrl-C the gate stops polling: its program is gone", async () => {
    const hostBin = process.env.DRS_JOBS_PULUMI_HOST_BIN;
    if (hostBin === undefined) {
      assert.fail('DRS_JOBS_PULUMI_HOST_BIN is not set: eval "$(scripts/toolchain)" first');
    }
    const host = readFileSync(path.join(hostBin, "pulumi-language-nodejs"));
    assert.equal(host.subarray(0, 4).toString("latin1"), "\x7fELF", "Pulumi's Go host");
    sim = await startSimulator({
      scenario: {
        auth: { token: TOKEN },
        jobs: [{ id: "job-a", status: "FULL_TRANSFER_STARTED" }],
      },
    });
    // First on PATH: the engine takes the language host that sits beside its executable.
    project = new PulumiProject(
      "pulumi-host-cancel",
      PROGRAM,
      { PATH: `${hostBin}${path.delimiter}${process.env.PATH}` },
      { javascript: true },
    );
    await project.init();
    await project.ok(["config", "set", "drs:endpoint", sim.url]);
    await project.ok(["config", "set", "drs:projectId", sim.projectId]);
    await project.ok(["config", "set", "--secret", "drs:authToken", TOKEN]);

    const polls = () => sim.requestLog().filter((entry) => entry.kind === "batch-status").length;
    let interrupts = 0;
    const result = await project.run(["up", "--yes", "--skip-preview"], 120_000, (child) => {
      // Once the gate is waiting (two polls), Ctrl-C; once it has polled twice more, again.
      const timer = setInterval(() => {
        if (polls() < 2 + interrupts * 2) return;
        child.kill("SIGINT");
        if (++interrupts === 2) clearInterval(timer);
      }, 50);
      child.on("exit", () => clearInterval(timer));
    });
    assert.notEqual(result.code, 0, "a cancelled update does not succeed");
    assert.equal(interrupts, 2, "the first Ctrl-C did not end the update: the gate polled on");
    // The gate checks for its program every 250 ms and polls every 1 s: a few of each, then
    // nothing more may arrive.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const settled = polls();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    assert.equal(polls(), settled, "no polling after the cancel");
  });
});
