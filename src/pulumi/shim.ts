// What Pulumi serializes into each resource's `__provider`: a few lines that load the real
// provider (provider.ts) from the installed package at call time. Nothing is captured but
// the provider's name, so no credential or client can reach the state, and a refresh after
// a package upgrade runs the new code rather than the code frozen at the last update.
import type * as pulumi from "@pulumi/pulumi";

type ProviderName = "jobStatusProvider" | "gateProvider";

export function providerShim(name: ProviderName): pulumi.dynamic.ResourceProvider {
  // Resolved from the program's directory in the provider process: the package the program uses.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const load = () => require("pulumi-drs-jobs/provider")[name];
  return {
    configure: (req) => load().configure(req),
    check: (olds, news) => load().check(olds, news),
    diff: (id, olds, news) => load().diff(id, olds, news),
    create: (inputs) => load().create(inputs),
    read: (id, props) => load().read(id, props),
    update: (id, olds, news) => load().update(id, olds, news),
    delete: (id, props) => load().delete(id, props),
  };
}

export const jobStatusShim = providerShim("jobStatusProvider");
export const gateShim = providerShim("gateProvider");
