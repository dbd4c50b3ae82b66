// @pulumi/pulumi's own gRPC modules for engine-log.ts, found at run time next to the installed
// @pulumi/pulumi: the versions that match the engine protocol it speaks. A file of its own so
// that the `drs` plugin's bundle, which passes its own modules (useEngineModules), can leave
// these run-time lookups out (scripts/build-plugin.mjs replaces this file there).
import type { EngineLogModules } from "./engine-log";

export function pulumiModules(): EngineLogModules {
  const from = { paths: [require.resolve("@pulumi/pulumi")] };
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded lazily, only in the provider process */
  return {
    grpc: require(require.resolve("@grpc/grpc-js", from)),
    enginePb: require("@pulumi/pulumi/proto/engine_pb"),
    engineRpc: require("@pulumi/pulumi/proto/engine_grpc_pb"),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}
