// The generated SDKs: sdk/ is what scripts/gen-sdk makes from schema.json today, the Python
// SDK installs and imports, the Go SDK compiles.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { pulumiPythonVenv } from "../support/pulumi-python";

const run = promisify(execFile);
const repo = path.resolve(__dirname, "../..");
const LOCAL = new Set(["build", "__pycache__", ".mypy_cache"]);

/** Files under `dir`, relative, without what pip and Python leave behind. */
function files(dir: string, under = ""): string[] {
  return readdirSync(path.join(dir, under)).flatMap((name) => {
    const rel = path.join(under, name);
    if (LOCAL.has(name) || name.endsWith(".egg-info")) return [];
    return statSync(path.join(dir, rel)).isDirectory() ? files(dir, rel) : [rel];
  });
}

describe("the generated SDKs", function () {
  this.timeout(600_000);

  it("sdk/ is what scripts/gen-sdk generates from schema.json (run `npm run gen-sdk`)", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "drs-sdk-"));
    try {
      await run(path.join(repo, "scripts/gen-sdk"), ["--out", out], { timeout: 590_000 });
      const want = files(out).sort();
      assert.deepEqual(files(path.join(repo, "sdk")).sort(), want);
      for (const file of want) {
        assert.equal(
          readFileSync(path.join(repo, "sdk", file), "utf8"),
          readFileSync(path.join(out, file), "utf8"),
          `sdk/${file} is stale`,
        );
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("the Go SDK compiles", async () => {
    await run("go", ["build", "./..."], {
      cwd: path.join(repo, "sdk/go"),
      env: { ...process.env, GOFLAGS: "-mod=mod" },
      timeout: 590_000,
    });
  });

  it("the Python SDK installs and imports, with its resources and their inputs", async () => {
    const bin = await pulumiPythonVenv();
    const { stdout } = await run(path.join(bin, "python"), [
      "-c",
      [
        "import inspect, pulumi_drs as drs",
        "print(drs.JobWaiter.__name__, drs.JobStatus.__name__)",
        "print(sorted(inspect.signature(drs.JobWaiterArgs.__init__).parameters))",
      ].join("\n"),
    ]);
    const [names, params] = stdout.trim().split("\n");
    assert.equal(names, "JobWaiter JobStatus");
    for (const arg of ["job_ids", "timeout", "poll_interval", "target_statuses"]) {
      assert.match(params, new RegExp(`'${arg}'`));
    }
  });
});
