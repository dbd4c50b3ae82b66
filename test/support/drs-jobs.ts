// `drs-jobs` as a pipeline step runs it: a child process (TypeScript through tsx), judged by
// exit code and output. Shared by every test that runs the command.
import { spawn } from "node:child_process";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { Simulator } from "../../src/sim";

const MAIN = path.resolve(__dirname, "../../src/cli/main.ts");

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** ms from the signal (when sent) to the process's exit. */
  exitAfterSignalMs?: number;
}

export interface RunOptions {
  /** Checked every 25 ms; once true, `signal` (default SIGINT) is sent. */
  interruptWhen?: () => boolean;
  signal?: NodeJS.Signals;
  /** A safety net so no test can hang. Default 30 s. */
  killAfterMs?: number;
  /** Written to the command's stdin (which is closed either way). */
  stdin?: string;
}

/** The environment pointing `drs-jobs` at `sim` with a token, nothing from this machine. */
export function simulatorEnv(
  sim: Simulator,
  token: string,
  extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HW_DRS_ENDPOINT: sim.url,
    HW_PROJECT_ID: sim.projectId,
    HW_AUTH_TOKEN: token,
    ...extra,
  };
}

/** Runs `drs-jobs ARGS` with `env` and resolves when it exits. */
export function drsJobs(
  args: string[],
  env: NodeJS.ProcessEnv,
  options: RunOptions = {},
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...args], { env });
    let stdout = "";
    let stderr = "";
    let signalledAt: number | undefined;
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.stdin.end(options.stdin ?? "");
    const watch = options.interruptWhen
      ? setInterval(() => {
          if (signalledAt === undefined && options.interruptWhen!()) {
            signalledAt = performance.now();
            child.kill(options.signal ?? "SIGINT");
          }
        }, 25)
      : undefined;
    const safety = setTimeout(() => child.kill("SIGKILL"), options.killAfterMs ?? 30_000);
    child.on("close", (code) => {
      clearInterval(watch);
      clearTimeout(safety);
      resolve({
        code,
        stdout,
        stderr,
        exitAfterSignalMs:
          signalledAt === undefined ? undefined : Math.round(performance.now() - signalledAt),
      });
    });
  });
}
