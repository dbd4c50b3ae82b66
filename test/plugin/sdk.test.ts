// The generated SDKs: sdk/ is what scripts/gen-sdk makes from schema.json today; the Python
// SDK is a wheel and an sdist of the package's version that installs and imports; the Go SDK
// compiles, and a user's Go program builds on it by its go-gettable module path.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { GO_MODULE, PLUGIN_DOWNLOAD_URL } from "../../src/plugin/schema";
import { outsideDir } from "../support/outside";
import { pulumiPythonVenv } from "../support/pulumi-python";
import { release } from "../support/release";

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

  it("one repository URL, package.json's: in the schema, the SDKs and the README", () => {
    const { url } = JSON.parse(readFileSync(path.join(repo, "package.json"), "utf8")).repository;
    const ownerRepo = /github\.com\/([^/]+\/[^/.]+)/.exec(url)?.[1];
    assert.ok(ownerRepo, url);
    assert.equal(PLUGIN_DOWNLOAD_URL, `github://api.github.com/${ownerRepo}`);
    assert.equal(GO_MODULE, `github.com/${ownerRepo}/sdk/go`);
    for (const file of [
      "schema.json",
      "README.md",
      "sdk/go/go.mod",
      "sdk/go/drs/pulumi-plugin.json",
      "sdk/python/pulumi_drs/pulumi-plugin.json",
    ]) {
      let text = readFileSync(path.join(repo, file), "utf8");
      // go.mod: its own path; the modules it requires are others'.
      if (file.endsWith("go.mod")) text = /^module .*$/m.exec(text)?.[0] ?? "";
      const named = [...text.matchAll(/github(?:\.com|:\/\/api\.github\.com)\/([\w.-]+\/[\w-]+)/g)]
        .map((m) => m[1])
        // Other projects' repositories the README cites on purpose (Pulumi's own).
        .filter((name) => !name.startsWith("pulumi/"));
      assert.ok(named.length > 0, `${file} names the repository`);
      assert.deepEqual([...new Set(named)], [ownerRepo], file);
    }
  });

  it("the Go SDK compiles", async () => {
    await run("go", ["build", "./..."], {
      cwd: path.join(repo, "sdk/go"),
      env: { ...process.env, GOFLAGS: "-mod=mod" },
      timeout: 590_000,
    });
  });

  it("a Go program outside the repo builds on the SDK by its module path (replaced by sdk/go)", async () => {
    const dir = outsideDir("go-user");
    try {
      writeFileSync(
        path.join(dir, "go.mod"),
        [
          "module example.com/cutover",
          "",
          "go 1.26",
          "",
          `require ${GO_MODULE} v${release().version}`,
          "",
          `replace ${GO_MODULE} => ${path.join(repo, "sdk/go")}`,
          "",
        ].join("\n"),
      );
      writeFileSync(
        path.join(dir, "main.go"),
        `package main

import (
\t"${GO_MODULE}/drs"
\t"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
\tpulumi.Run(func(ctx *pulumi.Context) error {
\t\tgate, err := drs.NewJobWaiter(ctx, "gate", &drs.JobWaiterArgs{JobIds: pulumi.StringArray{pulumi.String("job-a")}})
\t\tif err != nil {
\t\t\treturn err
\t\t}
\t\t_, err = drs.NewJobStatus(ctx, "record", &drs.JobStatusArgs{JobIds: pulumi.StringArray{pulumi.String("job-a")}}, pulumi.DependsOn([]pulumi.Resource{gate}))
\t\treturn err
\t})
}
`,
      );
      const env = { ...process.env, GOFLAGS: "-mod=mod" };
      await run("go", ["mod", "tidy"], { cwd: dir, env, timeout: 590_000 });
      await run("go", ["build", "-o", "cutover", "."], { cwd: dir, env, timeout: 590_000 });
      assert.ok(statSync(path.join(dir, "cutover")).isFile());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the release's Python wheel and sdist carry the package version and the plugin's download URL", async () => {
    const { version, wheel } = release();
    const sdist = release().file(`pulumi_drs-${version}.tar.gz`);
    const pkgInfo = (await run("tar", ["-xOzf", sdist, `pulumi_drs-${version}/PKG-INFO`])).stdout;
    assert.match(pkgInfo, new RegExp(`^Version: ${version.replace(/\./g, "\\.")}$`, "m"));
    const plugin = (
      await run("python3", [
        "-c",
        "import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())",
        wheel,
        "pulumi_drs/pulumi-plugin.json",
      ])
    ).stdout;
    assert.deepEqual(JSON.parse(plugin), {
      resource: true,
      name: "drs",
      version,
      server: PLUGIN_DOWNLOAD_URL,
    });
  });

  it("the Python SDK's wheel installs and imports, with its resources and their inputs", async () => {
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
