// The refresh rules of temporary keys, on an injected clock: ahead of expiry by the margin (or
// halfway for short-lived keys), one fetch however many callers wait, and forgetting only the
// keys the service refused.
import { strict as assert } from "node:assert";
import { parseExpiry, RefreshingKeys, type AccessKeys } from "../../../src/api/auth/keys";
import { Secret } from "../../../src/api/secret";

function keysSource(lifetimeMs: number) {
  let now = 1_000_000;
  let issued = 0;
  let release: (() => void) | undefined;
  const keys = new RefreshingKeys(
    async (): Promise<AccessKeys> => {
      issued += 1;
      if (release === undefined) await Promise.resolve();
      else await new Promise<void>((resolve) => (release = resolve));
      return {
        accessKey: `AK${issued}`,
        secretKey: new Secret(`sk-${issued}-0123456789`),
        securityToken: new Secret(`st-${issued}-0123456789`),
        expiresAt: now + lifetimeMs,
      };
    },
    { now: () => now },
  );
  return {
    keys,
    advance: (ms: number) => (now += ms),
    issued: () => issued,
    hold: () => (release = () => {}),
    let: () => release?.(),
  };
}

describe("api/auth: refreshing temporary keys", () => {
  it("refreshes 5 minutes before expiry, not at the last second", async () => {
    const s = keysSource(60 * 60_000);
    assert.equal((await s.keys.keys()).accessKey, "AK1");
    s.advance(54 * 60_000);
    assert.equal((await s.keys.keys()).accessKey, "AK1");
    s.advance(60_001);
    assert.equal((await s.keys.keys()).accessKey, "AK2");
  });

  it("refreshes short-lived keys halfway through their life", async () => {
    const s = keysSource(4_000);
    await s.keys.keys();
    s.advance(1_999);
    assert.equal((await s.keys.keys()).accessKey, "AK1");
    s.advance(2);
    assert.equal((await s.keys.keys()).accessKey, "AK2");
  });

  it("fetches once for every caller waiting on a refresh", async () => {
    const s = keysSource(60 * 60_000);
    s.hold();
    const waiting = Promise.all([s.keys.keys(), s.keys.keys(), s.keys.keys()]);
    s.let();
    const got = await waiting;
    assert.deepEqual(
      got.map((k) => k.accessKey),
      ["AK1", "AK1", "AK1"],
    );
    assert.equal(s.issued(), 1);
  });

  it("forgets only the keys the service said expired", async () => {
    const s = keysSource(60 * 60_000);
    await s.keys.keys();
    s.keys.expired("AK0-an-older-key");
    assert.equal((await s.keys.keys()).accessKey, "AK1");
    s.keys.expired("AK1");
    assert.equal((await s.keys.keys()).accessKey, "AK2");
    assert.deepEqual(
      s.keys.secrets().map((secret) => secret.reveal()),
      ["sk-2-0123456789", "st-2-0123456789"],
    );
  });

  it("reads IAM's microsecond expiry", () => {
    assert.equal(parseExpiry("2026-11-29T12:00:00.123456Z"), Date.UTC(2026, 10, 29, 12, 0, 0, 123));
    assert.equal(parseExpiry("not a time"), undefined);
    assert.equal(parseExpiry(undefined), undefined);
  });
});
