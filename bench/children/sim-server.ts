// A simulator in a process of its own, so that the benchmark process's CPU time is the
// client's alone. Prints one JSON line {url, projectId, batchStatusUrl}; stops on SIGTERM.
// Usage: sim-server.ts JOB_COUNT TOKEN
import { generateJobs, startSimulator } from "../../src/sim";

async function main(): Promise<void> {
  const [count, token] = process.argv.slice(2);
  const sim = await startSimulator({
    scenario: { auth: { token }, jobs: generateJobs(Number(count)) },
  });
  const { url, projectId, batchStatusUrl } = sim;
  process.stdout.write(`${JSON.stringify({ url, projectId, batchStatusUrl })}\n`);
  process.once("SIGTERM", () => void sim.stop().then(() => process.exit(0)));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
