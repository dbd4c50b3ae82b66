import { strict as assert } from "node:assert";
import { DrsApiError } from "../../src/api/errors";
import { parseRetryAfter, withRetries } from "../../src/api/retry";

const FAST = { retries: 3, minTimeout: 1, maxTimeout: 5, maxRetryAfter: 60_000 };
const transient = () => new DrsApiError({ operation: "op", httpStatus: 503, retryable: true });

describe("api/retry", () => {
  describe("parseRetryAfter", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    it("reads delta seconds", () => assert.equal(parseRetryAfter("2", now), 2000));
    it("reads an HTTP date", () =>
      assert.equal(parseRetryAfter("Wed, 01 Jan 2025 00:00:05 GMT", now), 5000));
    it("treats a past date as no wait", () =>
      assert.equal(parseRetryAfter("Tue, 31 Dec 2024 23:00:00 GMT", now), 0));
    it("caps long waits at 60 s", () => assert.equal(parseRetryAfter("86400", now), 60_000));
    it("ignores absent or unreadable values", () => {
      for (const v of [undefined, "", "soon", "-3", "1.5"])
        assert.equal(parseRetryAfter(v, now), undefined);
    });
  });

  describe("withRetries", () => {
    it("retries transient errors then succeeds", async () => {
      let calls = 0;
      const value = await withRetries(async () => {
        if (++calls < 3) throw transient();
        return "ok";
      }, FAST);
      assert.equal(value, "ok");
      assert.equal(calls, 3);
    });

    it("does not retry a non-retryable error", async () => {
      let calls = 0;
      const bad = new DrsApiError({ operation: "op", httpStatus: 400, retryable: false });
      await assert.rejects(
        withRetries(async () => (calls++, Promise.reject(bad)), FAST),
        bad,
      );
      assert.equal(calls, 1);
    });

    it("records the number of attempts on the final error", async () => {
      const err = await withRetries(async () => Promise.reject(transient()), FAST).catch(
        (e: unknown) => e,
      );
      assert.ok(err instanceof DrsApiError);
      assert.equal(err.attempts, 4);
      assert.match(err.message, /gave up after 4 attempts/);
    });

    it("stops during a backoff sleep when aborted, without sleeping it out", async () => {
      const controller = new AbortController();
      let calls = 0;
      // An hour's backoff: a sleep the abort did not cut would outlast the test's timeout.
      const run = withRetries(
        async () => {
          calls++;
          setTimeout(() => controller.abort(new Error("stop")), 20);
          throw transient();
        },
        { ...FAST, minTimeout: 3_600_000, maxTimeout: 3_600_000 },
        controller.signal,
      );
      await assert.rejects(run, /stop/);
      assert.equal(calls, 1, "no attempt after the abort");
    });

    it("waits at least what Retry-After asks", async () => {
      let calls = 0;
      const started = Date.now();
      await withRetries(async () => {
        if (++calls === 1)
          throw new DrsApiError({
            operation: "op",
            httpStatus: 429,
            retryable: true,
            retryAfterMs: 300,
          });
        return "ok";
      }, FAST);
      assert.ok(Date.now() - started >= 290);
    });
  });
});
