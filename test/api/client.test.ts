import { strict as assert } from "node:assert";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { DrsApiError, MISSING_RESULT_CODE } from "../../src/api";
import { FakeDrs, makeJobs } from "./support/fake-drs";
import { clientFor, TOKEN } from "./support/clients";

describe("api/client over HTTP", function () {
  let fake: FakeDrs;
  afterEach(async () => fake?.close());

  it("answers 250 jobs with exactly 3 requests, in order, with the documented headers", async () => {
    const { ids, jobs } = makeJobs(250);
    fake = await FakeDrs.start({ auth: { token: TOKEN }, jobs });
    const entries = await clientFor(fake, { authToken: TOKEN }).batchStatus(ids);
    assert.equal(fake.requests.length, 3);
    assert.deepEqual(
      entries.map((e) => e.id),
      ids,
    );
    assert.ok(entries.every((e) => e.phase === "ready" && e.status === "INCRE_TRANSFER_STARTED"));
    assert.deepEqual(
      fake.requests.map((r) => (r.body as { page_req: unknown }).page_req),
      [
        { cur_page: 1, per_page: 100 },
        { cur_page: 1, per_page: 100 },
        { cur_page: 1, per_page: 50 },
      ],
    );
    const headers = fake.requests[0].headers;
    assert.equal(headers["content-type"], "application/json");
    assert.equal(headers["x-auth-token"], TOKEN);
    assert.equal(headers["x-language"], "en-us");
    assert.match(
      String(headers["user-agent"]),
      /^pulumi-drs-jobs\/\d+\.\d+\.\d+ \(node \d+\.\d+\.\d+\)$/,
    );
  });

  it("sends X-Language zh-cn when asked", async () => {
    const { ids, jobs } = makeJobs(1);
    fake = await FakeDrs.start({ auth: { token: TOKEN }, jobs });
    await clientFor(fake, { authToken: TOKEN, language: "zh-cn" }).batchStatus(ids);
    assert.equal(fake.requests[0].headers["x-language"], "zh-cn");
  });

  it("returns one entry per distinct job id and classifies per-job errors", async () => {
    fake = await FakeDrs.start({
      auth: { token: TOKEN },
      jobs: { a: { status: "PAUSEING" }, b: { status: "NEW_THING" } },
    });
    const entries = await clientFor(fake, { authToken: TOKEN }).batchStatus([
      "a",
      "b",
      "a",
      "gone",
    ]);
    assert.deepEqual(entries, [
      { id: "a", status: "PAUSEING", phase: "pending", paused: true },
      { id: "b", status: "NEW_THING", phase: "pending", unknown: true },
      {
        id: "gone",
        phase: "failed",
        errorCode: "DRS.M00289",
        errorMessage: "The job does not exist.",
        notFound: true,
      },
    ]);
    assert.deepEqual((fake.requests[0].body as { jobs: string[] }).jobs, ["a", "b", "gone"]);
  });

  it("follows pages from a service that serves fewer than asked", async () => {
    const { ids, jobs } = makeJobs(12);
    fake = await FakeDrs.start({ auth: { token: TOKEN }, jobs, pageCap: 5 });
    const entries = await clientFor(fake, { authToken: TOKEN }).batchStatus(ids);
    assert.deepEqual(
      entries.map((e) => e.id),
      ids,
    );
    assert.deepEqual(
      fake.requests.map((r) => (r.body as { page_req: { cur_page: number } }).page_req.cur_page),
      [1, 2, 3],
    );
  });

  it("survives duplicated results and a lying count", async () => {
    const { ids, jobs } = makeJobs(7);
    fake = await FakeDrs.start({ auth: { token: TOKEN }, jobs, duplicateResults: true, count: 1 });
    const entries = await clientFor(fake, { authToken: TOKEN }).batchStatus(ids);
    assert.equal(entries.length, 7);
    assert.equal(fake.requests.length, 1);
  });

  it("asks again for a job left out once, and reports one never returned", async () => {
    const { ids, jobs } = makeJobs(4);
    fake = await FakeDrs.start({
      auth: { token: TOKEN },
      jobs,
      omitOnceIds: [ids[1]],
      omitIds: [ids[2]],
    });
    const entries = await clientFor(fake, { authToken: TOKEN }).batchStatus(ids);
    assert.equal(entries[1].phase, "ready");
    assert.equal(entries[2].phase, "failed");
    assert.equal(entries[2].errorCode, MISSING_RESULT_CODE);
    assert.deepEqual(
      entries.map((e) => e.id),
      ids,
    );
  });

  it("exposes one raw page with the caller's page_req and the request id", async () => {
    const { ids, jobs } = makeJobs(3);
    fake = await FakeDrs.start({ auth: { token: TOKEN }, jobs });
    const page = await clientFor(fake, { authToken: TOKEN }).batchStatusPage(ids, {
      cur_page: 2,
      per_page: 2,
    });
    assert.deepEqual(
      page.response.results.map((r) => r.id),
      [ids[2]],
    );
    assert.match(page.requestId ?? "", /^[0-9a-f-]{36}$/);
    assert.deepEqual((fake.requests[0].body as { page_req: unknown }).page_req, {
      cur_page: 2,
      per_page: 2,
    });
  });

  it("honours Retry-After: two 429s with Retry-After 1, then success after at least 2 s", async function () {
    this.timeout(10_000);
    const { ids, jobs } = makeJobs(1);
    fake = await FakeDrs.start({ auth: { token: TOKEN }, jobs });
    const throttled = { kind: "status", status: 429, headers: { "Retry-After": "1" } } as const;
    fake.faults.push(throttled, throttled);
    const started = Date.now();
    const entries = await clientFor(fake, { authToken: TOKEN }).batchStatus(ids);
    assert.ok(Date.now() - started >= 2000, `took only ${Date.now() - started} ms`);
    assert.equal(entries.length, 1);
    assert.equal(fake.requests.length, 3);
  });

  it("does not retry a 400 and reports code and request id", async () => {
    fake = await FakeDrs.start({ auth: { token: TOKEN } });
    fake.faults.push({
      kind: "status",
      status: 400,
      body: '{"error_code":"DRS.M00202","error_msg":"The parameter value is invalid."}',
    });
    const err = await clientFor(fake, { authToken: TOKEN })
      .batchStatus(["a"])
      .catch((e: unknown) => e);
    assert.ok(err instanceof DrsApiError);
    assert.equal(err.httpStatus, 400);
    assert.equal(err.errorCode, "DRS.M00202");
    assert.equal(err.attempts, 1);
    assert.ok(err.requestId);
    assert.ok(err.message.includes(err.requestId!));
    assert.equal(fake.requests.length, 1);
  });

  it("retries 5xx, dropped connections and hung requests, then succeeds", async () => {
    const { ids, jobs } = makeJobs(1);
    fake = await FakeDrs.start({ auth: { token: TOKEN }, jobs });
    fake.faults.push(
      { kind: "status", status: 503 },
      { kind: "drop" },
      { kind: "hang" },
      { kind: "status", status: 502, body: "<html>Bad Gateway</html>" },
    );
    const entries = await clientFor(fake, {
      authToken: TOKEN,
      requestTimeout: "300ms",
    }).batchStatus(ids);
    assert.equal(entries[0].phase, "ready");
    assert.equal(fake.requests.length, 5);
  });

  it("gives up after the configured retries with the last error and the attempt count", async () => {
    fake = await FakeDrs.start({ auth: { token: TOKEN } });
    for (let i = 0; i < 5; i++)
      fake.faults.push({ kind: "status", status: 502, body: `<html>${"y".repeat(500)}</html>` });
    const err = await clientFor(fake, { authToken: TOKEN, maxRetries: 2 })
      .batchStatus(["a"])
      .catch((e: unknown) => e);
    assert.ok(err instanceof DrsApiError);
    assert.equal(err.attempts, 3);
    assert.equal(fake.requests.length, 3);
    assert.match(err.message, /HTTP 502: non-JSON response: <html>y+…/);
  });

  it("does not retry a non-JSON 200", async () => {
    fake = await FakeDrs.start({ auth: { token: TOKEN } });
    fake.faults.push({ kind: "status", status: 200, body: "<html>captive portal</html>" });
    await assert.rejects(
      clientFor(fake, { authToken: TOKEN }).batchStatus(["a"]),
      /non-JSON response: <html>captive portal/,
    );
    assert.equal(fake.requests.length, 1);
  });

  it("never follows a redirect", async () => {
    fake = await FakeDrs.start({ auth: { token: TOKEN } });
    fake.faults.push({
      kind: "status",
      status: 302,
      headers: { Location: "http://127.0.0.1:1/steal" },
      body: "",
    });
    const err = await clientFor(fake, { authToken: TOKEN })
      .batchStatus(["a"])
      .catch((e: unknown) => e);
    assert.ok(err instanceof DrsApiError);
    assert.equal(err.httpStatus, 302);
    assert.match(err.message, /Redirects are not followed/);
  });

  it("refuses a response body over 5 MiB", async () => {
    const big = createServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(`{"results":[],"pad":"${"x".repeat(6 * 1024 * 1024)}"}`);
    });
    await new Promise<void>((resolve) => big.listen(0, "127.0.0.1", resolve));
    try {
      fake = await FakeDrs.start({ auth: { token: TOKEN } });
      const client = clientFor(fake, {
        authToken: TOKEN,
        endpoint: `http://127.0.0.1:${(big.address() as AddressInfo).port}`,
      });
      const err = await client.batchStatus(["a"]).catch((e: unknown) => e);
      assert.ok(err instanceof DrsApiError);
      assert.match(err.message, /larger than 5242880 bytes/);
      assert.equal(err.retryable, false);
    } finally {
      big.closeAllConnections();
      await new Promise((resolve) => big.close(resolve));
    }
  });

  it("stops at once when the signal aborts during a backoff sleep", async () => {
    fake = await FakeDrs.start({ auth: { token: TOKEN } });
    fake.faults.push({ kind: "status", status: 429, headers: { "Retry-After": "30" } });
    const controller = new AbortController();
    const started = Date.now();
    const run = clientFor(fake, { authToken: TOKEN }).batchStatus(["a"], {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error("user cancelled")), 200);
    await assert.rejects(run, /user cancelled/);
    assert.ok(Date.now() - started < 2000);
    assert.equal(fake.requests.length, 1);
  });

  it("stops a hung request at once when the signal aborts", async () => {
    fake = await FakeDrs.start({ auth: { token: TOKEN } });
    fake.faults.push({ kind: "hang" });
    const controller = new AbortController();
    const run = clientFor(fake, { authToken: TOKEN, requestTimeout: "30s" }).batchStatus(["a"], {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error("cancelled mid-request")), 100);
    await assert.rejects(run, /cancelled mid-request/);
  });

  it("keeps the token out of errors and of the client's inspect/JSON", async () => {
    fake = await FakeDrs.start({ auth: { token: "other-token-value-xyz" } });
    fake.faults.push({ kind: "status", status: 400, body: `echo: X-Auth-Token=${TOKEN}` });
    const client = clientFor(fake, { authToken: TOKEN });
    const err = await client.batchStatus(["a"]).catch((e: unknown) => e);
    for (const text of [
      String(err),
      inspect(err, { depth: 10 }),
      JSON.stringify(err),
      inspect(client, { depth: 10 }),
      JSON.stringify(client),
    ]) {
      assert.ok(!text.includes(TOKEN), text);
    }
  });
});
