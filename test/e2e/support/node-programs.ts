// The one node_modules the Node.js programs of the end-to-end tests resolve from: a folder
// under os.tmpdir() where the release's npm tarball (what users install), @pulumi/pulumi and
// tsx (which the programs' `nodeargs: --import tsx` loads) are installed once per test run,
// from npm's cache. Each program is a subfolder of it, so Node finds these and nothing of the
// repository's.
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { outsideDir, REPO_ROOT } from "../../support/outside";
import { release } from "../../support/release";

let root: string | undefined;

/** The version installed in the repository's own node_modules, so both run the same code. */
function installedVersion(name: string): string {
  return JSON.parse(
    readFileSync(path.join(REPO_ROOT, "node_modules", name, "package.json"), "utf8"),
  ).version;
}

/** The shared folder (created on first use: about 10-20 s with a warm npm cache). */
export function nodeProgramsRoot(): string {
  if (root) return root;
  const dir = outsideDir("e2e-node");
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({
      name: "drs-e2e-programs",
      private: true,
      dependencies: {
        "pulumi-drs-jobs": `file:${release().npmTarball}`,
        "@pulumi/pulumi": installedVersion("@pulumi/pulumi"),
        tsx: installedVersion("tsx"),
      },
    }),
  );
  const { NODE_PATH: _nodePath, ...env } = process.env;
  execFileSync(
    "npm",
    ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"],
    {
      cwd: dir,
      env,
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  root = dir;
  return root;
}
