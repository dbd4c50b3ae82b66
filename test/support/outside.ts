// Where end-to-end tests put what users would have on their machines (Pulumi programs, plugin
// homes, virtualenvs): under os.tmpdir(), never in this repository, where Node's module
// lookup would climb into the repo's node_modules and hide a missing dependency.
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "../..");

/** Fails when `dir` is inside the repository or has a node_modules above it but `allowed`. */
export function assertOutsideRepo(dir: string, allowed?: string): void {
  const resolved = path.resolve(dir);
  const rel = path.relative(REPO_ROOT, resolved);
  if (!rel.startsWith("..") && !path.isAbsolute(rel)) {
    throw new Error(
      `${resolved} is inside the repository: tests must run what users get elsewhere`,
    );
  }
  for (let up = path.dirname(resolved); ; up = path.dirname(up)) {
    const modules = path.join(up, "node_modules");
    if (existsSync(modules) && modules !== allowed) {
      throw new Error(`${resolved} has ${modules} above it: it could hide a missing dependency`);
    }
    if (path.dirname(up) === up) break;
  }
}

/** A new empty folder under os.tmpdir(), checked to be outside the repository. */
export function outsideDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `drs-${prefix}-`));
  assertOutsideRepo(dir);
  return dir;
}

/** This process's environment without NODE_PATH (which would bypass the folder lookup). */
export function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { NODE_PATH: _nodePath, ...env } = process.env;
  return { ...env, ...extra };
}
