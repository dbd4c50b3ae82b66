// The schedule of the shared poller, isolated from HTTP with a recording status source and
// sinon's fake clock. What it fetches over real HTTP is tested in wait-for-jobs.test.ts.
import assert from "node:assert/strict";
import sinon from "sinon";
import { DrsClient } from "../../src/api/client";
import { DrsApiError } from "../../src/api/errors";
import { validateJobIds } from "../../src/api/job-ids";
import { resolveSettings } from "../../src/api/settings";
import type { JobStatusEntry } from "../../src/api/status";
import { waitForJobs } from "../../src/wait";
import { BatchPoller, pollerFor, type StatusSource } from "../../src/wait/poller";

/** A status source whose answers the test scripts, recording every call. */
class ScriptedSource implements StatusSource {
  readonly key: string;
  readonly calls: Array<{ at: number; jobIds: string[] }> = [];
  statuses = new Map<string, string>();
  failNext: Error[] = [];
  constructor(key = `scripted-${Math.random()}`) {
    this.key = key;
  }
  async batchStatus(jobIds: readonly string[]): Promise<JobStatusEntry[]> {
    this.calls.push({ at: Date.now(), jobIds: [...jobIds] });
    const failure = this.failNext.shift();
    if (failure) throw failure;
    return jobIds.map((id) => {
      const status = this.statuses.get(id);
      return status === undefined
        ? {
            id,
            phase: "failed",
            errorCode: "DRS.M00289",
            errorMessage: "job does not exist",
            notFound: true,
          }
        : { id, status, phase: "pending" };
    });
  }
}

const transient = () =>
  new DrsApiError({ operation: "DRS batch-status", httpStatus: 503, retryable: true });

