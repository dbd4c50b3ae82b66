// The package as users get it: what `npm publish` would upload, and the release's tarball
// installed into Pulumi programs outside this repository (test/e2e/support/node-programs.ts),
// imported by name; its provider shim must find the installed package.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { startSimulator, type Simulator } from "../../src/sim";
import { userEnv } from "../support/outside";
import { ensureToolchain } from "../support/toolchain";
import { nodeProgramsRoot } from "./support/node-programs";
import { PulumiProject } from "./support/pulumi-cli";

const repo = path.resolve(__dirname, "../..");
const manifest = JSON.parse(readFileSync(path.join(repo, "package.json"), "utf8"));

describe("e2e: the npm package", function () {
  // The first test may build the release and install it (about 1-2 minutes).
  this.timeout(300_000);

  it("npm publish would upload built JavaScript with declarations, the CLI, README and LICENSE, and nothing else", () => {
    // --ignore-scripts: the list, not a rebuild (the release's tarball is built from the same list).
    const published = JSON.parse(
      execFileSync("npm", ["publish", "--dry-run", "--json", "--ignore-scripts"], {
        cwd: repo,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }),
    )[manifest.name] as { files: Array<{ path: string }> };
    const files = published.files.map((f) => f.path);
    for (const file of [
      "package.json",
      "README.md",
      "LICENSE",
      // What `drs-jobs simulate --help` points to.
      "src/sim/README.md",
      "dist/index.js",
      "dist/index.d.ts",
      "dist/cli/main.js",
      "dist/pulumi/provider.js",
    ]) {
      assert.ok(files.includes(file), `${file} is in the package`);
    }
    const extra = files.filter(
      (f) =>
        !["package.json", "README.md", "LICENSE", "src/sim/README.md"].includes(f) &&
        !/^dist\/.*\.(js|d\.ts)$/.test(f),
    );
    assert.deepEqual(extra, [], "only what users need");
    assert.match(
      readFileSync(path.join(repo, "dist/cli/main.js"), "utf8"),
      /^#!\/usr\/bin\/env node/,
    );
    assert.equal(manifest.bin["drs-jobs"], "dist/cli/main.js");
    assert.equal(manifest.engines.node, ">=22");
  });

  describe("installed into a program elsewhere", () => {
    let sim: Simulator;
    let project: PulumiProject;
    let root: string;

    before(async () => {
      root = nodeProgramsRoot();
      sim = await startSimulator({
        scenario: {
          auth: { token: "pack-token" },
          jobs: [{ id: "job-1", status: "INCRE_TRANSFER_STARTED" }],
        },
      });
      project = new PulumiProject(
        "installed",
        [
          'const { JobStatus, JobWaiter } = require("pulumi-drs-jobs");',
          'const waiter = new JobWaiter("gate", { jobIds: ["job-1"], pollInterval: "1s" });',
          'const status = new JobStatus("status", { jobIds: ["job-1"] }, { dependsOn: [waiter] });',
          "exports.statuses = status.statuses;",
          "",
        ].join("\n"),
        {},
        { javascript: true },
      );
      await project.init();
      await project.ok(["config", "set", "drs:endpoint", sim.url]);
      await project.ok(["config", "set", "drs:projectId", sim.projectId]);
      await project.ok(["config", "set", "--secret", "drs:authToken", "pack-token"]);
    });
    after(async () => {
      project?.cleanup();
      await sim?.stop();
    });

    it("runs the drs-jobs command from node_modules/.bin", () => {
      const out = execFileSync(path.join(root, "node_modules/.bin/drs-jobs"), ["--version"], {
        encoding: "utf8",
        env: userEnv(),
      });
      assert.equal(out.trim(), manifest.version);
    });

    it("offers the client, waiter and simulator without loading @pulumi/pulumi", () => {
      const probe =
        'const c = require("pulumi-drs-jobs/client"), s = require("pulumi-drs-jobs/sim");' +
        "console.log(JSON.stringify([typeof c.waitForJobs, typeof c.DrsClient, typeof s.startSimulator," +
        ' Object.keys(require.cache).some((k) => k.includes("@pulumi"))]))';
      const out = execFileSync(process.execPath, ["-e", probe], {
        cwd: project.dir,
        encoding: "utf8",
        env: userEnv(),
      });
      assert.deepEqual(JSON.parse(out), ["function", "function", "function", false]);
    });

    it("keeps the simulator and internals out of the main and client entries", () => {
      const probe =
        'const m = require("pulumi-drs-jobs"), c = require("pulumi-drs-jobs/client");' +
        'console.log(JSON.stringify(["startSimulator", "BatchPoller", "isPermanent", "verifySignature"]' +
        ".filter((name) => name in m || name in c)))";
      const out = execFileSync(process.execPath, ["-e", probe], {
        cwd: project.dir,
        encoding: "utf8",
        env: userEnv(),
      });
      assert.deepEqual(JSON.parse(out), []);
    });

    // On the project's language host (scripts/pulumi-plugins/) and on Pulumi's own, which the
    // engine prefers when it sits beside the CLI (`scripts/toolchain --with nodejs-host` builds
    // that directory and names it in DRS_JOBS_PULUMI_HOST_BIN).
    for (const host of [
      { name: "the project's language host", own: false },
      { name: "Pulumi's own language host", own: true },
    ]) {
      it(`runs pulumi up and refresh with the installed package's provider, on ${host.name}`, async () => {
        const pathBefore = project.env.PATH;
        if (host.own) {
          ensureToolchain(["nodejs-host"]);
          const bin = process.env.DRS_JOBS_PULUMI_HOST_BIN;
          assert.ok(bin, "scripts/toolchain --with nodejs-host names DRS_JOBS_PULUMI_HOST_BIN");
          const hostBinary = readFileSync(path.join(bin, "pulumi-language-nodejs"));
          assert.equal(hostBinary.subarray(0, 4).toString("latin1"), "\x7fELF", "a Go binary");
          project.env.PATH = `${bin}${path.delimiter}${pathBefore}`;
        }
        sim.setJobStatus("job-1", "INCRE_TRANSFER_STARTED");
        try {
          await project.ok(["up", "--yes", "--skip-preview"]);
          assert.deepEqual((await project.outputs()).statuses, {
            "job-1": "INCRE_TRANSFER_STARTED",
          });
          sim.setJobStatus("job-1", "RELEASE_RESOURCE_COMPLETE");
          await project.ok(["refresh", "--yes", "--skip-preview"]);
          const state = await project.exportState();
          const status = state.deployment.resources?.find((r) => r.type.endsWith("drs:JobStatus"));
          assert.deepEqual(status?.outputs?.statuses, { "job-1": "RELEASE_RESOURCE_COMPLETE" });
          await project.ok(["destroy", "--yes", "--skip-preview"]);
        } finally {
          project.env.PATH = pathBefore;
        }
      });
    }
  });
});
