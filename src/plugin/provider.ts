// The `drs` provider plugin's resources: a thin adapter over operations.ts, the code the
// dynamic provider runs too. What differs: the type comes from the URN, the configuration
// from the engine's Configure call, progress goes on the waiter's own row and a wait ends
// when the update is cancelled (the signal of cancellation.ts).
import type * as provider from "@pulumi/pulumi/provider";
import {
  gateOperations,
  jobStatusOperations,
  type GateHooks,
  type StackConfig,
} from "../pulumi/operations";
import { quietErrors } from "../pulumi/engine-errors";
import { JOB_STATUS_TYPE, JOB_WAITER_TYPE } from "./schema";

export interface PluginOptions {
  version: string;
  schema: string;
  config: () => StackConfig;
  /** Progress on a resource's row. */
  log: (urn: string, message: string, ephemeral: boolean) => void;
  /** Aborts when the update is cancelled: every waiting gate then fails. */
  signal: AbortSignal;
  /** The engine's Cancel call. */
  cancel: () => void;
}

/** `urn:pulumi:stack::project::parent$drs:index:JobWaiter::name` → `drs:index:JobWaiter`. */
export function typeOf(urn: string): string {
  const qualified = urn.split("::")[2] ?? "";
  return qualified.split("$").pop() ?? "";
}

export function drsProvider(options: PluginOptions): provider.Provider {
  const jobStatus = quietErrors(jobStatusOperations(options.config));
  const gate = quietErrors(gateOperations(options.config));
  const hooks = (urn: string): GateHooks => ({
    log: (message, ephemeral) => options.log(urn, message, ephemeral),
    signal: options.signal,
  });
  const pick = (urn: string) => {
    const type = typeOf(urn);
    if (type === JOB_STATUS_TYPE) return jobStatus;
    if (type === JOB_WAITER_TYPE) return gate;
    throw new Error(`unknown resource type ${type}`);
  };
  // The engine's inputs and state are what `check` returned (typed from spec.ts) and what
  // create, read and update recorded; both resources take the same calls.
  return {
    version: options.version,
    schema: options.schema,
    check: (urn, olds, news) => pick(urn).check(olds, news),
    diff: (id, urn, olds, news) => pick(urn).diff(id, olds, news),
    create: (urn, inputs) => pick(urn).create(inputs, hooks(urn)),
    read: (id, urn, props = {}) => pick(urn).read(id, props),
    update: (id, urn, olds, news) => pick(urn).update(id, olds, news, hooks(urn)),
    delete: async (_id, urn) => {
      await pick(urn).delete();
    },
    cancel: async () => options.cancel(),
  };
}
