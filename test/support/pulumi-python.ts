// A virtualenv with Pulumi's Python SDK and the drs SDK as users get it (the release's wheel,
// test/support/release.ts), for the tests that install, import and run Python programs. The
// venv (the Pulumi SDK, pinned so a release cannot change a run silently) is cached per
// machine like test/support/python-sdk.ts's; the wheel is reinstalled into it on every call.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { release } from "./release";

const run = promisify(execFile);
export const PULUMI_PYTHON_SDK = "3.272.0";

function cacheRoot(): string {
  const env = process.env;
  return (
    env.DRS_JOBS_CACHE ??
    path.join(env.XDG_CACHE_HOME ?? path.join(homedir(), ".cache"), "pulumi-drs-jobs")
  );
}

const pip = (python: string, args: string[]) =>
  run(python, ["-m", "pip", "--disable-pip-version-check", "--no-input", "--quiet", ...args], {
    timeout: 10 * 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });

/** The venv's bin directory (put it first on PATH to run Python programs with it). */
export async function pulumiPythonVenv(): Promise<string> {
  const dir = path.join(cacheRoot(), `pyvenv-pulumi${PULUMI_PYTHON_SDK}`);
  const python = path.join(dir, "bin", "python");
  if (!existsSync(python)) {
    const tmp = `${dir}.tmp-${process.pid}`;
    await rm(tmp, { recursive: true, force: true });
    await mkdir(cacheRoot(), { recursive: true });
    try {
      await run("python3", ["-m", "venv", tmp]);
      await pip(path.join(tmp, "bin", "python"), ["install", `pulumi==${PULUMI_PYTHON_SDK}`]);
      await rename(tmp, dir);
    } catch (err) {
      await rm(tmp, { recursive: true, force: true });
      throw err;
    }
  }
  await pip(python, ["install", "--no-deps", "--force-reinstall", release().wheel]);
  return path.join(dir, "bin");
}
