// The settings that point the library at a simulator: its endpoint, project and a token, fast
// backoff, and nothing from this machine's environment. Shared by the tests that build clients
// or waits over HTTP.
import type { DrsClientOptions } from "../../src/api/client";
import type { Simulator } from "../../src/sim";

export function simulatorConnection(
  sim: Simulator,
  authToken: string,
  options: DrsClientOptions = {},
): DrsClientOptions {
  return {
    endpoint: sim.url,
    projectId: sim.projectId,
    authToken,
    env: {},
    ...options,
    retry: { minTimeout: 20, maxTimeout: 50, ...options.retry },
  };
}
