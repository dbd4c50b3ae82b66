// The lag gate: waitForJobs with maxReplicationLag over real HTTP against the simulator, whose
// request counters say what batch-progress cost; and the display schedule of percent and time
// left, isolated with a scripted source and sinon's clock (30 s cannot pass in a test).
import assert from "node:assert/strict";
import sinon from "sinon";
import { DrsClient } from "../../src/api";
import type { JobProgressEntry } from "../../src/api/progress";
import type { JobObservation } from "../../src/api/status";
import { startSimulator, type Simulator } from "../../src/sim";
import { simulatorConnection } from "../support/connection";
import { InputError } from "../../src/util/input-error";
import {
  JobsFailedError,
  summarize,
  waitForJobs,
  WaitTimeoutError,
  type WaitProgress,
} from "../../src/wait";
import type { StatusSource } from "../../src/wait/poller";

const TOKEN = "lag-test-token";

describe("the lag gate against the simulator", function () {
  this.timeout(30_000);
  let sim: Simulator;
  const connection = () => simulatorConnection(sim, TOKEN);
  const requests = (kind: string) => sim.counters().byKind[kind] ?? 0;
  /** A job incremental from the start with a 60 s lag that drains to 2 s at `drainAt`. */
  const drainingJob = (id: string, drainAt = "1.5s") => ({
    id,
    timeline: [
      { at: "0s", status: "INCRE_TRANSFER_STARTED", lag: "60s" },
      { at: drainAt, status: "INCRE_TRANSFER_STARTED", lag: "2s" },
    ],
  });

  beforeEach(async () => {
    sim = await startSimulator({ scenario: { auth: { token: TOKEN } } });
  });
  afterEach(() => sim.stop());

  it("opens only once the lag is at or below the maximum; results carry the lag", async () => {
    sim.addJobs([drainingJob("job-a")]);
    const seen: WaitProgress[] = [];
    const result = await waitForJobs(["job-a"], {
      ...connection(),
      pollInterval: "300ms",
      maxReplicationLag: "5s",
      onProgress: (p) => seen.push(p),
    });
    assert.equal(result.jobs[0].replicationLagMs, 2000);
    assert.equal(result.jobs[0].phase, "ready");
    assert.ok(result.polls >= 2, "it waited through the high lag");
    const first = seen[0].jobs[0];
    assert.equal(first.awaitingLag, true);
    assert.equal(first.replicationLagMs, 60_000);
    assert.match(
      summarize(seen[0]),
      /waiting on job-a \(INCRE_TRANSFER_STARTED, lag 1m \(max 5s\)\)/,
    );
    assert.equal(requests("batch-progress"), result.polls, "one batch-progress per poll");
  });

  it("without a lag gate, opens at the first poll and never asks batch-progress", async () => {
    sim.addJobs([drainingJob("job-a")]);
    const result = await waitForJobs(["job-a"], connection());
    assert.equal(result.polls, 1);
    assert.equal(requests("batch-progress"), 0);
  });

  it("times out naming each job with its lag and the maximum", async () => {
    sim.addJobs([drainingJob("dc67695a-ee3e-49b8-a022-a099bd81jb21", "1h")]);
    const err = await waitForJobs(["dc67695a-ee3e-49b8-a022-a099bd81jb21"], {
      ...connection(),
      pollInterval: "200ms",
      timeout: "1s",
      maxReplicationLag: "5s",
    }).catch((e: unknown) => e);
    assert.ok(err instanceof WaitTimeoutError, String(err));
    assert.match(
      err.message,
      /dc67695a-ee3e-49b8-a022-a099bd81jb21: INCRE_TRANSFER_STARTED, lag 1m \(max 5s\)/,
    );
  });

  it("a full-only job (FULL_TRANSFER_COMPLETE) is ready as before, costing no batch-progress", async () => {
    sim.addJobs([{ id: "full-only", status: "FULL_TRANSFER_COMPLETE" }]);
    const result = await waitForJobs(["full-only"], { ...connection(), maxReplicationLag: "5s" });
    assert.equal(result.polls, 1);
    assert.equal(requests("batch-progress"), 0);
  });

  it("a failed job fails at once, whatever the lag", async () => {
    sim.addJobs([
      drainingJob("job-a", "1h"),
      {
        id: "job-b",
        timeline: [{ at: "0s", status: "INCRE_TRANSFER_FAILED", errorCode: "DRS.M00004" }],
      },
    ]);
    const err = await waitForJobs(["job-a", "job-b"], {
      ...connection(),
      maxReplicationLag: "5s",
    }).catch((e: unknown) => e);
    assert.ok(err instanceof JobsFailedError, String(err));
    assert.deepEqual(
      err.failedJobs.map((j) => j.id),
      ["job-b"],
    );
  });

  it("lagStableFor: the lag must stay low over consecutive polls spanning it", async () => {
    sim.addJobs([
      {
        id: "job-a",
        timeline: [
          { at: "0s", status: "INCRE_TRANSFER_STARTED", lag: "1s" },
          { at: "0.6s", status: "INCRE_TRANSFER_STARTED", lag: "30s" },
          { at: "1.2s", status: "INCRE_TRANSFER_STARTED", lag: "1s" },
        ],
      },
    ]);
    const lags: number[] = [];
    const lines: string[] = [];
    const result = await waitForJobs(["job-a"], {
      ...connection(),
      pollInterval: "200ms",
      maxReplicationLag: "5s",
      lagStableFor: "1s",
      onProgress: (p) => {
        lags.push(p.jobs[0]?.replicationLagMs ?? -1);
        lines.push(summarize(p));
      },
    });
    assert.ok(
      lines.some((line) => /lag 1s \(max 5s\), steady \d+m?s of 1s\)/.test(line)),
      `the window shows while it runs: ${lines.join("\n")}`,
    );
    // Low at first, but the spike at 0.6 s restarted the clock: not ready before 2.2 s.
    assert.ok(lags.includes(30_000), `saw the spike: ${lags}`);
    assert.ok(result.elapsedMs >= 1000, `${result.elapsedMs} ms`);
    const lowRun = lags.slice(lags.lastIndexOf(30_000) + 1);
    assert.ok(lowRun.length >= 5, `ready after ${lowRun.length} low polls over 1 s: ${lags}`);
  });

  it("a lag that is not reported is not ready; a failing batch-progress is named at the timeout", async () => {
    sim.addJobs([{ id: "job-a", status: "INCRE_TRANSFER_STARTED" }]);
    sim.addFault({ status: 500, route: "batch-progress" });
    const err = await waitForJobs(["job-a"], {
      ...connection(),
      pollInterval: "200ms",
      timeout: "1s",
      maxReplicationLag: "5s",
      maxRetries: 0,
    }).catch((e: unknown) => e);
    assert.ok(err instanceof WaitTimeoutError, String(err));
    assert.match(err.message, /job-a: INCRE_TRANSFER_STARTED, lag unknown \(max 5s\)/);
    assert.match(err.message, /the last poll failed: DRS batch-progress HTTP 500/);
  });

  it("costs 20 requests per tick for 50 concurrent lag-gated waits over 1,000 incremental jobs", async () => {
    const jobIds = Array.from({ length: 1000 }, (_, i) => `job-${String(i).padStart(4, "0")}`);
    sim.addJobs(
      jobIds.map((id) => ({
        id,
        timeline: [{ at: "0s", status: "INCRE_TRANSFER_STARTED", lag: "60s" }],
      })),
    );
    const client = new DrsClient(connection());
    // What the first tick cost, read when its answer reaches the first waiter: the tick's
    // requests have all been answered, and the next tick is not due for 500 ms.
    let firstTick: number[] | undefined;
    const waits = Array.from({ length: 50 }, (_, w) =>
      waitForJobs(jobIds.slice(w * 20, w * 20 + 20), {
        client,
        pollInterval: "500ms",
        maxReplicationLag: "5s",
        onProgress: () => (firstTick ??= [requests("batch-status"), requests("batch-progress")]),
      }),
    );
    while (!firstTick) await new Promise((resolve) => setTimeout(resolve, 10));
    const [status, progress] = firstTick;
    assert.equal(status, 10, "the first tick: one batch-status per 100 jobs");
    assert.equal(progress, 10, "and one batch-progress per 100 incremental jobs");
    for (const id of jobIds) sim.setJobStatus(id, { status: "INCRE_TRANSFER_STARTED", lag: "1s" });
    const results = await Promise.all(waits);
    assert.ok(results.every((r) => r.jobs.every((job) => job.replicationLagMs === 1000)));
    const ticks = results[0].polls;
    assert.equal(requests("batch-status"), 10 * ticks);
    assert.equal(requests("batch-progress"), 10 * ticks);
  });

  it("refuses lagStableFor without maxReplicationLag, and a bad maximum, naming them", async () => {
    for (const [options, field] of [
      [{ lagStableFor: "30s" }, "lagStableFor"],
      [{ maxReplicationLag: "soon" }, "maxReplicationLag"],
    ] as const) {
      const err = await waitForJobs(["a"], { ...connection(), ...options }).catch(
        (e: unknown) => e,
      );
      assert.ok(err instanceof InputError, String(err));
      assert.equal(err.field, field);
    }
  });
});

