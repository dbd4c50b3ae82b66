// Tokens issued by the fake IAM. Only their SHA-256 digests are kept, so nothing that could
// be replayed against a real cloud sits in memory dumps or admin answers.
import { createHash, randomBytes } from "node:crypto";
import type { SimClock } from "./clock";
import { TemporaryKeyStore } from "./temporary-keys";

interface IssuedToken {
  userName: string;
  expiresAt: number;
}

export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();
  /** Federation and ECS metadata credentials: issued by the same fake IAM. */
  readonly temporary: TemporaryKeyStore;

  constructor(private readonly clock: SimClock) {
    this.temporary = new TemporaryKeyStore(clock);
  }

  issue(
    userName: string,
    lifetimeMs: number,
  ): { token: string; issuedAt: number; expiresAt: number } {
    // Real IAM tokens are long base64 blobs starting "MII"; clients sometimes log a prefix.
    const token = `MIIsim${randomBytes(48).toString("base64url")}`;
    const issuedAt = this.clock.now();
    const expiresAt = issuedAt + lifetimeMs;
    this.tokens.set(digest(token), { userName, expiresAt });
    return { token, issuedAt, expiresAt };
  }

  check(token: string): "valid" | "expired" | "unknown" {
    const found = this.tokens.get(digest(token));
    if (!found) return "unknown";
    return this.clock.now() < found.expiresAt ? "valid" : "expired";
  }

  /** Revokes one token, or every token when none is named; returns how many. */
  revoke(token?: string): number {
    if (token === undefined) {
      const count = this.tokens.size;
      this.tokens.clear();
      return count;
    }
    return this.tokens.delete(digest(token)) ? 1 : 0;
  }

  get size(): number {
    return this.tokens.size;
  }
}

function digest(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
