import { strict as assert } from "node:assert";
import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { DrsApiError, MISSING_RESULT_CODE } from "../../src/api";
import { startSimulator, type FaultInput, type ScenarioInput, type Simulator } from "../../src/sim";
import { clientFor, drsRequests, makeJobs, TOKEN } from "./support/clients";
import { judge } from "../../src/api/status";

/**
 * For answers no DRS gives (a redirect, a captive portal, a 6 MiB body): a bare loopback
 * server running `handler`, counting the requests it gets.
 */
async function foreignServer(handler: RequestListener) {
  let requests = 0;
  const server = createServer((req, res) => {
    requests += 1;
    req.resume();
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

describe("api/client over HTTP", function () {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });
  /** A simulator accepting TOKEN, with `scenario` on top. */
  const start = async (scenario: ScenarioInput = {}, ...faults: FaultInput[]) => {
    sim = await startSimulator({ scenario: { auth: { token: TOKEN }, ...scenario } });
    if (faults.length > 0) sim.addFaults(faults);
    return sim;
  };

  it("answers 250 jobs with exactly 3 requests, in order, with the documented headers", async () => {
    const { ids, jobs } = makeJobs(250);
    const sim = await start({ jobs });
    const entries = await clientFor(sim, { authToken: TOKEN }).batchStatus(ids);
    assert.deepEqual(
      entries.map((e) => e.id),
      ids,
    );
    assert.ok(
      entries.every((e) => judge(e).phase === "ready" && e.status === "INCRE_TRANSFER_STARTED"),
    );
    const log = sim.requestLog();
    assert.deepEqual(
      log.map((e) => [e.kind, e.status, e.jobCount, e.pageReq]),
      [
        ["batch-status", 200, 100, { cur_page: 1, per_page: 100 }],
        ["batch-status", 200, 100, { cur_page: 1, per_page: 100 }],
        ["batch-status", 200, 50, { cur_page: 1, per_page: 50 }],
      ],
    );
    const headers = log[0].headers ?? {};
    assert.equal(headers["content-type"], "application/json");
    assert.equal(log[0].authMode, "token");
    assert.equal(headers["x-language"], "en-us");
    assert.match(
      String(headers["user-agent"]),
      /^pulumi-drs-jobs\/\d+\.\d+\.\d+ \(node \d+\.\d+\.\d+\)$/,
    );
  });

  it("sends X-Language zh-cn when asked", async () => {
    const sim = await start({ jobs: [{ id: "a", status: "INCRE_TRANSFER_STARTED" }] });
    const entries = await clientFor(sim, { authToken: TOKEN, language: "zh-cn" }).batchStatus([
      "a",
      "gone",
    ]);
    assert.equal(drsRequests(sim)[0].headers?.["x-language"], "zh-cn");
    // The service took it: its per-job message came back in Chinese.
    assert.equal(entries[1].errorCode, "DRS.M00289");
    assert.match(String(entries[1].errorMessage), /[\u4e00-\u9fff]/);
  });

  it("returns one entry per distinct job id and classifies per-job errors", async () => {
    const sim = await start({
      jobs: [
        { id: "a", status: "PAUSEING" },
        { id: "b", status: "NEW_THING" },
      ],
    });
    const entries = await clientFor(sim, { authToken: TOKEN }).batchStatus(["a", "b", "a", "gone"]);
    assert.deepEqual(entries, [
      { id: "a", status: "PAUSEING", paused: true },
      { id: "b", status: "NEW_THING", unknown: true },
      {
        id: "gone",
        errorCode: "DRS.M00289",
        errorMessage: "The job does not exist.",
        notFound: true,
      },
    ]);
    // One request for the three distinct ids ("a" is not asked twice).
    assert.deepEqual(
      drsRequests(sim).map((e) => [e.jobCount, e.pageReq]),
      [[3, { cur_page: 1, per_page: 3 }]],
    );
  });

  it("follows pages from a service that serves fewer than asked", async () => {
    const { ids, jobs } = makeJobs(12);
    const sim = await start({ jobs, maxPageSize: 5 });
    const entries = await clientFor(sim, { authToken: TOKEN }).batchStatus(ids);
    assert.deepEqual(
      entries.map((e) => e.id),
      ids,
    );
    assert.deepEqual(
      drsRequests(sim).map((e) => [e.status, e.pageReq]),
      [
        [200, { cur_page: 1, per_page: 12 }],
        [200, { cur_page: 2, per_page: 12 }],
        [200, { cur_page: 3, per_page: 12 }],
      ],
    );
  });

  it("survives duplicated results and a lying count", async () => {
    const { ids, jobs } = makeJobs(7);
    const sim = await start({ jobs });
    const client = clientFor(sim, { authToken: TOKEN });
    for (const fault of [
      { data: "duplicate", times: 1 },
      { data: "count-mismatch", count: 1, times: 1 },
      { data: "count-mismatch", count: 70, times: 1 },
    ] as const) {
      sim.clearRequestLog();
      sim.addFault(fault);
      const entries = await client.batchStatus(ids);
      assert.deepEqual(
        entries.map((e) => [e.id, judge(e).phase]),
        ids.map((id) => [id, "ready"]),
        JSON.stringify(fault),
      );
      const log = drsRequests(sim);
      assert.equal(log.length, 1, JSON.stringify(fault));
      assert.match(String(log[0].fault), /:data:/, "the fault hit");
    }
  });

  it("asks again for a job left out once, and reports one never returned", async () => {
    const { ids, jobs } = makeJobs(4);
    const sim = await start({ jobs });
    const client = clientFor(sim, { authToken: TOKEN });

    // Left out once (the page comes back one short): asked for again on its own, then found.
    sim.addFault({ data: "missing", times: 1 });
    let entries = await client.batchStatus(ids);
    assert.deepEqual(
      entries.map((e) => [e.id, judge(e).phase]),
      ids.map((id) => [id, "ready"]),
    );
    assert.deepEqual(
      drsRequests(sim).map((e) => [e.status, e.jobCount, e.pageReq]),
      [
        [200, 4, { cur_page: 1, per_page: 4 }],
        // A short page may be a capped service: the next page, which does not exist.
        [400, 4, { cur_page: 2, per_page: 4 }],
        [200, 1, { cur_page: 1, per_page: 1 }],
      ],
    );

    // Left out every time: reported as missing, the others as they are, in order.
    sim.clearRequestLog();
    sim.addFault({ data: "missing" });
    entries = await client.batchStatus(ids);
    assert.deepEqual(
      entries.map((e) => e.id),
      ids,
    );
    assert.deepEqual(
      entries.map((e) => judge(e).phase),
      ["ready", "ready", "ready", "failed"],
    );
    assert.equal(entries[3].errorCode, MISSING_RESULT_CODE);
    assert.equal(drsRequests(sim).at(-1)?.jobCount, 1);
  });

  it("exposes one raw page with the caller's page_req and the request id", async () => {
    const { ids, jobs } = makeJobs(3);
    const sim = await start({ jobs });
    const page = await clientFor(sim, { authToken: TOKEN }).batchStatusPage(ids, {
      cur_page: 2,
      per_page: 2,
    });
    assert.deepEqual(
      page.response.results.map((r) => r.id),
      [ids[2]],
    );
    const [entry] = drsRequests(sim);
    assert.deepEqual(entry.pageReq, { cur_page: 2, per_page: 2 });
    assert.equal(page.requestId, entry.requestId);
  });

  it("honours Retry-After: two 429s with Retry-After 1, then success after at least 2 s", async function () {
    this.timeout(10_000);
    const { ids, jobs } = makeJobs(1);
    const sim = await start({ jobs }, { status: 429, retryAfter: "1", times: 2 });
    const started = Date.now();
    const entries = await clientFor(sim, { authToken: TOKEN }).batchStatus(ids);
    assert.ok(Date.now() - started >= 2000, `took only ${Date.now() - started} ms`);
    assert.equal(entries.length, 1);
    assert.deepEqual(
      drsRequests(sim).map((e) => e.status),
      [429, 429, 200],
    );
  });

  it("does not retry a 400 and reports code and request id", async () => {
    const sim = await start(
      {},
      { status: 400, errorCode: "DRS.M00202", errorMessage: "The parameter value is invalid." },
    );
    const err = await clientFor(sim, { authToken: TOKEN })
      .batchStatus(["a"])
      .catch((e: unknown) => e);
    assert.ok(err instanceof DrsApiError);
    assert.equal(err.httpStatus, 400);
    assert.equal(err.errorCode, "DRS.M00202");
    assert.equal(err.attempts, 1);
    const log = drsRequests(sim);
    assert.equal(log.length, 1);
    assert.equal(err.requestId, log[0].requestId);
    assert.ok(err.message.includes(err.requestId!));
  });

  it("retries 5xx, dropped connections, hung requests and HTML error pages, then succeeds", async () => {
    const { ids, jobs } = makeJobs(1);
    const sim = await start(
      { jobs },
      { status: 503, times: 1 },
      { drop: true, times: 1 },
      { hang: true, times: 1 },
      { status: 502, html: true, times: 1 },
    );
    const entries = await clientFor(sim, {
      authToken: TOKEN,
      requestTimeout: "300ms",
    }).batchStatus(ids);
    assert.equal(judge(entries[0]).phase, "ready");
    assert.deepEqual(
      drsRequests(sim).map((e) => [e.fault?.replace(/^f\d+:/, ""), e.status]),
      [
        ["status", 503],
        ["drop", 0],
        ["hang", 0],
        ["status", 502],
        [undefined, 200],
      ],
    );
  });

  it("gives up after the configured retries with the last error and the attempt count", async () => {
    const sim = await start({}, { status: 502, html: `<html>${"y".repeat(500)}</html>` });
    const err = await clientFor(sim, { authToken: TOKEN, maxRetries: 2 })
      .batchStatus(["a"])
      .catch((e: unknown) => e);
    assert.ok(err instanceof DrsApiError);
    assert.equal(err.attempts, 3);
    assert.equal(drsRequests(sim).length, 3);
    assert.match(err.message, /HTTP 502: non-JSON response: <html>y+…/);
  });

  it("does not retry a non-JSON 200", async () => {
    const portal = await foreignServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/html" });
      res.end("<html>captive portal</html>");
    });
    try {
      const sim = await start();
      await assert.rejects(
        clientFor(sim, { authToken: TOKEN, endpoint: portal.url }).batchStatus(["a"]),
        /non-JSON response: <html>captive portal/,
      );
      assert.equal(portal.requests(), 1);
    } finally {
      await portal.close();
    }
  });

  it("never follows a redirect", async () => {
    const sim = await start();
    const redirect = await foreignServer((_req, res) => {
      res.writeHead(307, { Location: sim.batchStatusUrl });
      res.end();
    });
    try {
      const err = await clientFor(sim, { authToken: TOKEN, endpoint: redirect.url })
        .batchStatus(["a"])
        .catch((e: unknown) => e);
      assert.ok(err instanceof DrsApiError);
      assert.equal(err.httpStatus, 307);
      assert.match(err.message, /Redirects are not followed/);
      assert.equal(redirect.requests(), 1);
      // The credentials never reached the place the redirect pointed at.
      assert.equal(sim.counters().total, 0);
    } finally {
      await redirect.close();
    }
  });

  it("refuses a response body over 5 MiB", async () => {
    const big = await foreignServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(`{"results":[],"pad":"${"x".repeat(6 * 1024 * 1024)}"}`);
    });
    try {
      const sim = await start();
      const err = await clientFor(sim, { authToken: TOKEN, endpoint: big.url })
        .batchStatus(["a"])
        .catch((e: unknown) => e);
      assert.ok(err instanceof DrsApiError);
      assert.match(err.message, /larger than 5242880 bytes/);
      assert.equal(err.retryable, false);
      assert.equal(big.requests(), 1);
    } finally {
      await big.close();
    }
  });

  it("stops during a backoff sleep when the signal aborts, without sleeping it out", async () => {
    // Retry-After: an hour; a sleep the abort did not cut would outlast the test's timeout.
    const sim = await start({}, { status: 429, retryAfter: "3600", times: 1 });
    const controller = new AbortController();
    const run = clientFor(sim, { authToken: TOKEN }).batchStatus(["a"], {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error("user cancelled")), 200);
    await assert.rejects(run, /user cancelled/);
    assert.equal(sim.counters().total, 1);
  });

  it("stops a hung request when the signal aborts, without waiting for the request timeout", async () => {
    const sim = await start({}, { hang: true });
    const controller = new AbortController();
    // A request timeout of an hour: only the abort can end this request within the test.
    const run = clientFor(sim, { authToken: TOKEN, requestTimeout: "1h" }).batchStatus(["a"], {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error("cancelled mid-request")), 100);
    await assert.rejects(run, /cancelled mid-request/);
    assert.equal(sim.counters().total, 1);
  });

  it("keeps the token out of errors and of the client's inspect/JSON", async () => {
    // A gateway that echoes the request's credentials into its error message.
    const sim = await start(
      {},
      { status: 400, errorCode: "DRS.M00202", errorMessage: `echo: X-Auth-Token=${TOKEN}` },
    );
    const client = clientFor(sim, { authToken: TOKEN });
    const err = await client.batchStatus(["a"]).catch((e: unknown) => e);
    assert.ok(err instanceof DrsApiError);
    assert.match(err.message, /echo: X-Auth-Token=/, "the echo is quoted, redacted");
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