/** Statuses and progress the test scripts; every batch-progress call recorded. */
class ScriptedSource implements StatusSource {
  readonly key = `lag-scripted-${Math.random()}`;
  readonly progressCalls: string[][] = [];
  async batchStatus(jobIds: readonly string[]): Promise<JobObservation[]> {
    return jobIds.map((id) => ({ id, status: "FULL_TRANSFER_STARTED" }));
  }
  async batchProgress(jobIds: readonly string[]): Promise<JobProgressEntry[]> {
    this.progressCalls.push([...jobIds]);
    return jobIds.map((id) => ({ id, percent: 67, remainingMs: 720_000 }));
  }
}

describe("progress shown for display", () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: 1_000_000, toFake: ["setTimeout", "clearTimeout", "Date"] });
  });
  afterEach(() => clock.restore());

  it("costs at most one batch-progress per 30 s, and shows percent and time left", async () => {
    const source = new ScriptedSource();
    const lines: string[] = [];
    const controller = new AbortController();
    const wait = waitForJobs(["9a470239-2308-4bb5-a6bc-1040402fjb21"], {
      client: source,
      pollInterval: "1s",
      showProgress: true,
      signal: controller.signal,
      onProgress: (p) => lines.push(summarize(p)),
    }).catch(() => undefined);
    await clock.tickAsync(65_000);
    controller.abort();
    await wait;
    assert.ok(lines.length > 50, `${lines.length} polls`);
    assert.equal(source.progressCalls.length, 3, "at 0 s, 30 s and 60 s");
    assert.match(lines[0], /9a470239… \(FULL_TRANSFER_STARTED, 67%, ~12m left\)/);
  });
});
