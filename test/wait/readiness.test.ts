// The readiness function alone: pure, so each case builds the ticks it judges (what the polls
// saw, and when) and reads the verdict and the needs. How the poller meets the needs is below.
import assert from "node:assert/strict";
import sinon from "sinon";
import type { JobProgressEntry } from "../../src/api/progress";
import { validateJobIds } from "../../src/api/job-ids";
import { targetSet, type JobObservation } from "../../src/api/status";
import { batchProgress } from "../../src/wait/fetchers/batch-progress";
import type { Fetcher, Observed, StatusSource, Tick } from "../../src/wait/observations";
import { BatchPoller } from "../../src/wait/poller";
import {
  acceptorsFor,
  assess,
  notYetPolled,
  type Acceptor,
  type Assessment,
} from "../../src/wait/readiness";

/** A tick that started at `startedAt`, saw `statuses`, and knows `progress` (fetched `at`). */
function tickOf(
  startedAt: number,
  statuses: JobObservation[],
  progress: Record<string, Observed<JobProgressEntry>> = {},
  failures: Record<string, Error> = {},
): Tick {
  return {
    startedAt,
    statusById: new Map(statuses.map((s) => [s.id, s])),
    observed: <T>(fetcher: Fetcher<T>, jobId: string) =>
      (fetcher.kind === batchProgress.kind ? progress[jobId] : undefined) as
        Observed<T> | undefined,
    failures: new Map(Object.entries(failures)),
    revision: 0,
  };
}

const incremental = (id: string): JobObservation => ({ id, status: "INCRE_TRANSFER_STARTED" });
const lagOf = (id: string, lagMs: number, at: number) => ({
  value: { id, replicationLagMs: lagMs, percent: 100 },
  at,
});

describe("the readiness function", () => {
  const targets = targetSet();

  it("judges statuses: ready, pending, a job with no answer unknown, a failed one fails the wait", () => {
    const acceptors = acceptorsFor({ targets });
    let state = assess(
      acceptors,
      notYetPolled(["a", "b", "c"]),
      tickOf(1000, [incremental("a"), { id: "b", status: "FULL_TRANSFER_STARTED" }]),
    );
    assert.equal(state.phase, "pending");
    assert.deepEqual(
      state.jobs.map((j) => [j.id, j.phase, j.unknown]),
      [
        ["a", "ready", undefined],
        ["b", "pending", undefined],
        ["c", "pending", true],
      ],
    );
    assert.deepEqual(state.needs, [], "the status rule needs nothing more");
    state = assess(
      acceptors,
      state,
      tickOf(2000, [
        incremental("a"),
        { id: "b", status: "INCRE_TRANSFER_FAILED" },
        incremental("c"),
      ]),
    );
    assert.equal(state.phase, "failed");
    assert.equal(state.polls, 2);
  });

  it("the lag rule asks for this tick's progress of ready incremental jobs only, and trusts no older lag", () => {
    const acceptors = acceptorsFor({ targets, lag: { maxMs: 5000, stableForMs: 0 } });
    const statuses = [incremental("a"), { id: "full", status: "FULL_TRANSFER_STARTED" }];
    const asked = assess(acceptors, notYetPolled(["a", "full"]), tickOf(1000, statuses));
    assert.deepEqual(
      asked.needs.map((n) => [n.fetcher.kind, n.jobId, n.maxAgeMs]),
      [["batch-progress", "a", 0]],
    );
    assert.equal(asked.jobs[0].phase, "pending");
    assert.equal(asked.jobs[0].awaitingLag, true);
    // A low lag fetched before this tick started is not this tick's: still held.
    const stale = assess(
      acceptors,
      notYetPolled(["a", "full"]),
      tickOf(1000, statuses, { a: lagOf("a", 1000, 999) }),
    );
    assert.equal(stale.jobs[0].phase, "pending");
    assert.equal(
      stale.jobs[0].replicationLagMs,
      undefined,
      "an older lag is not shown as this tick's",
    );
    const fresh = assess(
      acceptors,
      notYetPolled(["a", "full"]),
      tickOf(1000, statuses, { a: lagOf("a", 1000, 1001) }),
    );
    assert.equal(fresh.jobs[0].phase, "ready");
    assert.equal(fresh.jobs[0].replicationLagMs, 1000);
  });

  it("the lag rule names the failed fetch it needed, and only that one", () => {
    const acceptors = acceptorsFor({ targets, lag: { maxMs: 5000, stableForMs: 0 } });
    const failed = new Error("DRS batch-progress HTTP 500");
    const state = assess(
      acceptors,
      notYetPolled(["a"]),
      tickOf(1000, [incremental("a")], {}, { "batch-progress": failed }),
    );
    assert.equal(state.fetchError, failed);
    const display = acceptorsFor({ targets }, { showProgress: true });
    const shown = assess(
      display,
      notYetPolled(["a"]),
      tickOf(1000, [incremental("a")], {}, { "batch-progress": failed }),
    );
    assert.equal(shown.fetchError, undefined, "progress shown only for display fails quietly");
  });

  it("the lag must stay low over polls spanning lagStableFor; a high one restarts the clock", () => {
    const acceptors = acceptorsFor({ targets, lag: { maxMs: 5000, stableForMs: 10_000 } });
    const at = (state: Assessment, t: number, lagMs: number) =>
      assess(
        acceptors,
        state,
        tickOf(t, [incremental("a")], { a: lagOf("a", lagMs, t + 1) }),
        t + 2,
      );
    let state = at(notYetPolled(["a"]), 0, 1000);
    state = at(state, 6000, 1000);
    assert.equal(state.phase, "pending", "low for 6 s of 10");
    assert.equal(state.jobs[0].lowLagForMs, 6000, "the progress line shows how long");
    state = at(state, 8000, 30_000);
    state = at(state, 12_000, 1000);
    state = at(state, 20_000, 1000);
    assert.equal(state.phase, "pending", "low again for 8 s only");
    state = at(state, 22_000, 1000);
    assert.equal(state.phase, "ready");
  });

  it("progress shown for display: asked every 30 s, never carried into a later status", () => {
    const acceptors = acceptorsFor({ targets }, { showProgress: true });
    const started = [{ id: "a", status: "FULL_TRANSFER_STARTED" }];
    const asked = assess(acceptors, notYetPolled(["a"]), tickOf(1000, started));
    assert.deepEqual(
      asked.needs.map((n) => [n.jobId, n.maxAgeMs, n.forDisplay]),
      [["a", 30_000, true]],
    );
    const progress = { a: { value: { id: "a", percent: 67, remainingMs: 720_000 }, at: 1001 } };
    let state = assess(acceptors, notYetPolled(["a"]), tickOf(1000, started, progress));
    assert.deepEqual(state.needs, [], "fetched this tick: nothing lacks");
    assert.equal(state.jobs[0].percent, 67);
    state = assess(acceptors, state, tickOf(31_000, started, progress));
    assert.deepEqual(state.needs, [], "30 s old is still fresh enough");
    assert.equal(state.jobs[0].percent, 67, "the same status: still shown");
    state = assess(
      acceptors,
      state,
      tickOf(32_000, [{ id: "a", status: "FULL_TRANSFER_COMPLETE" }], progress),
    );
    assert.equal(state.needs.length, 1, "older than 30 s: asked again");
    assert.equal(state.jobs[0].percent, undefined, "67% was the full transfer's");
    assert.equal(state.jobs[0].remainingMs, undefined);
  });
});

