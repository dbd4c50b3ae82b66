// The lag's trend from recent polls: shown only when the samples support one.
import { strict as assert } from "node:assert";
import { startSimulator, type Simulator } from "../../src/sim";
import { summarize, waitForJobs } from "../../src/wait";
import { describeTrend, keepRecent, lagTrend, type LagSample } from "../../src/wait/lag-trend";

const T0 = Date.UTC(2026, 0, 1);
const samples = (lagsS: number[], everyMs = 10_000): LagSample[] =>
  lagsS.map((s, i) => ({ at: T0 + i * everyMs, lagMs: s * 1000 }));

describe("wait: the lag's trend", () => {
  it("a steady drain gives the pace and the time to the maximum", () => {
    // 42 s falling 0.5 s every 10 s: 3 s/min; (40.5 - 5) s at 3 s/min is ~11m50s.
    const trend = lagTrend(samples([42, 41.5, 41, 40.5]), 5000);
    assert.equal(trend?.direction, "draining");
    assert.equal(Math.round(trend!.msPerMin), 3000);
    assert.equal(Math.round(trend!.etaMs! / 1000), 710);
    assert.equal(describeTrend(trend!), "draining ~3s/min, ~11m50s to go");
  });

  it("a growing lag is rising, with no estimate", () => {
    const trend = lagTrend(samples([10, 14, 19, 25]), 5000);
    assert.deepEqual(
      [trend?.direction, trend?.etaMs, describeTrend(trend!)],
      ["rising", undefined, "rising"],
    );
  });

  it("says nothing from too few polls, too short a span, noise, or a flat lag", () => {
    assert.equal(lagTrend(samples([42, 30]), 5000), undefined, "two polls");
    assert.equal(lagTrend(samples([42, 30, 20], 500), 5000), undefined, "one second");
    assert.equal(lagTrend(samples([40, 10, 45, 8, 42, 12]), 5000), undefined, "noise");
    assert.equal(lagTrend(samples([20, 20, 20, 20]), 5000), undefined, "flat");
  });

  it("a fast drain is per second", () => {
    const trend = lagTrend(samples([60, 50, 40, 30], 1000), 5000);
    assert.equal(describeTrend(trend!), "draining ~10s/s, ~3s to go");
  });

  it("keeps only the last five minutes of samples", () => {
    let kept: LagSample[] = [];
    for (let i = 0; i < 40; i++) kept = keepRecent(kept, { at: T0 + i * 60_000, lagMs: i });
    assert.deepEqual(
      kept.map((s) => (s.at - T0) / 60_000),
      [34, 35, 36, 37, 38, 39],
    );
  });
});

describe("wait: the lag's trend on the progress line, against the simulator", function () {
  this.timeout(30_000);
  let sim: Simulator;
  afterEach(() => sim?.stop());
  const TOKEN = "lag-trend-token";
  /** A job whose lag moves by `stepS` every second from `fromS`. */
  const start = async (fromS: number, stepS: number, steps: number) => {
    sim = await startSimulator({
      scenario: {
        auth: { token: TOKEN },
        jobs: [
          {
            id: "job",
            timeline: Array.from({ length: steps }, (_, i) => ({
              at: `${i}s`,
              status: "INCRE_TRANSFER_STARTED",
              lag: `${fromS + i * stepS}s`,
            })),
          },
        ],
      },
    });
  };
  const lines = async (timeout: string) => {
    const seen: string[] = [];
    await waitForJobs(["job"], {
      endpoint: sim.url,
      projectId: sim.projectId,
      authToken: TOKEN,
      env: {},
      pollInterval: "500ms",
      timeout,
      maxReplicationLag: "5s",
      onProgress: (p) => seen.push(summarize(p)),
    }).catch(() => undefined);
    return seen;
  };

  it("a draining lag shows its pace and the time to the maximum, once the polls support it", async () => {
    await start(60, -8, 8); // 60 s, 52 s, ... 4 s
    const seen = await lines("20s");
    assert.doesNotMatch(seen[0], /draining/, "one poll supports no trend");
    assert.ok(
      seen.some((l) => /lag \d+s \(max 5s\), draining ~[\d.]+s\/s, ~\d+s to go/.test(l)),
      seen.join("\n"),
    );
  });

  it("a growing lag shows rising", async () => {
    await start(10, 6, 8);
    const seen = await lines("4s");
    assert.ok(
      seen.some((l) => /lag \d+s \(max 5s\), rising/.test(l)),
      seen.join("\n"),
    );
  });
});
