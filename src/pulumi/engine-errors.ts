// How a failed operation reaches the user: once per resource, on its row, without a stack.
// Both servers that host our operations (Pulumi's dynamic-provider process and
// @pulumi/pulumi/provider's, in the plugin) log a failing call's error as `${e}: ${e.stack}`
// on console.error before handing it to the engine, which shows it on the resource's row and
// in the diagnostics. For an error that is about the user's jobs, credentials or input (a 403,
// a timeout, bad input) that log line is the same message again, twice, with our internal
// stack frames: 73 lines for one 403. Bugs keep their stack.
import { DrsApiError } from "../api/errors";
import { InputError } from "../util/input-error";

/**
 * The exact lines the servers are about to log for errors already shown on a row, with how
 * many times: resources that share a poll fail with the same error object.
 */
const expectedLogLines = new Map<string, number>();
let filter: typeof console.error | undefined;

/**
 * Whether the error speaks for itself: its message says what happened and what to do. The
 * wait's errors are looked up only once something failed: a preview that passes loads no part
 * of the waiting engine.
 */
async function isUserFacing(err: unknown): Promise<boolean> {
  if (err instanceof DrsApiError || err instanceof InputError) return true;
  const { WaitError } = await import("../wait/errors.js");
  return err instanceof WaitError;
}

/**
 * Drops the servers' log line for errors `quietErrors` let through; any other line stays.
 * Installed again if something replaced console.error since (a test's stub).
 */
function installFilter(): void {
  if (console.error === filter) return;
  const original = console.error.bind(console);
  filter = (...args: unknown[]) => {
    const line = args.length === 1 && typeof args[0] === "string" ? args[0] : undefined;
    const expected = line === undefined ? undefined : expectedLogLines.get(line);
    if (expected === undefined) return original(...args);
    if (expected > 1) expectedLogLines.set(line!, expected - 1);
    else expectedLogLines.delete(line!);
  };
  console.error = filter;
}

/**
 * `operations` with each method's user-facing failures logged once by the engine, not by the
 * server hosting it too. The error itself is unchanged (the engine shows its message).
 */
export function quietErrors<T extends object>(operations: T): T {
  const wrapped = { ...operations } as Record<string, unknown>;
  for (const [name, method] of Object.entries(operations)) {
    if (typeof method !== "function") continue;
    wrapped[name] = async (...args: unknown[]) => {
      try {
        return await (method as (...a: unknown[]) => unknown).apply(operations, args);
      } catch (err) {
        if (err instanceof Error && (await isUserFacing(err))) {
          installFilter();
          const line = `${String(err)}: ${err.stack}`;
          expectedLogLines.set(line, (expectedLogLines.get(line) ?? 0) + 1);
        }
        throw err;
      }
    };
  }
  return wrapped as T;
}
