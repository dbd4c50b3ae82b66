// What the fake IAM federation and the fake ECS metadata service hand out: unscoped IAM
// tokens, metadata session tokens, and temporary AK/SK with a security token. Keys expire on
// the simulator clock after a lifetime the scenario sets (auth.temporaryKeyLifetime) and the
// admin API changes; the AK/SK verifier accepts them until then.
import { createHash, randomBytes } from "node:crypto";
import type { SimClock } from "./clock";

export const DEFAULT_TEMPORARY_KEY_LIFETIME_MS = 60 * 60_000;
const UNSCOPED_TOKEN_LIFETIME_MS = 24 * 60 * 60_000;

export interface IssuedKeys {
  access: string;
  secret: string;
  securitytoken: string;
  expiresAt: number;
}

export interface TemporaryKeysView {
  /** Lifetime of keys issued from now on, in ms. */
  lifetimeMs: number;
  issued: { federation: number; ecs: number; unscopedTokens: number; sessionTokens: number };
  /** Keys not yet expired. */
  live: number;
}

export class TemporaryKeyStore {
  lifetimeMs = DEFAULT_TEMPORARY_KEY_LIFETIME_MS;
  private readonly keys = new Map<string, IssuedKeys>();
  /** Digests only: nothing replayable sits in memory dumps. */
  private readonly unscoped = new Map<string, number>();
  private readonly sessions = new Map<string, number>();
  private readonly issued = { federation: 0, ecs: 0, unscopedTokens: 0, sessionTokens: 0 };

  constructor(private readonly clock: SimClock) {}

  /** New keys, in the `credential` shape both IAM and the metadata service answer. */
  issueCredential(origin: "federation" | "ecs"): { credential: Record<string, string> } {
    const { access, secret, securitytoken, expiresAt } = this.issueKeys(origin);
    return { credential: { access, secret, securitytoken, expires_at: iamTime(expiresAt) } };
  }

  private issueKeys(origin: "federation" | "ecs"): IssuedKeys {
    this.issued[origin] += 1;
    const keys: IssuedKeys = {
      // Real temporary AKs are 20 upper-case characters; the prefix tells them apart in logs.
      access: `STS${randomBytes(12).toString("hex").toUpperCase().slice(0, 17)}`,
      secret: randomBytes(30).toString("base64url"),
      securitytoken: `gQpzb3NzaW0${randomBytes(96).toString("base64url")}`,
      expiresAt: this.clock.now() + this.lifetimeMs,
    };
    this.keys.set(keys.access, keys);
    return keys;
  }

  /** The keys issued under `accessKey`, expired or not. */
  find(accessKey: string): (IssuedKeys & { expired: boolean }) | undefined {
    const keys = this.keys.get(accessKey);
    return keys && { ...keys, expired: this.clock.now() >= keys.expiresAt };
  }

  /** Makes every issued key expired now; returns how many were live. */
  expireAll(): number {
    const now = this.clock.now();
    let live = 0;
    for (const keys of this.keys.values()) {
      if (now < keys.expiresAt) live += 1;
      keys.expiresAt = Math.min(keys.expiresAt, now);
    }
    return live;
  }

  issueUnscopedToken(): { token: string; expiresAt: number } {
    this.issued.unscopedTokens += 1;
    const token = `MIIfed${randomBytes(48).toString("base64url")}`;
    const expiresAt = this.clock.now() + UNSCOPED_TOKEN_LIFETIME_MS;
    this.unscoped.set(digest(token), expiresAt);
    return { token, expiresAt };
  }

  checkUnscopedToken(token: string): boolean {
    const expiresAt = this.unscoped.get(digest(token));
    return expiresAt !== undefined && this.clock.now() < expiresAt;
  }

  issueSessionToken(ttlMs: number): string {
    this.issued.sessionTokens += 1;
    const token = `imds${randomBytes(32).toString("base64url")}`;
    this.sessions.set(digest(token), this.clock.now() + ttlMs);
    return token;
  }

  checkSessionToken(token: string): boolean {
    const expiresAt = this.sessions.get(digest(token));
    return expiresAt !== undefined && this.clock.now() < expiresAt;
  }

  view(): TemporaryKeysView {
    const now = this.clock.now();
    const live = [...this.keys.values()].filter((k) => now < k.expiresAt).length;
    return { lifetimeMs: this.lifetimeMs, issued: { ...this.issued }, live };
  }
}

function digest(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** IAM's shape: microseconds, as the official SDKs parse it. */
export function iamTime(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "000Z");
}