describe("the shared poller", () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: 1_000_000, toFake: ["setTimeout", "clearTimeout", "Date"] });
  });
  afterEach(() => clock.restore());

  it("serves 50 waiters over 1,000 jobs with one batchStatus call per tick", async () => {
    const source = new ScriptedSource();
    const jobIds = Array.from({ length: 1000 }, (_, i) => `job-${i}`);
    for (const id of jobIds) source.statuses.set(id, "FULL_TRANSFER_STARTED");
    const waits = Array.from({ length: 50 }, (_, w) =>
      waitForJobs(jobIds.slice(w * 20, w * 20 + 20), { client: source, pollInterval: "10s" }),
    );
    await clock.tickAsync(100);
    assert.equal(source.calls.length, 1, "the first poll is shared");
    assert.equal(source.calls[0].jobIds.length, 1000);
    await clock.tickAsync(11_000);
    assert.equal(source.calls.length, 2, "one call per tick");
    for (const id of jobIds) source.statuses.set(id, "INCRE_TRANSFER_STARTED");
    await clock.tickAsync(11_000);
    const results = await Promise.all(waits);
    assert.equal(results.length, 50);
    assert.ok(results.every((r) => r.jobs.every((job) => job.phase === "ready")));
    await clock.tickAsync(60_000);
    assert.equal(source.calls.length, 3, "settled waiters are not polled again");
  });

  it("polls at once, then every interval with at most 10% jitter", async () => {
    const source = new ScriptedSource();
    source.statuses.set("a", "FULL_TRANSFER_STARTED");
    const wait = waitForJobs(["a"], { client: source, pollInterval: "10s", timeout: "10m" });
    await clock.tickAsync(60_000);
    const gaps = source.calls.slice(1).map((c, i) => c.at - source.calls[i].at);
    assert.ok(source.calls[0].at - 1_000_000 < 100, "first poll within the coalescing window");
    assert.ok(gaps.length >= 5);
    for (const gap of gaps) assert.ok(gap >= 9000 && gap <= 11_000, `gap ${gap}`);
    source.statuses.set("a", "FULL_TRANSFER_COMPLETE");
    await clock.tickAsync(11_000);
    assert.equal((await wait).jobs[0].status, "FULL_TRANSFER_COMPLETE");
  });

  it("lands a last poll before the deadline instead of after it", async () => {
    const source = new ScriptedSource();
    source.statuses.set("a", "FULL_TRANSFER_STARTED");
    const wait = waitForJobs(["a"], { client: source, pollInterval: "10s", timeout: "25s" });
    const outcome = wait.then(
      () => "resolved",
      (e: Error) => e.name,
    );
    await clock.tickAsync(20_500);
    source.statuses.set("a", "INCRE_TRANSFER_STARTED");
    await clock.tickAsync(10_000);
    assert.equal(await outcome, "resolved", "the poll before the 25 s deadline saw the job ready");
    const last = source.calls.at(-1)!.at - 1_000_000;
    assert.ok(last > 20_500 && last < 25_000, `last poll at ${last} ms`);
  });

  it("keeps waiting through failed polls and reports them as progress", async () => {
    const source = new ScriptedSource();
    source.statuses.set("a", "INCRE_TRANSFER_STARTED");
    source.failNext = [transient(), transient(), transient()];
    const errors: string[] = [];
    const wait = waitForJobs(["a"], {
      client: source,
      pollInterval: "1s",
      onProgress: (p) => p.pollError && errors.push(p.pollError.message),
    });
    await clock.tickAsync(5000);
    const result = await wait;
    assert.equal(errors.length, 3);
    assert.equal(result.polls, 1);
    assert.equal(source.calls.length, 4);
  });

  it("fails every waiter at once on an error that cannot heal", async () => {
    const source = new ScriptedSource();
    source.statuses.set("a", "FULL_TRANSFER_STARTED");
    source.failNext = [
      new DrsApiError({
        operation: "DRS batch-status",
        httpStatus: 403,
        errorCode: "DRS.M00100",
        retryable: false,
      }),
    ];
    const outcomes = [["a"], ["a"]].map((ids) =>
      waitForJobs(ids, { client: source, pollInterval: "1s" }).catch(
        (e: DrsApiError) => e.errorCode,
      ),
    );
    await clock.tickAsync(100);
    assert.deepEqual(await Promise.all(outcomes), ["DRS.M00100", "DRS.M00100"]);
  });

  it("stops polling and rejects promptly when aborted", async () => {
    const source = new ScriptedSource();
    source.statuses.set("a", "FULL_TRANSFER_STARTED");
    const controller = new AbortController();
    const wait = waitForJobs(["a"], {
      client: source,
      pollInterval: "1s",
      signal: controller.signal,
    });
    const outcome = wait.catch((e: Error) => e.name);
    await clock.tickAsync(2500);
    const calls = source.calls.length;
    controller.abort();
    assert.equal(await outcome, "WaitAbortedError");
    await clock.tickAsync(10_000);
    assert.equal(source.calls.length, calls);
  });

  it("fetchOnce calls made together share one poll", async () => {
    const source = new ScriptedSource();
    source.statuses.set("a", "CREATING");
    source.statuses.set("b", "CREATING");
    const poller = new BatchPoller(source);
    const [first, second] = await Promise.all([
      poller.fetchOnce(validateJobIds(["a"])),
      poller.fetchOnce(validateJobIds(["b"])),
      clock.tickAsync(100),
    ]);
    assert.equal(source.calls.length, 1);
    assert.deepEqual([first[0].status, second[0].status], ["CREATING", "CREATING"]);
    assert.equal(poller.subscriberCount, 0);
  });

  it("honours a throttled poll's Retry-After for the next tick, whatever the interval", async () => {
    const source = new ScriptedSource();
    source.statuses.set("a", "INCRE_TRANSFER_STARTED");
    source.failNext = [
      new DrsApiError({
        operation: "DRS batch-status",
        httpStatus: 429,
        errorCode: "APIG.0308",
        retryable: true,
        retryAfterMs: 30_000,
      }),
    ];
    const wait = waitForJobs(["a"], { client: source, pollInterval: "10s" });
    await clock.tickAsync(40_000);
    await wait;
    const gap = source.calls[1].at - source.calls[0].at;
    assert.ok(gap >= 30_000, `second poll ${gap} ms after the throttled one`);
  });

  it("fails at once when the endpoint never answered, but rides out the same error later", async () => {
    const refused = () =>
      new DrsApiError({
        operation: "DRS batch-status",
        transportCode: "ECONNREFUSED",
        retryable: true,
      });
    const wrongEndpoint = new ScriptedSource();
    wrongEndpoint.failNext = [refused()];
    const failed = waitForJobs(["a"], { client: wrongEndpoint, timeout: "1h" }).catch(
      (e: DrsApiError) => e.transportCode,
    );
    await clock.tickAsync(100);
    assert.equal(await failed, "ECONNREFUSED");

    const outage = new ScriptedSource();
    outage.statuses.set("a", "FULL_TRANSFER_STARTED");
    const wait = waitForJobs(["a"], { client: outage, pollInterval: "1s" });
    await clock.tickAsync(100);
    outage.failNext = [refused(), refused()];
    await clock.tickAsync(2100);
    outage.statuses.set("a", "FULL_TRANSFER_COMPLETE");
    await clock.tickAsync(1100);
    assert.equal((await wait).jobs[0].status, "FULL_TRANSFER_COMPLETE");
  });

  describe("subscribers arriving between ticks", () => {
    const tuning = { coalesceMs: 25, jitter: 0 };
    const subscriber = (jobIds: string[], intervalMs: number, firstPollWithinMs?: number) => ({
      jobIds: validateJobIds(jobIds),
      intervalMs,
      deadline: Infinity,
      firstPollWithinMs,
      onResult: () => {},
      onPollError: () => {},
      onFatal: () => {},
    });
    const polled = (source: ScriptedSource) =>
      source.calls.map((c) => `${c.at - 1_000_000}ms ${c.jobIds.join(",")}`);

    it("get a first poll of their own jobs only, and the regular cadence goes on", async () => {
      const source = new ScriptedSource();
      const poller = new BatchPoller(source, tuning);
      poller.subscribe(subscriber(["a1", "a2"], 10_000));
      await clock.tickAsync(3000);
      poller.subscribe(subscriber(["b1"], 10_000));
      await clock.tickAsync(7100);
      assert.deepEqual(polled(source), ["25ms a1,a2", "3025ms b1", "10025ms a1,a2,b1"]);
    });

    it("are served by the regular tick when it is due within their first-poll window", async () => {
      const source = new ScriptedSource();
      const poller = new BatchPoller(source, tuning);
      poller.subscribe(subscriber(["a"], 10_000));
      await clock.tickAsync(9800);
      poller.subscribe(subscriber(["c"], 10_000, 500));
      await clock.tickAsync(1000);
      assert.deepEqual(polled(source), ["25ms a", "10025ms a,c"]);
    });

    it("bring the regular tick forward when they poll faster", async () => {
      const source = new ScriptedSource();
      const poller = new BatchPoller(source, tuning);
      poller.subscribe(subscriber(["a"], 10_000));
      await clock.tickAsync(1000);
      poller.subscribe(subscriber(["b"], 1000));
      await clock.tickAsync(2100);
      assert.deepEqual(polled(source), ["25ms a", "1025ms b", "2025ms a,b", "3025ms a,b"]);
    });

    it("left alone with one-shot readers, the poller does not spin", async () => {
      const source = new ScriptedSource();
      source.statuses.set("x", "CREATING");
      const poller = new BatchPoller(source, tuning);
      const unsubscribe = poller.subscribe(subscriber(["a"], 1000));
      await clock.tickAsync(30);
      const read = poller.fetchOnce(validateJobIds(["x"]));
      unsubscribe();
      await clock.tickAsync(5000);
      assert.deepEqual(
        (await read).map((e) => e.status),
        ["CREATING"],
      );
      assert.equal(source.calls.length, 2);
    });
  });
});

describe("one poller per connection", () => {
  const settingsOf = (projectId: string) =>
    resolveSettings({
      env: {
        HW_DRS_ENDPOINT: "https://127.0.0.1:9",
        HW_AUTH_TOKEN: "token",
        HW_PROJECT_ID: projectId,
      },
    });

  it("serves every read and wait of one connection from one poller and one client", () => {
    const poller = pollerFor(settingsOf("p1"));
    assert.equal(pollerFor(settingsOf("p1")), poller);
    assert.notEqual(pollerFor(settingsOf("p2")), poller);
    const client = poller.source;
    assert.ok(client instanceof DrsClient);
    assert.equal(poller.source, client);
    assert.equal(client.settings.projectId, "p1");
  });
});
