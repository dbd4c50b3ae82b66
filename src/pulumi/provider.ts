// The dynamic providers' real code. It runs in Pulumi's dynamic-provider process, loaded by
// the serialized shim (shim.ts) at call time, so a package upgrade takes effect on the next
// refresh. The behaviour lives in operations.ts, shared with the `drs` provider plugin; this
// adapter supplies the stack config from `configure`, progress through the engine's Log RPC
// on the JobWaiter's row, and a cancellation signal from the program's PID lease.
import { quietErrors } from "./engine-errors";
import { engineAddress, logToEngine } from "./engine-log";
import { programGone, readLease, removeLease } from "./lease";
import {
  gateOperations,
  jobStatusOperations,
  stackConfigFrom,
  UPDATE_CANCELLED,
  type GateHooks,
  type StackConfig,
} from "./operations";
import type { GateInputs } from "./spec";

export { CONFIG_KEYS } from "./spec";

let stackConfig: StackConfig = {};

interface ConfigureRequest {
  config: { get(key: string): string | undefined };
}

function configure(request: ConfigureRequest): void {
  stackConfig = stackConfigFrom((key) => request.config.get(key));
}

/** The stack config the engine last passed to `configure`. */
export function configuredStack(): StackConfig {
  return stackConfig;
}

/**
 * Runs a gate's wait with this adapter's hooks: progress on the waiter's row, and a signal that
 * aborts when this run's Pulumi program goes away (its PID lease). The lease is removed when
 * the wait is over, however it ends.
 */
async function withHooks<T>(
  { waiterUrn }: GateInputs,
  wait: (hooks: GateHooks) => Promise<T>,
): Promise<T> {
  const engine = engineAddress();
  const program = programGone(readLease(waiterUrn, engine), UPDATE_CANCELLED);
  try {
    return await wait({
      log: (message, ephemeral) => logToEngine(waiterUrn, message, ephemeral),
      signal: program.signal,
    });
  } finally {
    program.close();
    removeLease(waiterUrn, engine);
  }
}

const jobStatus = quietErrors(jobStatusOperations(() => stackConfig));
const gate = quietErrors(gateOperations(() => stackConfig));

export const jobStatusProvider = { configure, ...jobStatus };

export const gateProvider = {
  configure,
  check: gate.check,
  diff: gate.diff,
  read: gate.read,
  delete: gate.delete,
  create: (inputs: GateInputs) => withHooks(inputs, (hooks) => gate.create(inputs, hooks)),
  update: (id: string, olds: GateInputs, news: GateInputs) =>
    withHooks(news, (hooks) => gate.update(id, olds, news, hooks)),
};
