// The commands the README documents outside Pulumi, run as a newcomer runs them: in a fresh
// `git clone` (of this repository's HEAD, so commit first), each in a new shell that only
// evaluates scripts/toolchain. A clone has no node_modules/, no dist/ and no link from the
// package to itself unless the ordinary npm commands make them; and the commands must leave
// the clone as they found it (no committed file rewritten, nothing untracked left behind).
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const repo = path.resolve(__dirname, "../..");

/**
 * This process's environment minus what `npm run`/`npx` put there for this checkout, and
 * minus c8's coverage directory (the clone's processes are not this checkout's code).
 */
function shellEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith("npm_") && key !== "npm_config_cache") continue;
    if (key === "INIT_CWD" || key === "NODE_OPTIONS" || key === "NODE_V8_COVERAGE") continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? "")
    .split(path.delimiter)
    .filter((dir) => !dir.includes("node_modules"))
    .join(path.delimiter);
  return env;
}

/** Runs `command` in bash in `cwd` after `eval "$(scripts/toolchain)"`; rejects on failure. */
function step(cwd: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      "bash",
      ["-c", `set -e; exports=$(scripts/toolchain); eval "$exports"; ${command}`],
      {
        cwd,
        env: shellEnv(),
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("close", (code) => {
      if (code === 0) resolve(output);
      else
        reject(
          new Error(`\`${command}\` exited ${code} in a fresh clone:\n${output.slice(-4000)}`),
        );
    });
  });
}

describe("a fresh clone: the README's commands", function () {
  // npm ci (from the npm cache), the build and the quick benchmarks: about 2 minutes on 2 cores.
  this.timeout(900_000);
  let dir: string;
  let clone: string;
  before(() => {
    // Outside the repository, so that nothing resolves through this checkout's node_modules.
    dir = mkdtempSync(path.join(os.tmpdir(), "drs-jobs-clone-"));
    clone = path.join(dir, "repo");
    execFileSync("git", ["clone", "--quiet", repo, clone], { stdio: "ignore" });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("npm ci, npm run build, npm run bench -- --quick: all exit 0, the clone stays clean", async () => {
    await step(clone, "npm ci --prefer-offline --no-audit --no-fund");
    await step(clone, "npm run build");
    const bench = await step(clone, "npm run bench -- --quick");
    assert.match(bench, /## 4\. Pulumi overhead/, "the Pulumi section ran");
    assert.doesNotMatch(bench, /_Failed \(/);
    const quick = path.join(clone, ".tmp", "BENCHMARKS.quick.md");
    assert.ok(existsSync(quick), ".tmp/BENCHMARKS.quick.md is written");
    assert.match(readFileSync(quick, "utf8"), /quick mode/);
    const status = execFileSync("git", ["status", "--porcelain"], { cwd: clone, encoding: "utf8" });
    assert.equal(status, "", "the commands changed or left files in the clone");
  });
});
