// Prints the measured numbers docs/RELIABILITY.md records. Run by hand, on a quiet machine:
//   eval "$(scripts/toolchain)"; npx tsx test/reliability/load-report.ts
// Not a test: load.test.ts asserts the zero-error part in CI.
import os from "node:os";
import { startSimulator } from "../../src/sim";
import { loadPoller, loadSimulator, percentiles } from "./load";
import { cliEnv, drsJobs } from "./support";

async function sigintLatency(runs: number) {
  const samples: number[] = [];
  const codes: Array<number | null> = [];
  for (let i = 0; i < runs; i++) {
    const sim = await startSimulator({
      scenario: {
        auth: { token: "rel-token-7d1e4c0b9a8f4e2d" },
        jobs: [{ id: "a", status: "CREATING" }],
      },
    });
    try {
      const run = await drsJobs(["wait", "--interval", "1s", "a"], cliEnv(sim), {
        interruptWhen: () => (sim.counters().byKind["batch-status"] ?? 0) >= 1,
      });
      codes.push(run.code);
      if (run.exitAfterSignalMs !== undefined) samples.push(run.exitAfterSignalMs);
    } finally {
      await sim.stop();
    }
  }
  return { codes, latencyMs: percentiles(samples) };
}

async function main() {
  console.log(
    `machine: ${os.cpus().length} cores (${os.cpus()[0]?.model}), node ${process.version}, load avg ${os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(" ")}`,
  );
  const simulator = await loadSimulator(300, 3000);
  console.log("simulator:", JSON.stringify(simulator));
  const poller = await loadPoller(200, 5000, 3000);
  console.log("poller:", JSON.stringify(poller));
  const sigint = await sigintLatency(5);
  console.log("sigint:", JSON.stringify(sigint));
}

// `npx mocha test/reliability` loads every file of the folder: run only when executed.
if (require.main === module) void main();
