// The comparison rule alone, through the pure readiness function: each case builds the ticks
// it judges (statuses, and what the comparison fetcher returned, when) and reads the verdict
// and the needs. How the fetcher talks to DRS is tested against the simulator elsewhere.
import assert from "node:assert/strict";
import type { Comparison } from "../../src/api/compare";
import { targetSet, type JobObservation } from "../../src/api/status";
import type { ComparisonReport } from "../../src/wait/compare";
import type { ComparisonObservation } from "../../src/wait/fetchers/comparison";
import type { Fetcher, Observed, Tick } from "../../src/wait/observations";
import { acceptorsFor, assess, notYetPolled, type Assessment } from "../../src/wait/readiness";

const ready = (id: string): JobObservation => ({ id, status: "INCRE_TRANSFER_STARTED" });
const pending = (id: string): JobObservation => ({ id, status: "FULL_TRANSFER_STARTED" });

function tickOf(
  startedAt: number,
  statuses: JobObservation[],
  comparisons: Record<string, Observed<ComparisonObservation>> = {},
): Tick {
  return {
    startedAt,
    statusById: new Map(statuses.map((s) => [s.id, s])),
    observed: <T>(fetcher: Fetcher<T>, jobId: string) =>
      (fetcher.kind.startsWith("comparison:") ? comparisons[jobId] : undefined) as
        Observed<T> | undefined,
    failures: new Map(),
  };
}

function report(jobId: string, status: string, inconsistent = 0): ComparisonReport {
  const phase = status === "SUCCESSFUL" ? "succeeded" : status === "RUNNING" ? "running" : "failed";
  const comparison: Comparison = { id: `cmp-${jobId}`, kind: "lines", status, phase };
  if (phase === "failed") comparison.message = "source database connection lost";
  return {
    jobId,
    kind: "lines",
    comparison,
    done: phase === "running" ? 1 : 4,
    total: 4,
    tablesCompared: 12,
    tablesInconsistent: inconsistent,
    tablesUncomparable: 0,
    differing: Array.from({ length: inconsistent }, (_, i) => ({
      db: "shop",
      table: `t${i}`,
      sourceRows: 10,
      targetRows: 9,
      differenceRows: 1,
      state: "inconsistent" as const,
    })),
    uncomparable: [],
  };
}
const seen = (r: ComparisonReport, at: number) => ({ value: { report: r }, at });

describe("the comparison rule", () => {
  const plan = { targets: targetSet(), compare: ["lines" as const], intervalMs: 1000 };

  it("asks for no comparison until every job is otherwise ready, then for each job's at once", () => {
    const acceptors = acceptorsFor(plan);
    let state: Assessment = assess(
      acceptors,
      notYetPolled(["a", "b"]),
      tickOf(1000, [ready("a"), pending("b")]),
    );
    assert.deepEqual(state.needs, [], "b is not ready: nothing is compared yet");
    assert.equal(state.jobs[0].phase, "ready", "a is not held before the comparisons start");
    state = assess(acceptors, state, tickOf(2000, [ready("a"), ready("b")]));
    assert.equal(state.phase, "pending");
    assert.deepEqual(
      state.needs.map((n) => [n.jobId, n.maxAgeMs]),
      [
        ["a", 0],
        ["b", 0],
      ],
    );
    assert.deepEqual(
      state.jobs.map((j) => [j.id, j.phase, j.comparing?.kind]),
      [
        ["a", "pending", "lines"],
        ["b", "pending", "lines"],
      ],
    );
  });

  it("holds a running comparison, looked at again after 15 s, and opens when it ended consistent", () => {
    const acceptors = acceptorsFor(plan);
    let state = assess(acceptors, notYetPolled(["a"]), tickOf(1000, [ready("a")]));
    state = assess(
      acceptors,
      state,
      tickOf(2000, [ready("a")], { a: seen(report("a", "RUNNING"), 2000) }),
    );
    assert.equal(state.phase, "pending");
    assert.deepEqual(state.jobs[0].comparing, {
      kind: "lines",
      id: "cmp-a",
      status: "RUNNING",
      done: 1,
      total: 4,
    });
    assert.deepEqual(
      state.needs.map((n) => n.maxAgeMs),
      [15_000],
    );
    state = assess(
      acceptors,
      state,
      tickOf(17_000, [ready("a")], { a: seen(report("a", "SUCCESSFUL"), 17_000) }),
    );
    assert.equal(state.phase, "ready");
    assert.deepEqual(state.jobs[0].comparisons, [
      {
        id: "cmp-a",
        kind: "lines",
        status: "SUCCESSFUL",
        tablesCompared: 12,
        tablesInconsistent: 0,
      },
    ]);
    assert.deepEqual(state.needs, [], "an ended comparison is not asked again");
  });

  it("fails a job whose comparison found a table different, or that ended FAILED, with DRS's message", () => {
    const acceptors = acceptorsFor(plan);
    let state = assess(acceptors, notYetPolled(["a", "b"]), tickOf(1000, [ready("a"), ready("b")]));
    state = assess(
      acceptors,
      state,
      tickOf(2000, [ready("a"), ready("b")], {
        a: seen(report("a", "SUCCESSFUL", 1), 2000),
        b: seen(report("b", "FAILED"), 2000),
      }),
    );
    assert.equal(state.phase, "failed");
    assert.deepEqual(state.jobs[0].comparisonFailure, {
      lines: [
        {
          text: "a: rows differ in shop.t0: 10 rows at the source, 9 at the target (difference 1)",
        },
      ],
      more: 0,
    });
    assert.deepEqual(state.jobs[1].comparisonFailure?.lines, [
      { text: "b: lines comparison cmp-b ended FAILED: source database connection lost" },
    ]);
  });

  it("a job that left the ready state is not held by its comparison, which resumes when it is back", () => {
    const acceptors = acceptorsFor(plan);
    let state = assess(acceptors, notYetPolled(["a"]), tickOf(1000, [ready("a")]));
    state = assess(acceptors, state, tickOf(2000, [pending("a")]));
    assert.deepEqual(state.needs, []);
    assert.equal(state.jobs[0].comparing, undefined);
    state = assess(acceptors, state, tickOf(3000, [ready("a")]));
    assert.deepEqual(
      state.needs.map((n) => n.jobId),
      ["a"],
    );
  });
});
