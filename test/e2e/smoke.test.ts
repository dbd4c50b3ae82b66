// The foundation's proof: the Pulumi engine built here, our Node.js language host and the
// dynamic-provider plugin run a dynamic resource through up, refresh and destroy.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { PulumiProject } from "./support/pulumi-cli";

const smokeProgram = readFileSync(path.join(__dirname, "programs/smoke.ts"), "utf8");

describe("e2e: the real pulumi CLI with a dynamic resource", function () {
  this.timeout(180_000);
  let project: PulumiProject;

  before(async () => {
    project = new PulumiProject("smoke", smokeProgram);
    await project.init();
  });
  after(() => project?.cleanup());

  const smokeOutputs = async () =>
    (await project.exportState()).deployment.resources?.find((r) =>
      r.type.endsWith("dynamic/smoke:Resource"),
    )?.outputs;

  it("pulumi up creates the resource through the dynamic-provider plugin", async () => {
    const up = await project.ok(["up", "--yes", "--skip-preview"]);
    assert.match(up.stdout, /\+ 2 created/); // the stack and the resource
    assert.deepEqual(await project.outputs(), { id: "smoke-hello", reads: 0 });
  });

  it("pulumi refresh runs the provider's read and stores what it returned", async () => {
    await project.ok(["refresh", "--yes"]);
    assert.equal((await smokeOutputs())?.reads, 1);
  });

  it("pulumi up with changed config updates the resource in place", async () => {
    await project.ok(["config", "set", "message", "changed"]);
    const up = await project.ok(["up", "--yes", "--skip-preview"]);
    assert.match(up.stdout, /~ 1 updated/);
    assert.equal((await smokeOutputs())?.message, "changed");
  });

  it("pulumi destroy removes it and leaves an empty stack", async () => {
    await project.ok(["destroy", "--yes", "--skip-preview"]);
    const resources = (await project.exportState()).deployment.resources ?? [];
    assert.equal(resources.length, 0);
  });
});
