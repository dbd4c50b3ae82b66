// Access keys for signing, static or temporary. Temporary keys (federation, ECS agency) are
// refreshed in one place: ahead of their expiry by a margin, by one fetch however many
// requests are waiting, and once more when the service says the key has expired.
import { retriesSpent } from "../retry";
import type { Secret } from "../secret";

export interface AccessKeys {
  accessKey: string;
  secretKey: Secret;
  securityToken?: Secret;
  /** Epoch ms; only temporary keys have one. */
  expiresAt?: number;
}

export interface KeySource {
  readonly temporary: boolean;
  keys(signal?: AbortSignal): Promise<AccessKeys>;
  /** The service said the keys with this access key expired: fetch anew on the next call. */
  expired(accessKey: string): void;
  /** The secrets of the keys in use, for redaction. */
  secrets(): Secret[];
}

/** Refresh this long before `expires_at`, so no key expires mid-request. */
export const KEY_REFRESH_MARGIN_MS = 5 * 60_000;

export class StaticKeys implements KeySource {
  readonly temporary = false;
  constructor(private readonly fixed: AccessKeys) {}
  async keys(): Promise<AccessKeys> {
    return this.fixed;
  }
  expired(): void {}
  secrets(): Secret[] {
    return [this.fixed.secretKey, ...(this.fixed.securityToken ? [this.fixed.securityToken] : [])];
  }
}

export interface RefreshingKeysOptions {
  marginMs?: number;
  now?: () => number;
}

export class RefreshingKeys implements KeySource {
  readonly temporary = true;
  #current?: { keys: AccessKeys; refreshAt: number };
  #inFlight?: Promise<AccessKeys>;
  /** How many fetches were made; for `drs-jobs auth`, diagnostics and tests. */
  fetches = 0;

  constructor(
    private readonly fetchKeys: () => Promise<AccessKeys>,
    private readonly options: RefreshingKeysOptions = {},
  ) {}

  async keys(signal?: AbortSignal): Promise<AccessKeys> {
    const now = this.options.now?.() ?? Date.now();
    const current = this.#current;
    if (current && now < current.refreshAt) return current.keys;
    // The shared fetch ignores any one caller's signal; each caller stops waiting alone.
    this.#inFlight ??= this.#fetch().finally(() => (this.#inFlight = undefined));
    return abortable(this.#inFlight, signal);
  }

  expired(accessKey: string): void {
    // Only forget the keys that were refused: concurrent 401s then share one new fetch.
    if (this.#current?.keys.accessKey === accessKey) this.#current = undefined;
  }

  secrets(): Secret[] {
    const keys = this.#current?.keys;
    return keys ? [keys.secretKey, ...(keys.securityToken ? [keys.securityToken] : [])] : [];
  }

  async #fetch(): Promise<AccessKeys> {
    this.fetches += 1;
    const keys = await this.fetchKeys().catch((err: unknown) => {
      throw retriesSpent(err);
    });
    const now = this.options.now?.() ?? Date.now();
    const margin = this.options.marginMs ?? KEY_REFRESH_MARGIN_MS;
    const expiresAt = keys.expiresAt ?? now + 60 * 60_000;
    // Short-lived keys: refresh halfway rather than at once.
    const refreshAt = Math.max(expiresAt - margin, now + (expiresAt - now) / 2);
    this.#current = { keys, refreshAt };
    return keys;
  }
}

// One per source per process: every client of a Pulumi program or a CLI run shares the keys,
// so an expiry costs one exchange, not one per resource.
const shared = new Map<string, KeySource>();

export function sharedKeySource(key: string, create: () => KeySource): KeySource {
  let source = shared.get(key);
  if (!source) {
    source = create();
    shared.set(key, source);
  }
  return source;
}

export function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** IAM's and the metadata service's `expires_at` ("…T12:00:00.000000Z"), as epoch ms. */
export function parseExpiry(text: unknown): number | undefined {
  if (typeof text !== "string") return undefined;
  // Microseconds: Date.parse wants at most milliseconds everywhere.
  const ms = Date.parse(text.replace(/(\.\d{3})\d+/, "$1"));
  return Number.isNaN(ms) ? undefined : ms;
}
