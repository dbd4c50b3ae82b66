// Access keys for signing, static or temporary, and the one refresh cache for anything that
// expires (temporary keys from federation or an ECS agency, IAM tokens): refreshed ahead of
// its expiry by a margin, by one fetch however many requests are waiting, and once more when
// the service says what it gave was refused.
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

/** A value that expires, as its source gave it. */
export interface Expiring<T> {
  value: T;
  /** Epoch ms, as the source said; absent when it did not. */
  expiresAt?: number;
}

export interface RefreshOptions {
  marginMs?: number;
  now?: () => number;
}

/** When a source gives no expiry, trust what it gave this long. */
const UNKNOWN_LIFETIME_MS = 60 * 60_000;

/** One memoized "fetch, expires at": the refresh-ahead cache of keys and tokens alike. */
export class ExpiringCache<T> {
  #current?: Expiring<T> & { refreshAt: number };
  #inFlight?: Promise<T>;
  /** How many fetches were made; for `drs-jobs auth`, diagnostics and tests. */
  fetches = 0;

  constructor(
    private readonly fetch: () => Promise<Expiring<T>>,
    private readonly options: RefreshOptions = {},
  ) {}

  async get(signal?: AbortSignal): Promise<T> {
    const current = this.#current;
    if (current && this.#now() < current.refreshAt) return current.value;
    // The shared fetch ignores any one caller's signal; each caller stops waiting alone.
    this.#inFlight ??= this.#fetch().finally(() => (this.#inFlight = undefined));
    return abortable(this.#inFlight, signal);
  }

  /** What is in use, if anything. */
  get current(): Expiring<T> | undefined {
    return this.#current;
  }

  /**
   * The service refused a value: forget the current one if it is the one refused, so
   * concurrent refusals share one new fetch.
   */
  forget(refused: (value: T) => boolean): void {
    if (this.#current && refused(this.#current.value)) this.#current = undefined;
  }

  async #fetch(): Promise<T> {
    this.fetches += 1;
    const got = await this.fetch();
    const now = this.#now();
    const margin = this.options.marginMs ?? KEY_REFRESH_MARGIN_MS;
    const expiresAt = got.expiresAt ?? now + UNKNOWN_LIFETIME_MS;
    // Short-lived values: refresh halfway rather than at once.
    const refreshAt = Math.max(expiresAt - margin, now + (expiresAt - now) / 2);
    this.#current = { ...got, refreshAt };
    return got.value;
  }

  #now(): number {
    return this.options.now?.() ?? Date.now();
  }
}

export class RefreshingKeys implements KeySource {
  readonly temporary = true;
  readonly #cache: ExpiringCache<AccessKeys>;

  constructor(fetchKeys: () => Promise<AccessKeys>, options: RefreshOptions = {}) {
    this.#cache = new ExpiringCache(async () => {
      const keys = await fetchKeys().catch((err: unknown) => {
        throw retriesSpent(err);
      });
      return { value: keys, expiresAt: keys.expiresAt };
    }, options);
  }

  /** How many fetches were made; for `drs-jobs auth`, diagnostics and tests. */
  get fetches(): number {
    return this.#cache.fetches;
  }

  keys(signal?: AbortSignal): Promise<AccessKeys> {
    return this.#cache.get(signal);
  }

  expired(accessKey: string): void {
    // Only forget the keys that were refused: concurrent 401s then share one new fetch.
    this.#cache.forget((keys) => keys.accessKey === accessKey);
  }

  secrets(): Secret[] {
    const keys = this.#cache.current?.value;
    return keys ? [keys.secretKey, ...(keys.securityToken ? [keys.securityToken] : [])] : [];
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
