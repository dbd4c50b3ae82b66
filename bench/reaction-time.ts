// Question 3: how long after the last job turns ready does waitForJobs resolve? Bounded by
// the poll interval: the flip lands at a random moment within a tick and waits for the next.
import { performance } from "node:perf_hooks";
import { waitForJobs } from "../src/wait";
import {
  connection,
  jobIds,
  simulatorWith,
  sleep,
  type BenchContext,
  type Benchmark,
  type Section,
} from "./support";
import { fmt, markdownTable, max, median, min, ms, quantile, ratio } from "./table";

const READY = "INCRE_TRANSFER_STARTED";
const JOBS = 100;

/** One wait on its own simulator (so its own poller); the last job flips at a random moment. */
async function reaction(intervalMs: number): Promise<number> {
  const ids = jobIds(JOBS);
  const last = ids[ids.length - 1];
  const sim = await simulatorWith(ids);
  try {
    for (const id of ids.slice(0, -1)) sim.setJobStatus(id, READY);
    let flippedAt = NaN;
    let flipTimer: NodeJS.Timeout | undefined;
    const wait = waitForJobs(ids, {
      ...connection(sim),
      pollInterval: `${intervalMs}ms`,
      timeout: "2m",
      onProgress: (progress) => {
        if (progress.polls !== 1) return;
        // Somewhere in the second tick after the first poll: a uniformly random phase.
        flipTimer = setTimeout(
          () => {
            flippedAt = performance.now();
            sim.setJobStatus(last, READY);
          },
          intervalMs * (1 + Math.random()),
        );
      },
    });
    await wait;
    clearTimeout(flipTimer);
    return performance.now() - flippedAt;
  } finally {
    await sim.stop();
  }
}

export const reactionTime: Benchmark = {
  name: "reaction-time",
  async run(context: BenchContext): Promise<Section> {
    const intervals = [200, 500, 1000];
    const runs = context.quick ? 6 : 20;
    const rows: string[][] = [];
    for (const intervalMs of intervals) {
      // The runs go concurrently, each with its own simulator and poller, started at random
      // moments; each tick is one small request, so they barely share the event loop.
      const samples = await Promise.all(
        Array.from({ length: runs }, async () => {
          await sleep(Math.random() * intervalMs);
          return reaction(intervalMs);
        }),
      );
      context.log(`reaction-time: ${intervalMs} ms interval measured`);
      const p90 = quantile(samples, 0.9);
      rows.push([
        ms(intervalMs),
        String(runs),
        ms(median(samples)),
        ms(p90),
        `${fmt(min(samples))}–${fmt(max(samples))} ms`,
        ratio(median(samples) / intervalMs),
        ratio(p90 / intervalMs),
      ]);
    }
    return {
      title: "3. Reaction time: last job ready → waitForJobs resolves",
      method: [
        `One \`waitForJobs\` over ${JOBS} jobs (one request per tick), ${JOBS - 1} of them ready`,
        "from the start. After the first poll the simulator flips the last job to ready at a",
        "uniformly random moment within the next tick (in-process, so the flip time is exact);",
        "the reaction is from the flip until the promise resolves. The runs of an interval go",
        "concurrently, each against its own simulator, started at random moments.",
      ].join("\n"),
      table: markdownTable(
        [
          "poll interval",
          "runs",
          "reaction median",
          "reaction p90",
          "min–max",
          "median ÷ interval",
          "p90 ÷ interval",
        ],
        rows,
      ),
      notes: [
        "A flip at a uniform random phase waits on average half an interval for the next tick,",
        "so ≈ 0.5× (median) and ≈ 0.9× (p90) is the floor of any poller; the poller adds its",
        "±10 % jitter and one request's latency.",
      ].join("\n"),
    };
  },
};
