// Progress from the provider process, shown in place on the JobWaiter's row.
//
// The dynamic-provider process has no engine connection of its own (pulumi.log there falls
// back to console.log), but the engine passes its address as the plugin's argument. We call
// its Log RPC with `ephemeral: true`, as pulumi-kubernetes' awaiters do.
import type * as grpcTypes from "@grpc/grpc-js";
import { pulumiModules } from "./engine-modules";

type EngineClient = {
  log(request: unknown, callback: (error: Error | null) => void): void;
  close(): void;
};

export interface EngineLogModules {
  grpc: typeof grpcTypes;
  enginePb: {
    LogRequest: new () => {
      setSeverity(s: number): unknown;
      setMessage(m: string): unknown;
      setUrn(u: string): unknown;
      setEphemeral(e: boolean): unknown;
    };
    LogSeverity: { INFO: number };
  };
  engineRpc: { EngineClient: new (address: string, credentials: unknown) => EngineClient };
}

let client: EngineClient | null | undefined;
let modules: EngineLogModules | undefined;

/**
 * The gRPC modules to use instead of @pulumi/pulumi's, found at run time: the `drs` plugin is
 * one bundled file with no node_modules to look them up in, so it passes its own.
 */
export function useEngineModules(bundled: EngineLogModules): void {
  modules = bundled;
  client = undefined;
}

/** The engine's address: the dynamic-provider plugin's first host:port argument. */
export function engineAddress(argv: readonly string[] = process.argv): string | undefined {
  return argv.slice(2).find((arg) => /^[\w.[\]:-]+:\d+$/.test(arg));
}

function connect(): EngineClient | null {
  if (client !== undefined) return client;
  const address = engineAddress();
  try {
    modules ??= pulumiModules();
    client = address
      ? new modules.engineRpc.EngineClient(address, modules.grpc.credentials.createInsecure())
      : null;
  } catch {
    client = null;
  }
  return client;
}

/**
 * Shows `message` on the resource `urn`. Ephemeral messages replace each other in place and stay
 * out of the summary. Never throws: progress is a courtesy, not part of the verdict.
 */
export function logToEngine(urn: string | undefined, message: string, ephemeral: boolean): void {
  if (!urn) return;
  const engine = connect();
  if (!engine || !modules) return;
  const request = new modules.enginePb.LogRequest();
  request.setSeverity(modules.enginePb.LogSeverity.INFO);
  request.setMessage(message);
  request.setUrn(urn);
  request.setEphemeral(ephemeral);
  engine.log(request, () => {});
}
