// Huawei's official Python DRS SDK in a cached virtualenv, for tests proving that the SDK
// parses the simulator's answers. Pinned exactly: a new SDK release must not change a test
// run silently. Created once per machine under the project's cache (as scripts/toolchain's
// DRS_JOBS_CACHE), keyed by the SDK and Python versions, built in a temporary folder and
// renamed into place so an interrupted install never leaves a half-made venv behind.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export const SDK_PACKAGES = { huaweicloudsdkdrs: "3.1.219", huaweicloudsdkcore: "3.1.219" };

const READY = "drs-jobs-ready.json";

function cacheRoot(): string {
  const env = process.env;
  return (
    env.DRS_JOBS_CACHE ?? join(env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "pulumi-drs-jobs")
  );
}

/** `python3 --version`'s "3.11" or undefined when there is no usable python3. */
export async function pythonVersion(python = "python3"): Promise<string | undefined> {
  try {
    const { stdout, stderr } = await run(python, ["--version"]);
    return /Python (3\.\d+)/.exec(stdout + stderr)?.[1];
  } catch {
    return undefined;
  }
}

export interface SdkVenv {
  /** The venv's python, with the SDK importable. */
  python: string;
  dir: string;
  /** Set when this call created the venv: how long that took. */
  createdMs?: number;
}

/** The SDK's virtualenv, created on first use (~10 s and ~65 MB with a warm pip cache). */
export async function sdkVenv(pyVersion: string): Promise<SdkVenv> {
  const pins = Object.entries(SDK_PACKAGES).map(([name, version]) => `${name}==${version}`);
  const key = `pyvenv-drs${SDK_PACKAGES.huaweicloudsdkdrs}-core${SDK_PACKAGES.huaweicloudsdkcore}-py${pyVersion}`;
  const dir = join(cacheRoot(), key);
  const python = join(dir, "bin", "python");
  if (await usable(dir, python, pins)) return { python, dir };

  const started = performance.now();
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(cacheRoot(), { recursive: true });
  try {
    await run("python3", ["-m", "venv", tmp]);
    // `python -m pip`, not bin/pip: its shebang would name the temporary folder.
    await run(
      join(tmp, "bin", "python"),
      ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--quiet", ...pins],
      { timeout: 10 * 60_000, maxBuffer: 16 * 1024 * 1024 },
    );
    await writeFile(join(tmp, READY), JSON.stringify(pins));
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  return { python, dir, createdMs: performance.now() - started };
}

async function usable(dir: string, python: string, pins: string[]): Promise<boolean> {
  if (!existsSync(python)) return false;
  try {
    if ((await readFile(join(dir, READY), "utf8")) !== JSON.stringify(pins)) return false;
    // The base interpreter the venv points at may have gone (a pyenv upgrade).
    await run(python, ["-c", "import huaweicloudsdkdrs.v3"]);
    return true;
  } catch {
    return false;
  }
}

/** The simulator's AK/SK pair in the tests where the SDK signs its requests. */
export const SDK_TEST_KEYS = {
  accessKey: "HPUAPYTHONSDKTEST001",
  secretKey: "python-sdk-test-secret-key-0123456789",
} as const;

/**
 * For a suite's `before`: the SDK virtualenv's python (created on first use, so the hook gets
 * ten minutes), or the suite skipped, saying why, on a machine with no python3.
 */
export async function sdkPythonOrSkip(hook: Mocha.Context): Promise<string> {
  const version = await pythonVersion();
  if (version === undefined) {
    console.warn("    skipped: no python3 on PATH, so the official Python SDK cannot run");
    hook.skip();
  }
  hook.timeout(10 * 60_000);
  const venv = await sdkVenv(version);
  if (venv.createdMs !== undefined) {
    console.log(
      `    created the SDK's virtualenv in ${(venv.createdMs / 1000).toFixed(1)} s: ${venv.dir}`,
    );
  }
  return venv.python;
}

/**
 * The environment for the SDK: proxies dropped so its requests go to 127.0.0.1 directly, and a
 * HOME of its own (the SDK writes ~/.huaweicloud/application_id) to keep the user's clean.
 */
export function sdkEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(https?|all|no)_proxy$/i.test(name)) delete env[name];
  }
  return {
    ...env,
    NO_PROXY: "127.0.0.1,localhost",
    HOME: mkdtempSync(join(tmpdir(), "drs-pysdk-home-")),
  };
}
