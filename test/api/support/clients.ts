import { DrsClient, type DrsClientOptions } from "../../../src/api/client";
import type { FakeDrs } from "./fake-drs";

export const TOKEN = "MIIE-static-token-0123456789abcdef";

/** A client for `fake` with fast backoff and no environment leaking in from the machine. */
export function clientFor(fake: FakeDrs, options: DrsClientOptions = {}): DrsClient {
  return new DrsClient({
    endpoint: fake.url,
    projectId: fake.projectId,
    env: {},
    requestTimeout: "2s",
    ...options,
    retry: { minTimeout: 5, maxTimeout: 20, ...options.retry },
  });
}
