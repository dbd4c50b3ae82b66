#!/usr/bin/env node
// npm run release: everything a release ships, in dist-release/ (the GitHub release attaches
// exactly these files; .github/workflows/release.yml runs this on a v* tag):
//   pulumi-drs-jobs-<version>.tgz                          the npm package (npm pack)
//   pulumi-resource-drs-v<version>-<os>-<arch>.tar.gz       the plugin, per platform
//   pulumi_drs-<version>-py3-none-any.whl, pulumi_drs-<version>.tar.gz   the Python SDK
//   SHA256SUMS                                             `sha256sum -c SHA256SUMS` checks them
// Run after `eval "$(scripts/toolchain)"` (Node 22+), on linux-x64 (the plugin's SEA blobs are
// made by that platform's Node), with python3 3.9+.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { homedir, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { version } = JSON.parse(readFileSync(path.join(repo, "package.json"), "utf8"));
const out = path.join(repo, "dist-release");
const cache =
  process.env.DRS_JOBS_CACHE ??
  path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), ".cache"), "pulumi-drs-jobs");
const say = (message) => console.error(`release: ${message}`);
const run = (command, args, options = {}) =>
  execFileSync(command, args, {
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
    ...options,
  });

// The Python build frontend and backend, pinned: PyPA's `build` makes the sdist, then the
// wheel from that sdist (so a file missing from the sdist fails here, not on a user's pip).
const PYTHON_BUILD = ["build==1.6.1", "setuptools==80.9.0"];

// On a tag (the release workflow), the tag must name this version: the engine asks the
// GitHub release tagged v<version> for the archives.
if (process.env.GITHUB_REF_TYPE === "tag" && process.env.GITHUB_REF_NAME !== `v${version}`) {
  throw new Error(`release: tag ${process.env.GITHUB_REF_NAME} is not v${version} (package.json)`);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

say("the npm package (npm pack; its prepack builds dist/)");
run("npm", ["pack", "--pack-destination", out, "--loglevel=error"], { cwd: repo });

say("the plugin archives (scripts/build-plugin.mjs)");
const archives = run(process.execPath, [path.join(repo, "scripts/build-plugin.mjs")], {
  cwd: repo,
})
  .trim()
  .split("\n");
for (const archive of archives) renameSync(archive, path.join(out, path.basename(archive)));

say("the Python SDK's sdist and wheel (python -m build)");
const python = pythonBuildVenv();
const sdk = mkdtempSync(path.join(tmpdir(), "drs-sdk-build-"));
try {
  // From a copy: setuptools leaves build/ and *.egg-info beside the sources.
  cpSync(path.join(repo, "sdk/python"), sdk, { recursive: true });
  // Its chatter (and setuptools' deprecation notices about the generated pyproject) only
  // when it fails.
  const build = spawnSync(python, ["-m", "build", "--no-isolation", "--outdir", out, sdk], {
    encoding: "utf8",
  });
  if (build.status !== 0) {
    process.stderr.write(build.stdout + build.stderr);
    throw new Error(`release: python -m build exited ${build.status}`);
  }
} finally {
  rmSync(sdk, { recursive: true, force: true });
}
for (const file of [`pulumi_drs-${version}-py3-none-any.whl`, `pulumi_drs-${version}.tar.gz`]) {
  if (!existsSync(path.join(out, file))) throw new Error(`release: no ${file} (is sdk/ stale?)`);
}

const files = readdirSync(out).sort();
writeFileSync(
  path.join(out, "SHA256SUMS"),
  files
    .map((file) => {
      const digest = createHash("sha256").update(readFileSync(path.join(out, file)));
      return `${digest.digest("hex")}  ${file}\n`;
    })
    .join(""),
);
for (const file of [...files, "SHA256SUMS"]) console.log(path.join(out, file));

/** A virtualenv with the pinned build tools, cached under the project cache. */
function pythonBuildVenv() {
  const key = createHash("sha256").update(PYTHON_BUILD.join(" ")).digest("hex").slice(0, 12);
  const dir = path.join(cache, `pyvenv-build-${key}`);
  const bin = path.join(dir, "bin", "python");
  if (!existsSync(bin)) {
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    run("python3", ["-m", "venv", tmp]);
    run(path.join(tmp, "bin", "python"), [
      "-m",
      "pip",
      "install",
      "--disable-pip-version-check",
      "--quiet",
      ...PYTHON_BUILD,
    ]);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  }
  return bin;
}
