// What Pulumi serializes into each resource's `__provider`: an object naming the real provider
// (provider.ts) and one module-level function that loads it from the installed package. Nothing
// is captured, so no credential or client can reach the state, and a refresh after a package
// upgrade runs the new code rather than the code frozen at the last update.
//
// Every function on the object is serialized with a wrapper of its own (~200 B each, and each
// resource stores its copy), so the shim carries only `configure`. The dynamic-provider process
// calls `configure` once on the deserialized object before any other method
// (@pulumi/pulumi/cmd/dynamic-provider `getProvider`); it copies the real provider's methods
// onto that object, and the engine's check, diff, create, read, update and delete find them.
import type * as pulumi from "@pulumi/pulumi";

type ProviderName = "jobStatusProvider" | "gateProvider";

interface Shim extends pulumi.dynamic.ResourceProvider {
  readonly provider: ProviderName;
}

// Resolved from the program's directory in the provider process: the package the program uses.
// (Comments inside the body would be serialized with it.)
/* eslint-disable @typescript-eslint/no-require-imports */
function configure(this: Shim, request: pulumi.dynamic.ConfigureRequest): void | Promise<void> {
  const real = require("pulumi-drs-jobs/provider")[this.provider];
  Object.assign(this, real);
  return real.configure(request);
}
/* eslint-enable @typescript-eslint/no-require-imports */

function providerShim(provider: ProviderName): pulumi.dynamic.ResourceProvider {
  // The type requires `create`; `configure` supplies it before the engine can call it.
  return { provider, configure } as unknown as Shim;
}

export const jobStatusShim = providerShim("jobStatusProvider");
export const gateShim = providerShim("gateProvider");
