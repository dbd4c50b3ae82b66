// How the gate, waiting in the dynamic-provider process, learns that the update was
// cancelled. On cancellation the engine stops the Pulumi program (its language host's Cancel)
// but only tells providers through a Cancel RPC that Pulumi's dynamic provider ignores. So the
// program leaves its PID in a small lease file named after the waiter's URN, and the gate
// stops waiting once that process is gone. (A PID input would change on every run and show
// up as a spurious `[diff: ~programPid]`.)
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

function leasePath(waiterUrn: string): string {
  const name = createHash("sha256").update(waiterUrn).digest("hex").slice(0, 32);
  return path.join(os.tmpdir(), "pulumi-drs-jobs", `${name}.pid`);
}

/** Called in the program process once the waiter's URN is known. Best effort. */
export function writeLease(waiterUrn: string, pid = process.pid): void {
  try {
    const file = leasePath(waiterUrn);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, String(pid));
  } catch {
    // Without a lease the gate still ends by its own timeout.
  }
}

/** The program's PID for this waiter, if it left one. */
export function readLease(waiterUrn: string | undefined): number | undefined {
  if (!waiterUrn) return undefined;
  try {
    const pid = Number(readFileSync(leasePath(waiterUrn), "utf8"));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** True while `pid` is a live process. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
