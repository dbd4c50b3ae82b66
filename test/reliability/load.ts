// Bounded loopback load: many concurrent clients against the simulator for a fixed time, and
// many waiters on one shared poller. Used by load.test.ts (asserts zero errors) and by
// load-report.ts (prints the numbers docs/RELIABILITY.md records).
import { Agent, request } from "node:http";
import { DrsClient } from "../../src/api/client";
import { generateJobs, startSimulator } from "../../src/sim";
import { waitForJobs } from "../../src/wait";

export interface LatencyStats {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function percentiles(samples: number[]): LatencyStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0;
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    count: sorted.length,
    p50: round(at(0.5)),
    p90: round(at(0.9)),
    p99: round(at(0.99)),
    max: round(sorted.at(-1) ?? 0),
  };
}

export interface SimulatorLoadResult {
  clients: number;
  durationMs: number;
  requests: number;
  errors: number;
  firstErrors: string[];
  requestsPerSecond: number;
  latencyMs: LatencyStats;
  /** Without each client's first request (connection setup while 300 connect at once). */
  steadyLatencyMs: LatencyStats;
}

/**
 * `clients` concurrent keep-alive clients, each sending batch-status requests for 100 jobs
 * back to back for `durationMs`. An error is anything but a 200 with 100 results.
 */
export async function loadSimulator(
  clients: number,
  durationMs: number,
): Promise<SimulatorLoadResult> {
  const jobs = generateJobs(5000, { prefix: "load" });
  const sim = await startSimulator({
    scenario: { auth: { token: "load-token-0123" }, jobs },
    requestLogLimit: 1000,
  });
  const ids = jobs.map((job) => job.id);
  const latencies: number[] = [];
  const steady: number[] = [];
  const firstErrors: string[] = [];
  let errors = 0;
  const end = performance.now() + durationMs;
  const started = performance.now();
  const one = (agent: Agent, n: number) =>
    new Promise<void>((resolve) => {
      const offset = (n * 100) % ids.length;
      const body = JSON.stringify({
        jobs: ids.slice(offset, offset + 100),
        page_req: { cur_page: 1, per_page: 100 },
      });
      const t0 = performance.now();
      const fail = (why: string) => {
        errors += 1;
        if (firstErrors.length < 5) firstErrors.push(why);
        resolve();
      };
      const req = request(
        sim.batchStatusUrl,
        {
          method: "POST",
          agent,
          headers: { "Content-Type": "application/json", "X-Auth-Token": "load-token-0123" },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (d) => (text += d));
          res.on("end", () => {
            latencies.push(performance.now() - t0);
            if (n >= clients) steady.push(performance.now() - t0);
            if (res.statusCode !== 200) return fail(`HTTP ${res.statusCode}`);
            try {
              const count = (JSON.parse(text) as { results: unknown[] }).results.length;
              if (count !== 100) return fail(`${count} results`);
            } catch (err) {
              return fail(String(err));
            }
            resolve();
          });
          res.on("error", (err) => fail(String(err)));
        },
      );
      req.on("error", (err) => fail(String(err)));
      req.end(body);
    });
  const agents: Agent[] = [];
  try {
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        const agent = new Agent({ keepAlive: true, maxSockets: 1 });
        agents.push(agent);
        for (let n = c; performance.now() < end; n += clients) await one(agent, n);
      }),
    );
  } finally {
    agents.forEach((agent) => agent.destroy());
    await sim.stop();
  }
  const elapsed = performance.now() - started;
  return {
    clients,
    durationMs,
    requests: latencies.length,
    errors,
    firstErrors,
    requestsPerSecond: Math.round((latencies.length / elapsed) * 1000),
    latencyMs: percentiles(latencies),
    steadyLatencyMs: percentiles(steady),
  };
}

export interface PollerLoadResult {
  waiters: number;
  jobs: number;
  errors: number;
  firstErrors: string[];
  batchRequests: number;
  ticks: number;
  /** From the moment the jobs turned ready to each wait's resolution. */
  openLatencyMs: LatencyStats;
}

/**
 * `waiters` waitForJobs calls over `jobCount` jobs (disjoint slices), all on one shared
 * poller; the jobs turn ready after `readyAfterMs`. An error is a wait that does not resolve.
 */
export async function loadPoller(
  waiters: number,
  jobCount: number,
  readyAfterMs: number,
  pollInterval = "500ms",
): Promise<PollerLoadResult> {
  const sim = await startSimulator({
    scenario: { auth: { token: "load-token-0123" } },
    requestLogLimit: 1000,
  });
  const jobs = generateJobs(jobCount, {
    prefix: "wait",
    timeline: [{ at: 0, status: "FULL_TRANSFER_STARTED" }],
  });
  sim.addJobs(jobs);
  const started = performance.now();
  // The jobs turn ready between two ticks, at the first poll result after readyAfterMs: a
  // tick's 50 sequential requests must all see the same state, or a flip in the middle of one
  // would make the count depend on the machine's speed rather than on the batching.
  let readyWall: number | undefined;
  const flipWhenDue = () => {
    if (readyWall !== undefined || performance.now() - started < readyAfterMs) return;
    readyWall = performance.now();
    for (const job of jobs) sim.setJobStatus(job.id, "INCRE_TRANSFER_STARTED");
  };
  const client = new DrsClient({
    endpoint: sim.url,
    projectId: sim.projectId,
    authToken: "load-token-0123",
    env: {},
  });
  const per = Math.ceil(jobCount / waiters);
  const opened: number[] = [];
  const firstErrors: string[] = [];
  let errors = 0;
  try {
    await Promise.all(
      Array.from({ length: waiters }, async (_, w) => {
        const ids = jobs.slice(w * per, (w + 1) * per).map((job) => job.id);
        if (ids.length === 0) return;
        try {
          await waitForJobs(ids, { client, pollInterval, timeout: "60s", onProgress: flipWhenDue });
          opened.push(performance.now() - (readyWall ?? started));
        } catch (err) {
          errors += 1;
          if (firstErrors.length < 5) firstErrors.push(String(err).slice(0, 200));
        }
      }),
    );
    const batchRequests = sim.counters().byKind["batch-status"] ?? 0;
    return {
      waiters,
      jobs: jobCount,
      errors,
      firstErrors,
      batchRequests,
      ticks: Math.round(batchRequests / Math.ceil(jobCount / 100)),
      openLatencyMs: percentiles(opened),
    };
  } finally {
    await sim.stop();
  }
}
