// The progress line alone: what `summarize` shows from a WaitProgress the test builds.
import assert from "node:assert/strict";
import type { JobStatusEntry } from "../../src/api/status";
import { distinctPrefixLength, summarize, type WaitProgress } from "../../src/wait/progress";

function progressOf(jobs: JobStatusEntry[], extra: Partial<WaitProgress> = {}): WaitProgress {
  const waitingOn = jobs.filter((j) => j.phase !== "ready");
  return {
    polls: 1,
    elapsedMs: 1000,
    total: jobs.length,
    ready: jobs.length - waitingOn.length,
    jobs,
    waitingOn,
    paused: [],
    unknown: [],
    ...extra,
  };
}

describe("the progress line", () => {
  it("shortens ids to 8 characters, or as many more as keep every job of the wait distinct", () => {
    const pending = (id: string): JobStatusEntry => ({
      id,
      status: "FULL_TRANSFER_STARTED",
      phase: "pending",
    });
    const uuids = [
      "dc67695a-ee3e-49b8-a022-a099bd81jb21",
      "9a470239-2308-4bb5-a6bc-1040402fjb21",
    ].map(pending);
    assert.match(summarize(progressOf(uuids)), /waiting on dc67695a… \(.*\), 9a470239… \(/);
    // The ready twin is not listed, but the shortened id must not name it as well.
    const twins = [
      pending("dc67695a-ee3e-49b8-a022-a099bd81jb21"),
      { ...pending("dc67695a-ff00-49b8-a022-a099bd81jb21"), phase: "ready" as const },
    ];
    assert.match(summarize(progressOf(twins)), /waiting on dc67695a-e… \(FULL_TRANSFER_STARTED\)$/);
    assert.equal(distinctPrefixLength(["abcdefghij", "abcdefghijk"]), 11);
    assert.equal(distinctPrefixLength(["a", "a"]), 8, "duplicates do not lengthen ids forever");
  });

  it("shows the lag stability window while it runs", () => {
    const held: JobStatusEntry = {
      id: "job-a",
      status: "INCRE_TRANSFER_STARTED",
      phase: "pending",
      awaitingLag: true,
      replicationLagMs: 2000,
      lowLagForMs: 12_000,
    };
    const line = summarize(
      progressOf([held], { maxReplicationLagMs: 5000, lagStableForMs: 30_000 }),
    );
    assert.match(line, /job-a \(INCRE_TRANSFER_STARTED, lag 2s \(max 5s\), steady 12s of 30s\)/);
  });
});
