import { strict as assert } from "node:assert";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { DrsApiError, DrsClient, MISSING_RESULT_CODE } from "../../src/api";
import { progressEntry } from "../../src/api/progress";
import { startSimulator, type ScenarioInput, type Simulator } from "../../src/sim";
import { clientFor, makeJobs, TOKEN } from "./support/clients";

const AK = "HPUAPROGRESSTESTAK01";
const SK = "progress-test-secret-key-0123456789";

/**
 * For answer variants the simulator does not produce (other editions of the API): a loopback
 * server answering every request with `answer(jobs asked)`, recording the bodies it got.
 */
async function editionServer(answer: (jobs: string[], res: ServerResponse) => void) {
  const bodies: { jobs: string[] }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { jobs: string[] };
      bodies.push(body);
      answer(body.jobs, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bodies,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}

describe("api/client batchProgress over HTTP", function () {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });
  const start = async (scenario: ScenarioInput) => {
    sim = await startSimulator({ scenario: { auth: { token: TOKEN }, ...scenario } });
    return sim;
  };
  const progressRequests = (s: Simulator) =>
    s
      .requestLog()
      .sort((a, b) => a.seq - b.seq)
      .filter((e) => e.kind === "batch-progress");

  it("asks 250 jobs in chunks of 100 and answers in the order given", async () => {
    const { ids, jobs } = makeJobs(250);
    const sim = await start({ jobs });
    const entries = await clientFor(sim, { authToken: TOKEN }).batchProgress(ids);
    assert.deepEqual(
      entries.map((e) => e.id),
      ids,
    );
    assert.deepEqual(
      progressRequests(sim).map((e) => [e.status, e.jobCount]),
      [
        [200, 100],
        [200, 100],
        [200, 50],
      ],
    );
    assert.equal(sim.counters().byKind["batch-status"], undefined);
    assert.deepEqual(entries[0], {
      id: ids[0],
      percent: 100,
      replicationLagMs: 0,
      remaining: "0",
      remainingMs: 0,
      taskMode: "FULL_INCR_TRANS",
      transferStatus: "INCRE_TRANSFER_STARTED",
      progressMap: {
        structure: { completed: "100%", remaining: "0" },
        data: { completed: "100%", remaining: "0" },
        index: { completed: "100%", remaining: "0" },
      },
    });
  });

  it("reads percent, time left and lag as the timeline sets them, signed with AK/SK", async () => {
    const sim = await startSimulator({
      scenario: {
        auth: { accessKey: AK, secretKey: SK },
        jobs: [
          {
            id: "full",
            timeline: [
              { at: 0, status: "FULL_TRANSFER_STARTED", progress: 67 },
              { at: "12m", status: "FULL_TRANSFER_COMPLETE" },
            ],
          },
          { id: "incr", status: "INCRE_TRANSFER_STARTED" },
        ],
      },
    });
    try {
      sim.setJobStatus("incr", { lag: "42s" });
      const client = clientFor(sim, { accessKey: AK, secretKey: SK });
      const [full, incr] = await client.batchProgress(["full", "incr"]);
      assert.equal(full.percent, 67);
      assert.equal(full.transferStatus, "FULL_TRANSFER_STARTED");
      assert.equal(full.replicationLagMs, undefined);
      // Seconds until the next status, rounded up: 720 unless a second passed meanwhile.
      assert.ok(full.remainingMs === 720_000 || full.remainingMs === 719_000, full.remaining);
      assert.equal(incr.replicationLagMs, 42_000);
      assert.equal(sim.requestLog()[0].authMode, "aksk");
    } finally {
      await sim.stop();
    }
  });

  it("dedups ids, and reports an unknown job as that job's error, not a failed call", async () => {
    const sim = await start({ jobs: [{ id: "a", status: "FULL_TRANSFER_STARTED" }] });
    const entries = await clientFor(sim, { authToken: TOKEN }).batchProgress(["gone", "a", "gone"]);
    assert.deepEqual(entries[0], {
      id: "gone",
      errorCode: "DRS.M00289",
      errorMessage: "The job does not exist.",
    });
    assert.equal(entries[1].id, "a");
    assert.equal(entries.length, 2);
    assert.equal(progressRequests(sim)[0].jobCount, 2);
  });

  it("asks once more for a job left out, then reports it missing, never guessed", async () => {
    const sim = await start({
      jobs: [
        { id: "a", status: "INCRE_TRANSFER_STARTED" },
        { id: "b", status: "INCRE_TRANSFER_STARTED" },
      ],
    });
    sim.addFault({ route: "batch-progress", data: "missing", times: 2 });
    const client = clientFor(sim, { authToken: TOKEN });
    const [a, b] = await client.batchProgress(["a", "b"]);
    assert.equal(a.replicationLagMs, 0);
    assert.equal(a.missing, undefined);
    assert.deepEqual(b, {
      id: "b",
      missing: true,
      errorCode: MISSING_RESULT_CODE,
      errorMessage: "the service returned no progress for this job in 2 requests",
    });
    assert.deepEqual(
      progressRequests(sim).map((e) => e.jobCount),
      [2, 1],
    );

    sim.addFault({ route: "batch-progress", data: "missing", times: 1 });
    const recovered = await client.batchProgress(["a", "b"]);
    assert.equal(recovered[1].missing, undefined);
    assert.equal(recovered[1].replicationLagMs, 0);
  });

  it("retries throttling and server faults; refuses a 400 with DrsApiError, token redacted", async () => {
    const sim = await start({ jobs: [{ id: "a", status: "INCRE_TRANSFER_STARTED" }] });
    sim.addFaults([
      { route: "batch-progress", status: 429, times: 1 },
      { route: "batch-progress", status: 503, times: 1 },
    ]);
    const client = clientFor(sim, { authToken: TOKEN });
    const [a] = await client.batchProgress(["a"]);
    assert.equal(a.transferStatus, "INCRE_TRANSFER_STARTED");
    assert.deepEqual(
      progressRequests(sim).map((e) => e.status),
      [429, 503, 200],
    );

    sim.addFault({
      route: "batch-progress",
      status: 400,
      errorCode: "DRS.M00202",
      errorMessage: `bad token ${TOKEN}`,
    });
    const err = await client.batchProgress(["a"]).then(
      () => assert.fail("expected a DrsApiError"),
      (e: unknown) => e,
    );
    assert.ok(err instanceof DrsApiError, String(err));
    assert.equal(err.operation, "DRS batch-progress");
    assert.equal(err.httpStatus, 400);
    assert.equal(err.errorCode, "DRS.M00202");
    assert.ok(!err.message.includes(TOKEN), err.message);
    assert.equal(progressRequests(sim).length, 4);
  });

  it("stops a hung request when the signal aborts, and times out one that never answers", async () => {
    const sim = await start({ jobs: [{ id: "a", status: "INCRE_TRANSFER_STARTED" }] });
    sim.addFault({ route: "batch-progress", hang: true });
    const controller = new AbortController();
    const run = clientFor(sim, { authToken: TOKEN, requestTimeout: "30s" }).batchProgress(["a"], {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error("cancelled mid-request")), 100);
    await assert.rejects(run, /cancelled mid-request/);
    // Counted on arrival: a cut request reaches the log only once its socket has closed.
    assert.equal(sim.counters().byKind["batch-progress"], 1);

    const timedOut = clientFor(sim, { authToken: TOKEN, requestTimeout: "200ms", maxRetries: 1 })
      .batchProgress(["a"])
      .catch((e: unknown) => e);
    const err = await timedOut;
    assert.ok(err instanceof DrsApiError, String(err));
    assert.equal(err.transportCode, "ETIMEDOUT");
    assert.equal(err.operation, "DRS batch-progress");
    assert.equal(sim.counters().byKind["batch-progress"], 3);
  });

  it("refuses an answer that is not DRS's, without retrying", async () => {
    const server = await editionServer((_jobs, res) => {
      res.writeHead(200, { "Content-Type": "text/html" });
      res.end("<html>portal</html>");
    });
    try {
      const client = new DrsClient({
        endpoint: server.url,
        projectId: "p",
        authToken: TOKEN,
        env: {},
      });
      await assert.rejects(client.batchProgress(["a"]), (err: unknown) => {
        assert.ok(err instanceof DrsApiError);
        assert.match(err.message, /DRS batch-progress .*non-JSON response: <html>portal/);
        return true;
      });
      assert.equal(server.bodies.length, 1);
    } finally {
      await server.close();
    }
  });

  it("reads other editions: 202, numbers as numbers, seconds-only lag, an array progress_map", async () => {
    const server = await editionServer((jobs, res) =>
      json(res, 202, {
        count: jobs.length + 1,
        results: [
          { job_id: "not-asked", progress: "1" },
          {
            job_id: "old",
            progress: 67,
            incre_trans_delay: 42,
            remaining_time: "00:12:00",
            transfer_status: "INCRE_TRANSFER_STARTED",
            progress_map: [
              { name: "data", completed: "94%", remaining_time: "120" },
              { completed: 100 },
            ],
          },
          {
            job_id: "new",
            progress: "67.5%",
            incre_trans_delay: "9",
            incre_trans_delay_millis: "1500",
            remaining_time: "about twelve minutes",
            progress_map: { data: { completed: "67%" } },
          },
          { job_id: "odd", progress: "n/a", incre_trans_delay: "-1", remaining_time: "" },
          { job_id: "old", progress: "3" },
          { progress: "5" },
        ],
      }),
    );
    try {
      const client = new DrsClient({
        endpoint: server.url,
        projectId: "p",
        authToken: TOKEN,
        env: {},
      });
      const [old, fresh, odd] = await client.batchProgress(["old", "new", "odd"]);
      assert.deepEqual(old, {
        id: "old",
        percent: 67,
        replicationLagMs: 42_000,
        remaining: "00:12:00",
        remainingMs: 720_000,
        transferStatus: "INCRE_TRANSFER_STARTED",
        progressMap: { data: { completed: "94%", remaining: "120" }, 1: { completed: "100" } },
      });
      assert.deepEqual(fresh, {
        id: "new",
        percent: 67.5,
        replicationLagMs: 1500,
        remaining: "about twelve minutes",
        progressMap: { data: { completed: "67%" } },
      });
      assert.deepEqual(odd, { id: "odd" });
      assert.deepEqual(server.bodies, [{ jobs: ["old", "new", "odd"] }]);
    } finally {
      await server.close();
    }
  });
});

