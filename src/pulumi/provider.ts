// The dynamic providers' real code. It runs in Pulumi's dynamic-provider process, loaded by
// the serialized shim (shim.ts) at call time, so a package upgrade takes effect on the next
// refresh. The behaviour lives in operations.ts, shared with the `drs` provider plugin; this
// adapter supplies the stack config from `configure`, progress through the engine's Log RPC
// on the JobWaiter's row, and cancellation through the program's PID lease.
import type { ConnectionInputs, GateInputs } from "./inputs";
import { quietErrors } from "./engine-errors";
import { engineAddress, logToEngine } from "./engine-log";
import { isRunning, readLease, removeLease } from "./lease";
import {
  gateOperations,
  jobStatusOperations,
  settingsFor as settingsFrom,
  stackConfigFrom,
  type GateHooks,
  type Props,
  type StackConfig,
} from "./operations";

export { CONFIG_KEYS } from "./spec";
export { GATE_COALESCE_MS, READ_COALESCE_MS } from "./operations";

let stackConfig: StackConfig = {};

interface ConfigureRequest {
  config: { get(key: string): string | undefined };
}

function configure(request: ConfigureRequest): void {
  stackConfig = stackConfigFrom((key) => request.config.get(key));
}

/** Explicit inputs > stack config `drs:*` > the HW_* environment (inside DrsClient). */
export function settingsFor(inputs: ConnectionInputs, config: StackConfig = stackConfig) {
  return settingsFrom(inputs, config);
}

/**
 * Rejects with a cancellation error when this run's Pulumi program process goes away. When
 * the wait is over (`signal`), the run's lease is removed.
 */
function programEnded(waiterUrn: string | undefined, signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    signal.addEventListener("abort", () => removeLease(waiterUrn, engineAddress()), {
      once: true,
    });
    const program = readLease(waiterUrn, engineAddress());
    if (!program) return;
    const timer = setInterval(() => {
      if (isRunning(program)) return;
      clearInterval(timer);
      reject(new Error("the update was cancelled: stopped waiting for the DRS jobs"));
    }, 250);
    signal.addEventListener("abort", () => clearInterval(timer), { once: true });
  });
}

function hooksFor(inputs: Props): GateHooks {
  const { waiterUrn } = inputs as unknown as GateInputs;
  return {
    log: (message, ephemeral) => logToEngine(waiterUrn, message, ephemeral),
    cancelled: (signal) => programEnded(waiterUrn, signal),
  };
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
  create: (inputs: Props) => gate.create(inputs, hooksFor(inputs)),
  update: (id: string, olds: Props, news: Props) => gate.update(id, olds, news, hooksFor(news)),
};
