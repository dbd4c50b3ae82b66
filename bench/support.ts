// What every benchmark shares: its context (quick or full), the shape of its report section,
// and the simulator connection settings.
import { spawn, type ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import path from "node:path";
import type { DrsClientOptions } from "../src/api";
import { generateJobs, startSimulator, type Simulator } from "../src/sim";

export { sleep };

export const repoRoot = path.resolve(__dirname, "..");
export const TOKEN = "bench-token-7f3a";

export interface BenchContext {
  /** A short run (under a minute in all) that gives indicative numbers only. */
  quick: boolean;
  log(message: string): void;
}

/** One question's answer: a markdown table plus how it was measured. */
export interface Section {
  title: string;
  /** The question and the method, in a few sentences of markdown. */
  method: string;
  table: string;
  /** What to read from the numbers; optional. */
  notes?: string;
}

export interface Benchmark {
  /** For `--only NAME`. */
  name: string;
  run(context: BenchContext): Promise<Section>;
}

/** Client settings for `sim`; few, fast retries (the simulator injects no faults here). */
export function connection(sim: Simulator): DrsClientOptions {
  return {
    endpoint: sim.url,
    projectId: sim.projectId,
    authToken: TOKEN,
    env: {},
    retry: { minTimeout: 20, maxTimeout: 50 },
  };
}

/** UUID-shaped job ids, as DRS has them (the id length sets the request body size). */
export function jobIds(count: number, prefix?: string): string[] {
  return generateJobs(count, { prefix }).map((job) => job.id);
}

/** A simulator with `jobIds` in `status`, accepting TOKEN. */
export function simulatorWith(
  jobIdList: readonly string[],
  status = "FULL_TRANSFER_STARTED",
): Promise<Simulator> {
  return startSimulator({
    scenario: { auth: { token: TOKEN }, jobs: jobIdList.map((id) => ({ id, status })) },
  });
}

export function batchRequests(sim: Simulator): number {
  return sim.counters().byKind["batch-status"] ?? 0;
}

/**
 * Runs `bench/children/<script>` in its own Node process: through tsx, or with `loader: "none"`
 * by Node's own type stripping (a script that imports only built-ins and dist/).
 */
export function spawnChild(
  script: string,
  args: readonly string[],
  loader: "tsx" | "none" = "tsx",
): ChildProcess {
  const nodeArgs = loader === "tsx" ? ["--import", "tsx"] : ["--no-warnings"];
  return spawn(
    process.execPath,
    [...nodeArgs, path.join(repoRoot, "bench", "children", script), ...args],
    { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"] },
  );
}

/** The child's next stdout line, parsed as JSON. */
export function nextJsonLine<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    const onData = (data: Buffer) => {
      buffered += data.toString("utf8");
      const newline = buffered.indexOf("\n");
      if (newline < 0) return;
      cleanup();
      try {
        resolve(JSON.parse(buffered.slice(0, newline)) as T);
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`child exited (${code}) before answering`));
    };
    const cleanup = () => {
      child.stdout?.off("data", onData);
      child.off("exit", onExit);
    };
    child.stdout?.on("data", onData);
    child.once("exit", onExit);
  });
}

/** Sends SIGTERM and waits for the exit. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}
