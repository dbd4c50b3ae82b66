// The servers hosting our operations log a failed call as `${e}: ${e.stack}` before the engine
// shows it on the resource's row: for errors about the user's jobs or credentials that line is
// dropped; for bugs it stays, stack and all.
import { strict as assert } from "node:assert";
import sinon from "sinon";
import { DrsApiError } from "../../src/api/errors";
import type { JobStatusEntry } from "../../src/api/status";
import { quietErrors } from "../../src/pulumi/engine-errors";
import {
  ComparisonFailedError,
  ComparisonTimeoutError,
  JobsFailedError,
  WaitAbortedError,
  WaitTimeoutError,
} from "../../src/wait/errors";

describe("pulumi/engine-errors", () => {
  let logged: unknown[][];
  let original: typeof console.error;
  beforeEach(() => {
    logged = [];
    original = console.error;
    // The filter wraps whatever console.error is when first installed: record beneath it.
    sinon.stub(console, "error").callsFake((...args: unknown[]) => void logged.push(args));
  });
  afterEach(() => {
    sinon.restore();
    console.error = original;
  });

  /** What Pulumi's dynamic-provider and provider servers do with a failed call. */
  async function serve(call: () => Promise<unknown>): Promise<unknown> {
    try {
      return await call();
    } catch (e) {
      const err = e as Error;
      console.error(`${err}: ${err.stack}`);
      return err;
    }
  }

  it("drops the server's log line for a DRS error, once, and passes the error on unchanged", async () => {
    const refused = new DrsApiError({
      operation: "DRS batch-status",
      httpStatus: 403,
      retryable: false,
    });
    const ops = quietErrors({
      async read() {
        throw refused;
      },
    });
    assert.equal(await serve(() => ops.read()), refused);
    assert.deepEqual(logged, []);
    // Only the line for that error, only once: the same text logged again is shown.
    console.error(`${refused}: ${refused.stack}`);
    assert.equal(logged.length, 1);
  });

  it("drops one line per failed call when calls share one error (a shared poll)", async () => {
    const shared = new DrsApiError({
      operation: "DRS batch-status",
      httpStatus: 403,
      retryable: false,
    });
    const ops = quietErrors({
      async read() {
        throw shared;
      },
    });
    await serve(() => ops.read());
    await serve(() => ops.read());
    assert.deepEqual(logged, []);
  });

  it("drops the log line for each way a wait ends unready: failed jobs, a differing comparison, the timeout, a cancel", async () => {
    const jobs: JobStatusEntry[] = [
      { id: "j1", status: "FULL_TRANSFER_FAILED", phase: "failed", errorMessage: "disk full" },
    ];
    const errors = [
      new JobsFailedError([jobs[0]], jobs),
      new ComparisonFailedError(["j1: shop.payments differs (500,017 rows against 500,000)"], jobs),
      new WaitTimeoutError(60_000, jobs, jobs),
      new ComparisonTimeoutError(60_000, jobs, jobs, ["j1: row comparison 40 %"]),
      new WaitAbortedError(jobs, "pulumi cancel"),
    ];
    for (const failure of errors) {
      const ops = quietErrors({
        async create() {
          throw failure;
        },
      });
      assert.equal(await serve(() => ops.create()), failure);
    }
    assert.deepEqual(logged, []);
  });

  it("keeps the log line, stack and all, for a bug", async () => {
    const bug = new TypeError("cannot read properties of undefined");
    const ops = quietErrors({
      async read() {
        throw bug;
      },
    });
    assert.equal(await serve(() => ops.read()), bug);
    assert.equal(logged.length, 1);
    assert.match(String(logged[0][0]), /TypeError: cannot read properties of undefined: TypeError/);
    assert.match(String(logged[0][0]), /\n\s+at /);
  });

  it("passes arguments and results through", async () => {
    const ops = quietErrors({
      async diff(id: string, olds: { a: number }) {
        return { id, a: olds.a };
      },
    });
    assert.deepEqual(await ops.diff("x", { a: 1 }), { id: "x", a: 1 });
  });
});
