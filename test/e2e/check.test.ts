// Mistakes in a program's arguments fail `pulumi preview`, before anything reaches the state:
// a credential passed as an argument, a misspelt argument, a misspelt target status.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { startSimulator, type Simulator } from "../../src/sim";
import { PulumiProject } from "./support/pulumi-cli";

const TOKEN = "e2e-argument-token-7d2b91";

// The engine stops at the first resource that fails its check: one resource per run.
const program = `
import * as pulumi from "@pulumi/pulumi";
import { JobStatus, JobWaiter } from "pulumi-drs-jobs";
if (new pulumi.Config().require("resource") === "status") {
  new JobStatus("st", { jobIds: ["job-a"], authToken: "${TOKEN}" } as any);
} else {
  new JobWaiter("gate", { jobIds: ["job-a"], timout: "5m", targetStatuses: ["INCRE_TRANSFER_STARTD"] } as any);
}
`;

/** Every file under `dir`, read as text. */
function allText(dir: string): string {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((name) => path.join(dir, name))
    .filter((file) => statSync(file).isFile())
    .map((file) => readFileSync(file, "utf8"))
    .join("\n");
}

describe("e2e: bad resource arguments fail preview", function () {
  this.timeout(180_000);
  let sim: Simulator;
  let project: PulumiProject;

  before(async () => {
    sim = await startSimulator({
      scenario: {
        auth: { token: "config-token-0123" },
        jobs: [{ id: "job-a", status: "CREATING" }],
      },
    });
    project = new PulumiProject("check", program);
    await project.init();
    await project.ok(["config", "set", "drs:endpoint", sim.url]);
    await project.ok(["config", "set", "drs:projectId", sim.projectId]);
    await project.ok(["config", "set", "--secret", "drs:authToken", "config-token-0123"]);
  });
  after(async () => {
    project?.cleanup();
    await sim?.stop();
  });

  it("a JobWaiter's misspelt argument and target status fail preview, each named", async () => {
    await project.ok(["config", "set", "resource", "gate"]);
    const preview = await project.run(["preview"]);
    assert.notEqual(preview.code, 0, "preview fails");
    const output = preview.stdout + preview.stderr;
    assert.match(
      output,
      /property timout .*is not an argument of this resource; did you mean timeout\?/,
    );
    assert.match(
      output,
      /"INCRE_TRANSFER_STARTD" is not a DRS job status; did you mean INCRE_TRANSFER_STARTED\?/,
    );
    assert.equal(sim.requestLog().length, 0, "preview asked nothing of DRS");
  });

  it("a JobStatus given a token as an argument fails preview and up; the token lands nowhere", async () => {
    await project.ok(["config", "set", "resource", "status"]);
    const preview = await project.run(["preview"]);
    assert.notEqual(preview.code, 0, "preview fails");
    const output = preview.stdout + preview.stderr;
    assert.match(output, /authToken: credentials are not resource arguments/);
    assert.doesNotMatch(output, new RegExp(TOKEN), "the token is not echoed");
    assert.equal(sim.requestLog().length, 0, "preview asked nothing of DRS");

    const up = await project.run(["up", "--yes"]);
    assert.notEqual(up.code, 0, "up fails the same way");
    assert.doesNotMatch(up.stdout + up.stderr, new RegExp(TOKEN));
    const state = await project.exportState();
    assert.deepEqual(
      (state.deployment.resources ?? []).filter((r) => r.type.startsWith("drs:")),
      [],
    );
    assert.doesNotMatch(allText(path.join(project.dir, ".state")), new RegExp(TOKEN));
  });
});
