// A mocha root hook: the run fails when a test left a Pulumi program or a plugin home inside
// the repository. Everything a test installs or runs as a user would belongs under
// os.tmpdir() (test/support/outside.ts); in here, Node's module lookup climbs into the repo's
// node_modules and hides a missing dependency of what users get.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "./outside";

const SKIP = new Set([".git", "node_modules"]);

/** Untracked Pulumi projects (Pulumi.yaml) and plugin homes (.pulumi-home, plugins/resource-*). */
export function userFoldersInRepo(): string[] {
  let tracked = new Set<string>();
  try {
    tracked = new Set(
      execFileSync("git", ["ls-files", "-z"], { cwd: REPO_ROOT, encoding: "utf8" }).split("\0"),
    );
  } catch {
    // Not a git checkout (an unpacked source tarball): the checked-in projects are then in
    // the snapshot taken before the run, and only new ones count.
  }
  const found: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of readdirSync(path.join(REPO_ROOT, rel), { withFileTypes: true })) {
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) {
        if (SKIP.has(entry.name)) continue;
        if (entry.name === ".pulumi-home" || /^resource-drs-v/.test(entry.name)) {
          found.push(`${child}/`);
          continue;
        }
        walk(child);
      } else if (/^Pulumi(\.[\w-]+)?\.yaml$/.test(entry.name) && !tracked.has(child)) {
        found.push(child);
      }
    }
  };
  walk("");
  return found.sort();
}

let before: Set<string>;

export const mochaHooks = {
  beforeAll(): void {
    before = new Set(userFoldersInRepo());
  },
  afterAll(): void {
    const made = userFoldersInRepo().filter((entry) => !before.has(entry));
    assert.deepEqual(
      made,
      [],
      "tests created Pulumi programs or plugin homes inside the repository",
    );
  },
};