describe("the poller meets the needs of every waiter", () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: 1_000_000, toFake: ["setTimeout", "clearTimeout", "Date"] });
  });
  afterEach(() => clock.restore());

  /** A new kind of observation, as a later rule would add one: the poller was not told of it. */
  class CountingFetcher implements Fetcher<number> {
    readonly kind = "test-kind";
    readonly calls: string[][] = [];
    failing = false;
    async fetch(_source: StatusSource, jobIds: readonly string[]) {
      this.calls.push([...jobIds]);
      if (this.failing) throw new Error("test-kind is down");
      return new Map(jobIds.map((id) => [id, this.calls.length]));
    }
  }
  /** Holds a job until the fetcher's number for it is known; asks for one at most 5 s old. */
  const acceptorOf = (fetcher: CountingFetcher): Acceptor => ({
    name: "test",
    accept: ({ entry, tick }) => {
      const seen = tick.observed(fetcher, entry.id);
      return {
        entry: seen ? entry : { ...entry, phase: "pending" },
        needs: [{ fetcher, jobId: entry.id, maxAgeMs: 5000 }],
      };
    },
  });
  const source: StatusSource = {
    key: "needs-test",
    batchStatus: async (jobIds) => jobIds.map((id) => ({ id, status: "FULL_TRANSFER_COMPLETE" })),
  };

  it("calls a fetcher once a tick for the union of what every waiter needs, no more often than asked", async () => {
    const fetcher = new CountingFetcher();
    const poller = new BatchPoller(source, { coalesceMs: 25, jitter: 0 });
    const acceptors = [...acceptorsFor({ targets: targetSet() }), acceptorOf(fetcher)];
    const verdicts: string[] = [];
    const waiter = (jobIds: string[]) => {
      let state = notYetPolled(jobIds);
      return poller.subscribe({
        jobIds: validateJobIds(jobIds),
        intervalMs: 1000,
        deadline: Infinity,
        needs: (tick) => assess(acceptors, state, tick).needs,
        onResult: (tick) => {
          state = assess(acceptors, state, tick);
          verdicts.push(`${jobIds.join(",")} ${state.phase}`);
        },
        onPollError: () => {},
        onFatal: () => {},
      });
    };
    const stops = [waiter(["a", "b"]), waiter(["b", "c"])];
    await clock.tickAsync(100);
    assert.deepEqual(fetcher.calls, [["a", "b", "c"]], "one call, each job once");
    assert.deepEqual(verdicts, ["a,b ready", "b,c ready"]);
    await clock.tickAsync(4000);
    assert.equal(fetcher.calls.length, 1, "what is at most 5 s old is not fetched again");
    await clock.tickAsync(2000);
    assert.equal(fetcher.calls.length, 2);
    fetcher.failing = true;
    await clock.tickAsync(6000);
    assert.ok(fetcher.calls.length > 2, "asked again once 5 s old");
    assert.ok(verdicts.at(-1)!.endsWith("ready"), "an older answer still counts for this rule");
    stops.forEach((stop) => stop());
  });
});
