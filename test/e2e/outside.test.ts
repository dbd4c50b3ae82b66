// The guards that keep the end-to-end tests honest: what users would have on their machines
// lives outside the repository, and a run that leaves a Pulumi program or plugin home inside
// it fails (test/support/repo-guard.ts, a mocha root hook).
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { assertOutsideRepo, outsideDir, REPO_ROOT } from "../support/outside";
import { userFoldersInRepo } from "../support/repo-guard";

describe("e2e programs and plugin homes stay outside the repository", () => {
  it("refuses a folder inside the repository", () => {
    assert.throws(
      () => assertOutsideRepo(path.join(REPO_ROOT, ".tmp", "e2e-x")),
      /is inside the repository/,
    );
  });

  it("refuses a folder with a node_modules above it, unless it is the one allowed", () => {
    const top = outsideDir("guard");
    try {
      mkdirSync(path.join(top, "node_modules"));
      const program = path.join(top, "program");
      assert.throws(() => assertOutsideRepo(program), /node_modules above it/);
      assert.doesNotThrow(() => assertOutsideRepo(program, path.join(top, "node_modules")));
    } finally {
      rmSync(top, { recursive: true, force: true });
    }
  });

  it("finds a Pulumi project or a plugin home left inside the repository", () => {
    mkdirSync(path.join(REPO_ROOT, ".tmp"), { recursive: true });
    const left = mkdtempSync(path.join(REPO_ROOT, ".tmp", "guard-"));
    try {
      writeFileSync(path.join(left, "Pulumi.yaml"), "name: x\nruntime: yaml\n");
      mkdirSync(path.join(left, ".pulumi-home"));
      const rel = path.relative(REPO_ROOT, left);
      assert.deepEqual(
        userFoldersInRepo().filter((entry) => entry.startsWith(rel)),
        [`${rel}/.pulumi-home/`, `${rel}/Pulumi.yaml`],
      );
    } finally {
      rmSync(left, { recursive: true, force: true });
    }
    assert.deepEqual(
      userFoldersInRepo().filter((entry) => entry.includes("guard-")),
      [],
    );
  });
});
