// A virtualenv with Pulumi's Python SDK and the generated drs SDK (sdk/python), for the tests
// that install, import and run Python programs. The venv (the Pulumi SDK, pinned so a release
// cannot change a run silently) is cached per machine like test/support/python-sdk.ts's; the
// drs SDK is reinstalled into it on every call, so it is always the checked-in one.
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
export const PULUMI_PYTHON_SDK = "3.272.0";
const repo = path.resolve(__dirname, "../..");

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
  // From a copy: pip's build leaves build/ and *.egg-info beside the sources.
  const copy = mkdtempSync(path.join(tmpdir(), "drs-sdk-python-"));
  try {
    cpSync(path.join(repo, "sdk/python"), copy, { recursive: true });
    await pip(python, ["install", "--no-deps", "--force-reinstall", copy]);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
  return path.join(dir, "bin");
}