describe("api/progress: reading one result", () => {
  const FIELDS = [
    "job_id",
    "progress",
    "incre_trans_delay",
    "incre_trans_delay_millis",
    "remaining_time",
    "task_mode",
    "transfer_status",
    "progress_map",
    "error_code",
    "error_msg",
  ];

  it("survives anything in any field, and what it reports is in range", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...FIELDS), fc.anything()), (raw) => {
        const entry = progressEntry({ ...raw, job_id: "x" });
        assert.equal(entry?.id, "x");
        if (entry?.percent !== undefined) assert.ok(entry.percent >= 0 && entry.percent <= 100);
        if (entry?.replicationLagMs !== undefined) {
          assert.ok(Number.isSafeInteger(entry.replicationLagMs) && entry.replicationLagMs >= 0);
        }
        if (entry?.remainingMs !== undefined) {
          assert.ok(Number.isSafeInteger(entry.remainingMs) && entry.remainingMs >= 0);
        }
        for (const key of ["remaining", "taskMode", "transferStatus", "errorCode"] as const) {
          if (entry?.[key] !== undefined) assert.equal(typeof entry[key], "string");
        }
      }),
      { numRuns: 500 },
    );
  });

  it("drops a result without a string job_id rather than guessing whose it is", () => {
    assert.equal(progressEntry({ id: "x", progress: "5" }), undefined);
    assert.equal(progressEntry({ job_id: 7, progress: "5" }), undefined);
  });

  it("leaves out numbers too large to mean anything", () => {
    const huge = "9".repeat(400);
    assert.deepEqual(
      progressEntry({ job_id: "x", progress: huge, incre_trans_delay: huge, remaining_time: huge }),
      { id: "x", remaining: huge },
    );
    // Finite, but not as milliseconds: 1e305 s is no delay a job has.
    assert.equal(
      progressEntry({ job_id: "x", incre_trans_delay: 1e305 })?.replicationLagMs,
      undefined,
    );
  });
});
