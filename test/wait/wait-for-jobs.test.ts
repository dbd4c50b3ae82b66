// waitForJobs over real HTTP against the simulator: verdicts, and what the poller costs the
// API, read from the simulator's own request counter.
import assert from "node:assert/strict";
import { DrsApiError, DrsClient } from "../../src/api";
import { startSimulator, type Simulator } from "../../src/sim";
import { simulatorConnection } from "../support/connection";
import { InputError } from "../../src/util/input-error";
import {
  JobsFailedError,
  WaitAbortedError,
  waitForJobs,
  WaitTimeoutError,
  type WaitProgress,
} from "../../src/wait";

const TOKEN = "wait-test-token";

/** Resolves once `minRequests` have arrived and none for 100 ms (a tick is over). */
async function betweenTicks(sim: Simulator, minRequests: number): Promise<void> {
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const log = sim.requestLog();
    const last = log.at(-1);
    if (log.length >= minRequests && last && Date.now() - Date.parse(last.time) > 100) return;
  }
}

describe("waitForJobs against the simulator", function () {
  this.timeout(30_000);
  let sim: Simulator;
  const connection = () => simulatorConnection(sim, TOKEN);

  beforeEach(async () => {
    sim = await startSimulator({ scenario: { auth: { token: TOKEN } } });
  });
  afterEach(() => sim.stop());

  it("costs 10 requests per tick for 50 concurrent waiters over 1,000 jobs", async () => {
    const jobIds = Array.from({ length: 1000 }, (_, i) => `job-${String(i).padStart(4, "0")}`);
    sim.addJobs(jobIds.map((id) => ({ id, status: "FULL_TRANSFER_STARTED" })));
    const client = new DrsClient(connection());
    const waits = Array.from({ length: 50 }, (_, w) =>
      waitForJobs(jobIds.slice(w * 20, (w + 1) * 20), { client, pollInterval: "300ms" }),
    );
    // After three whole ticks, and between two ticks (a tick whose requests straddled the
    // change would rightly shrink the next one), open every job: the waits end on the next tick.
    await betweenTicks(sim, 30);
    for (const id of jobIds) sim.setJobStatus(id, "INCRE_TRANSFER_STARTED");
    const results = await Promise.all(waits);
    const requests = sim.counters().byKind["batch-status"];
    const polls = Math.max(...results.map((r) => r.polls));
    assert.ok(polls >= 3, `polls: ${polls}`);
    assert.equal(requests, polls * 10, `${requests} requests for ${polls} polls`);
  });

  it("rejects at the first poll naming an unknown job", async () => {
    sim.addJob({ id: "known", status: "INCRE_TRANSFER_STARTED" });
    const err = await waitForJobs(["known", "no-such-job"], {
      ...connection(),
      pollInterval: "1s",
    }).then(
      () => assert.fail("resolved"),
      (e: unknown) => e,
    );
    assert.ok(err instanceof JobsFailedError);
    assert.deepEqual(
      err.failedJobs.map((j) => [j.id, j.errorCode]),
      [["no-such-job", "DRS.M00289"]],
    );
    assert.match(err.message, /no-such-job: not found \(DRS\.M00289/);
    assert.equal(sim.counters().byKind["batch-status"], 1);
  });

  it("names every failed and stopped job with its status and DRS error", async () => {
    sim.addJobs([
      { id: "ok", status: "FULL_TRANSFER_COMPLETE" },
      {
        id: "broken",
        timeline: [
          {
            at: 0,
            status: "INCRE_TRANSFER_FAILED",
            errorCode: "DRS.M00004",
            errorMessage: "Service abnormal",
          },
        ],
      },
      { id: "released", status: "RELEASE_RESOURCE_COMPLETE" },
    ]);
    const err = (await waitForJobs(["ok", "broken", "released"], connection()).catch(
      (e) => e,
    )) as Error;
    assert.ok(err instanceof JobsFailedError);
    assert.match(err.message, /broken: INCRE_TRANSFER_FAILED \(DRS\.M00004: Service abnormal\)/);
    assert.match(err.message, /released: RELEASE_RESOURCE_COMPLETE/);
    assert.doesNotMatch(err.message, /\bok:/);
  });

  it("times out naming the jobs still pending and their last status", async () => {
    sim.addJob({ id: "slow", status: "FULL_TRANSFER_STARTED" });
    const err = await waitForJobs(["slow"], {
      ...connection(),
      pollInterval: "200ms",
      timeout: "1s",
    }).catch((e: unknown) => e);
    assert.ok(err instanceof WaitTimeoutError);
    assert.match(err.message, /timed out after 1s .*\n.*slow: FULL_TRANSFER_STARTED/);
  });

  it("keeps waiting through 503s and reports paused jobs in progress", async () => {
    sim.addJob({ id: "a", status: "PAUSEING" });
    sim.addFault({ status: 503, times: 3 });
    const seen: WaitProgress[] = [];
    const wait = waitForJobs(["a"], {
      ...connection(),
      pollInterval: "200ms",
      onProgress: (p) => seen.push(p),
    });
    await new Promise((resolve) => setTimeout(resolve, 600));
    sim.setJobStatus("a", "INCRE_TRANSFER_STARTED");
    const result = await wait;
    assert.equal(result.jobs[0].status, "INCRE_TRANSFER_STARTED");
    assert.ok(seen.some((p) => p.paused.length === 1 && p.paused[0].id === "a"));
    assert.equal(sim.counters().byStatus["503"], 3);
  });

  it("waits for configured targets instead of the defaults", async () => {
    sim.addJob({ id: "a", status: "INCRE_TRANSFER_STARTED" });
    const wait = waitForJobs(["a"], {
      ...connection(),
      pollInterval: "200ms",
      targetStatuses: ["FULL_TRANSFER_COMPLETE"],
      timeout: "800ms",
    });
    assert.ok((await wait.catch((e) => e)) instanceof WaitTimeoutError);
  });

  it("fails fast, naming the transport error, when nothing listens at the endpoint", async () => {
    const closed = await startSimulator();
    const url = closed.url;
    await closed.stop();
    const err = await waitForJobs(["a"], {
      ...connection(),
      endpoint: url,
      timeout: "10m",
    }).catch((e: unknown) => e);
    assert.ok(err instanceof DrsApiError, String(err));
    assert.equal(err.transportCode, "ECONNREFUSED");
    assert.match(err.message, /Check the endpoint/);
  });

  it("rejects bad input with an InputError naming each field, never throwing", async () => {
    const bad = (jobIds: string[], options: object) => {
      let promise: Promise<unknown> | undefined;
      assert.doesNotThrow(() => {
        promise = waitForJobs(jobIds, { ...connection(), ...options });
      });
      return promise!.then(
        () => assert.fail("resolved"),
        (err: unknown) => {
          assert.ok(err instanceof InputError, String(err));
          return err;
        },
      );
    };
    assert.match((await bad([], {})).message, /jobIds: give at least one/);
    assert.match((await bad(["a", " "], {})).message, /jobIds\[1\]: is blank/);
    assert.match((await bad(["a"], { timeout: "soon" })).message, /timeout: /);
    assert.match((await bad(["a"], { pollInterval: "10ms" })).message, /pollInterval: /);
    assert.match((await bad(["a"], { timeout: Number.NaN })).message, /\(got NaN\)/);
    const both = await bad(["a"], { timeout: "soon", targetStatuses: ["INCRE_TRANSFER_STARTD"] });
    assert.deepEqual(
      both.problems.map((p) => p.field),
      ["targetStatuses[0]", "timeout"],
    );
    assert.match(both.message, /did you mean INCRE_TRANSFER_STARTED\?/);
    // A lone string used to be read letter by letter, then wait until the timeout.
    const lone = await bad(["a"], { targetStatuses: "FULL_TRANSFER_COMPLETE" });
    assert.match(lone.message, /targetStatuses: must be a list of statuses/);
    assert.equal(sim.requestLog().length, 0, "nothing was sent");
  });

  it("keeps the abort signal's reason as the cause of WaitAbortedError", async () => {
    sim.addJobs([{ id: "a", status: "CREATING" }]);
    const controller = new AbortController();
    const wait = waitForJobs(["a"], { ...connection(), signal: controller.signal });
    controller.abort("operator said stop");
    const err = await wait.catch((e: unknown) => e);
    assert.ok(err instanceof WaitAbortedError);
    assert.equal(err.cause, "operator said stop");
  });

  it("timeout 0 checks once: a ready job resolves, a pending one times out with its status", async () => {
    sim.addJobs([
      { id: "ready", status: "INCRE_TRANSFER_STARTED" },
      { id: "pending", status: "FULL_TRANSFER_STARTED" },
    ]);
    const result = await waitForJobs(["ready"], { ...connection(), timeout: 0 });
    assert.equal(result.polls, 1);
    const err = await waitForJobs(["pending"], { ...connection(), timeout: "0s" }).catch(
      (e: unknown) => e,
    );
    assert.ok(err instanceof WaitTimeoutError, String(err));
    assert.match(err.message, /pending: FULL_TRANSFER_STARTED/);
    assert.doesNotMatch(err.message, /no status/);
  });

  it("timeout 0 against a hanging service ends one request timeout later, not after every retry", async () => {
    sim.addJobs([{ id: "a", status: "FULL_TRANSFER_STARTED" }]);
    sim.addFault({ hang: true });
    const client = new DrsClient({ ...connection(), requestTimeout: "300ms", maxRetries: 4 });
    const err = await waitForJobs(["a"], { client, timeout: 0 }).catch((e: unknown) => e);
    assert.ok(err instanceof WaitTimeoutError, String(err));
    assert.match(err.message, /a: no status/);
    // Five attempts of 300 ms would have sent five requests; the grace allows one, maybe two.
    assert.ok(sim.requestLog().length <= 2, `${sim.requestLog().length} requests`);
  });

  it("a service that never answers does not stretch the deadline: the timeout names the missing answer", async function () {
    this.timeout(60_000);
    sim.addJobs([{ id: "a", status: "FULL_TRANSFER_STARTED" }]);
    sim.addFault({ hang: true });
    const client = new DrsClient({ ...connection(), requestTimeout: "30s" });
    const started = Date.now();
    const err = await waitForJobs(["a"], { client, pollInterval: "200ms", timeout: "1s" }).catch(
      (e: unknown) => e,
    );
    const elapsed = Date.now() - started;
    assert.ok(err instanceof WaitTimeoutError, String(err));
    assert.match(err.message, /a: no status\nthe last poll failed: no answer within 1s$/);
    // Before the fix the wait ended one request timeout (30 s) after its start at the earliest.
    assert.ok(elapsed < 30_000, `${elapsed} ms`);
  });

  it("persistent 503s: the deadline cuts the first poll's retries, naming the last error", async function () {
    this.timeout(60_000);
    sim.addJobs([{ id: "a", status: "FULL_TRANSFER_STARTED" }]);
    sim.addFault({ status: 503 });
    // Backoffs of at least 3 s: a retry never comes before the 1 s deadline.
    const client = new DrsClient({
      ...connection(),
      maxRetries: 4,
      retry: { minTimeout: 3000, maxTimeout: 3000 },
    });
    const err = await waitForJobs(["a"], { client, pollInterval: "200ms", timeout: "1s" }).catch(
      (e: unknown) => e,
    );
    assert.ok(err instanceof WaitTimeoutError, String(err));
    assert.match(err.message, /the last poll failed: .*HTTP 503/);
    assert.equal(sim.requestLog().length, 1, "no retry was sent after the deadline");
    await new Promise((resolve) => setTimeout(resolve, 3500));
    assert.equal(sim.requestLog().length, 1, "nor later: the retry was cancelled");
  });

  it("polls once more before the deadline whatever the interval (10h interval, 2s timeout)", async () => {
    sim.addJobs([
      {
        id: "a",
        timeline: [
          { at: "0s", status: "FULL_TRANSFER_STARTED" },
          { at: "0.5s", status: "FULL_TRANSFER_COMPLETE" },
        ],
      },
    ]);
    const result = await waitForJobs(["a"], {
      ...connection(),
      pollInterval: "10h",
      timeout: "2s",
    });
    assert.equal(result.polls, 2, "the first poll, then the last chance before the deadline");
    assert.equal(result.jobs[0].status, "FULL_TRANSFER_COMPLETE");
  });
});
