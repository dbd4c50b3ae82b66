// The `drs` plugin reads the HW_* environment like every other front end: with no `drs:*` stack
// config at all, a YAML program's gate finds DRS, its project and its token there, and
// HW_DRS_REQUEST_TIMEOUT / HW_MAX_RETRIES shape its requests.
import assert from "node:assert/strict";
import { startSimulator, type Simulator } from "../../src/sim";
import { PACKAGE_VERSION } from "../../src/util/package-info";
import { pluginArchive, PluginProject } from "./support/plugin-project";

const TOKEN = "e2e-plugin-env-token-41c9";
const PROGRAM = `name: plugin-env
runtime: yaml
resources:
  gate:
    type: drs:index:JobWaiter
    properties:
      jobIds: [job-a]
      pollInterval: 1s
      timeout: 20s
outputs:
  statuses: \${gate.statuses}
`;

describe("e2e: the drs plugin reads the HW_* environment", function () {
  this.timeout(180_000);
  let sim: Simulator;
  let project: PluginProject | undefined;
  afterEach(async () => {
    project?.cleanup();
    await sim?.stop();
  });

  it("no drs:* config: endpoint, project id, token, request timeout and retries from HW_*", async () => {
    sim = await startSimulator({
      scenario: {
        auth: { token: TOKEN },
        jobs: [{ id: "job-a", status: "INCRE_TRANSFER_STARTED" }],
        // The first request is accepted and never answered.
        faults: [{ hang: true, times: 1 }],
      },
    });
    project = new PluginProject("plugin-env", PROGRAM, {
      HW_DRS_ENDPOINT: sim.url,
      HW_PROJECT_ID: sim.projectId,
      HW_AUTH_TOKEN: TOKEN,
      // Read, or the hung request would hold the first poll for the default 30 s, past the
      // gate's 20 s timeout.
      HW_DRS_REQUEST_TIMEOUT: "1s",
      HW_MAX_RETRIES: "0",
    });
    await project.ok([
      "plugin",
      "install",
      "resource",
      "drs",
      PACKAGE_VERSION,
      "--file",
      pluginArchive(),
    ]);
    await project.init();
    const config = (await project.ok(["config", "--json"])).stdout;
    assert.deepEqual(Object.keys(JSON.parse(config) as object), [], "no stack config at all");

    const up = await project.run(["up", "--yes", "--skip-preview"]);
    assert.equal(up.code, 0, up.stdout + up.stderr);
    assert.deepEqual((await project.outputs()).statuses, { "job-a": "INCRE_TRANSFER_STARTED" });
    const polls = sim.requestLog().filter((entry) => entry.kind === "batch-status");
    assert.equal(polls[0].fault?.endsWith(":hang"), true, "the first poll hung");
    assert.equal(polls.length, 2, "cut off at 1 s, not retried (HW_MAX_RETRIES=0), polled again");
    assert.equal(polls[1].authMode, "token", "signed with HW_AUTH_TOKEN");
  });
});
