// Question 6: what does the lag gate cost? batch-status and batch-progress requests per tick
// when 50 waiters over 1,000 jobs gate on replication lag, against the floor
// ceil(jobs / 100) + ceil(incremental jobs / 100), counted by the simulator.
import { DrsClient } from "../src/api";
import { startSimulator, type Simulator } from "../src/sim";
import { waitForJobs } from "../src/wait";
import { connection, jobIds, sleep, TOKEN, type Benchmark, type Section } from "./support";
import { fmt, markdownTable, median, ratio, spread } from "./table";

const INTERVAL_MS = 200;
const WAITERS = 50;
const JOBS = 1000;

interface Case {
  label: string;
  /** How many of the jobs are in INCRE_TRANSFER_STARTED (the rest FULL_TRANSFER_STARTED). */
  incremental: number;
  lagGated: boolean;
}

interface Outcome {
  status: number;
  progress: number;
  ticks: number;
}

async function runCase(c: Case, pendingTicks: number): Promise<Outcome> {
  const ids = jobIds(JOBS, "1a6");
  const sim: Simulator = await startSimulator({
    scenario: {
      auth: { token: TOKEN },
      jobs: ids.map((id, i) => ({
        id,
        timeline: [
          i < c.incremental
            ? { at: "0s", status: "INCRE_TRANSFER_STARTED", lag: "60s" }
            : { at: "0s", status: "FULL_TRANSFER_STARTED" },
        ],
      })),
    },
  });
  try {
    const client = new DrsClient(connection(sim));
    const size = JOBS / WAITERS;
    let polls = 0;
    let drained = false;
    const waits = Array.from({ length: WAITERS }, (_, w) =>
      waitForJobs(ids.slice(w * size, (w + 1) * size), {
        client,
        pollInterval: `${INTERVAL_MS}ms`,
        timeout: "2m",
        ...(c.lagGated && { maxReplicationLag: "5s" }),
        onProgress: (p) => {
          if (w !== 0) return;
          polls = p.polls;
          // Every job drains (and full ones complete) once the first waiter has seen it held.
          if (!drained && polls >= pendingTicks) {
            drained = true;
            ids.forEach((id, i) =>
              sim.setJobStatus(
                id,
                i < c.incremental
                  ? { status: "INCRE_TRANSFER_STARTED", lag: "1s" }
                  : { status: "FULL_TRANSFER_COMPLETE" },
              ),
            );
          }
        },
      }),
    );
    const results = await Promise.all(waits);
    await sleep(50);
    const counters = sim.counters().byKind;
    return {
      status: counters["batch-status"] ?? 0,
      progress: counters["batch-progress"] ?? 0,
      ticks: Math.max(...results.map((r) => r.polls)),
    };
  } finally {
    await sim.stop();
  }
}

export const lagCost: Benchmark = {
  name: "lag-cost",
  async run({ quick, log }): Promise<Section> {
    const pendingTicks = quick ? 2 : 3;
    const runs = quick ? 1 : 5;
    const cases: Case[] = [
      { label: "no lag gate, 1,000 incremental jobs", incremental: 1000, lagGated: false },
      { label: "lag gate, 1,000 incremental jobs", incremental: 1000, lagGated: true },
      { label: "lag gate, 500 incremental + 500 full", incremental: 500, lagGated: true },
    ];
    const cells: string[][] = [];
    for (const c of cases) {
      const outcomes: Outcome[] = [];
      for (let r = 0; r < runs; r++) outcomes.push(await runCase(c, pendingTicks));
      const floor = Math.ceil(JOBS / 100) + (c.lagGated ? Math.ceil(c.incremental / 100) : 0);
      const perTick = outcomes.map((o) => (o.status + o.progress) / o.ticks);
      log(`lag-cost: ${c.label}: ${perTick.map((v) => v.toFixed(1)).join(", ")} requests/tick`);
      cells.push([
        c.label,
        fmt(floor, 0),
        spread(
          outcomes.map((o) => o.status / o.ticks),
          (v) => fmt(v, 1),
        ),
        spread(
          outcomes.map((o) => o.progress / o.ticks),
          (v) => fmt(v, 1),
        ),
        spread(perTick, (v) => fmt(v, 1)),
        ratio(median(perTick) / floor),
        spread(
          outcomes.map((o) => o.ticks),
          (v) => fmt(v, 0),
        ),
        String(runs),
      ]);
    }
    return {
      title: "6. API cost of the lag gate: batch-status + batch-progress per tick",
      method: [
        `${WAITERS} waiters × ${JOBS / WAITERS} jobs (${JOBS} jobs) started together on one`,
        "`DrsClient`, poll interval 200 ms. Incremental jobs start in `INCRE_TRANSFER_STARTED`",
        `with a 60 s lag, the others in \`FULL_TRANSFER_STARTED\`; once the first waiter has`,
        `polled ${pendingTicks} times the lag drops to 1 s and full jobs complete. Lag-gated`,
        'waiters use `maxReplicationLag: "5s"`. Requests are counted by the simulator by kind;',
        "ticks are the most polls any waiter made.",
        "",
        "The floor per tick is ceil(jobs / 100) batch-status requests plus, with the lag gate,",
        "ceil(incremental jobs / 100) batch-progress requests (only jobs in",
        "`INCRE_TRANSFER_STARTED` have a lag to read).",
      ].join("\n"),
      table: markdownTable(
        [
          "case",
          "floor / tick",
          "batch-status / tick",
          "batch-progress / tick",
          "total / tick",
          "÷ floor",
          "ticks",
          "runs",
        ],
        cells,
        ["left", "right", "right", "right", "right", "right", "right", "right"],
      ),
      notes: [
        "Without a lag gate no batch-progress request is sent at all. With it, every tick",
        "reads the lag of the incremental jobs only, 100 per request, shared by all waiters.",
      ].join("\n"),
    };
  },
};
