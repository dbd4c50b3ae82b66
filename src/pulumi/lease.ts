// How the gate, waiting in the dynamic-provider process, learns that the update was
// cancelled. On cancellation the engine stops the Pulumi program (its language host's Cancel)
// but only tells providers through a Cancel RPC that Pulumi's dynamic provider ignores. So the
// program leaves its PID in a small lease file, and the gate stops waiting once that process
// is gone. (A PID input would change on every run and show up as a spurious
// `[diff: ~programPid]`.)
//
// A lease belongs to one run: its name hashes the waiter's URN with the engine's address, which
// the engine gives both the program (`--engine`, kept by @pulumi/pulumi's run script in
// PULUMI_NODEJS_ENGINE) and the provider plugin (its argument), and which differs between runs.
// So a lease an earlier run left behind (a program killed before it could clean up) is never
// read by a later gate; the program also writes its lease before the gate is registered,
// replacing any file of the same name. The gate removes the lease when it finishes, the program
// when it exits. The PID is stored with the process's start time, so a PID reused by another
// process does not pass for the program.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** A program process: its PID and, where the system says, when it started. */
export interface Lease {
  pid: number;
  /** Start time in clock ticks since boot (/proc/<pid>/stat); absent off Linux. */
  started?: number;
}

function leasePath(waiterUrn: string, engine: string): string {
  const name = createHash("sha256").update(`${engine}\n${waiterUrn}`).digest("hex").slice(0, 32);
  return path.join(os.tmpdir(), "pulumi-drs-jobs", `${name}.pid`);
}

/** When `pid` started (field 22 of /proc/<pid>/stat), or undefined where there is no /proc. */
export function processStart(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: count from its closing one.
    const started = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
    return Number.isInteger(started) ? started : undefined;
  } catch {
    return undefined;
  }
}

const written = new Set<string>();
const removeWritten = () => written.forEach((file) => rmSync(file, { force: true }));

/**
 * Called in the program process once the waiter's URN is known, before the gate is registered.
 * `engine` is this run's engine address; without one (an Automation API inline program, whose
 * process outlives the update anyway) there is no lease. Best effort.
 */
export function writeLease(
  waiterUrn: string,
  engine = process.env.PULUMI_NODEJS_ENGINE,
  pid = process.pid,
): void {
  if (!engine) return;
  try {
    const file = leasePath(waiterUrn, engine);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ pid, started: processStart(pid) } satisfies Lease));
    if (pid !== process.pid) return;
    if (written.size === 0) process.once("exit", removeWritten);
    written.add(file);
  } catch {
    // Without a lease the gate still ends by its own timeout.
  }
}

/** The lease this run's program left for the waiter, if any. */
export function readLease(
  waiterUrn: string | undefined,
  engine: string | undefined,
): Lease | undefined {
  if (!waiterUrn || !engine) return undefined;
  try {
    const lease = JSON.parse(readFileSync(leasePath(waiterUrn, engine), "utf8")) as Lease;
    if (!Number.isInteger(lease.pid) || lease.pid <= 0) return undefined;
    return Number.isInteger(lease.started) ? lease : { pid: lease.pid };
  } catch {
    return undefined;
  }
}

/** Called by the gate when it finishes, whatever the outcome. */
export function removeLease(waiterUrn: string | undefined, engine: string | undefined): void {
  if (!waiterUrn || !engine) return;
  rmSync(leasePath(waiterUrn, engine), { force: true });
}

/** True while the leased process runs (the same process: not another one given its PID). */
export function isRunning(lease: Lease): boolean {
  try {
    process.kill(lease.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  return lease.started === undefined || processStart(lease.pid) === lease.started;
}

/** How often a gate looks for its program: no event tells one process that another exited. */
export const PROGRAM_CHECK_MS = 250;

/**
 * A signal that aborts with `reason` once the leased program is gone; never without a lease.
 * The PID check polls, but only here: `close` stops it when the wait is over.
 */
export function programGone(
  lease: Lease | undefined,
  reason: unknown,
): { signal: AbortSignal; close(): void } {
  const controller = new AbortController();
  if (!lease) return { signal: controller.signal, close: () => {} };
  const timer = setInterval(() => {
    if (isRunning(lease)) return;
    clearInterval(timer);
    controller.abort(reason);
  }, PROGRAM_CHECK_MS);
  return { signal: controller.signal, close: () => clearInterval(timer) };
}
