// The public API reports guard the surface: `npm run lint` (scripts/api-report.mjs) must fail
// when an entry point's exports change and docs/api/ was not updated. Runs on a copy of the
// sources so that the change never touches the work tree.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";

const repo = path.resolve(__dirname, "../..");
const COPIED = [
  "package.json",
  "api-extractor.json",
  "tsconfig.json",
  "tsconfig.build.json",
  "src",
  "docs/api",
  "scripts/api-report.mjs",
];

describe("scripts/api-report.mjs", function () {
  this.timeout(120_000);
  let copy: string;

  before(() => {
    mkdirSync(path.join(repo, ".tmp"), { recursive: true });
    copy = mkdtempSync(path.join(repo, ".tmp/api-report-"));
    for (const entry of COPIED) {
      cpSync(path.join(repo, entry), path.join(copy, entry), { recursive: true });
    }
    symlinkSync(path.join(repo, "node_modules"), path.join(copy, "node_modules"));
  });
  after(() => rmSync(copy, { recursive: true, force: true }));

  it("fails, naming the entry and `npm run api`, when an export is added without its report", () => {
    appendFileSync(path.join(copy, "src/client.ts"), "export const unreviewed = 1;\n");
    const run = spawnSync(process.execPath, ["scripts/api-report.mjs"], {
      cwd: copy,
      encoding: "utf8",
    });
    assert.equal(run.status, 1, run.stdout + run.stderr);
    // The entry that exports it, and only that one: the main entry names what it re-exports
    // from the client entry one by one, so a new client export is not silently promised there.
    assert.match(run.stderr, /public API of pulumi-drs-jobs\/client changed.*npm run api/);
    assert.doesNotMatch(run.stderr, /public API of pulumi-drs-jobs changed/);
    assert.doesNotMatch(run.stderr, /pulumi-drs-jobs\/sim/);
  });
});
