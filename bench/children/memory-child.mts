// A process whose peak memory is measured. Prints one JSON line (MemoryReport) and exits.
// Run by plain node (its type stripping; hence .mts), not tsx, so no loader inflates the numbers.
// Usage: memory-child.mts bare
//        memory-child.mts idle ENTRY
//        memory-child.mts wait ENTRY URL PROJECT_ID TOKEN JOB_IDS_FILE POLL_INTERVAL
//        memory-child.mts fetch - URL PROJECT_ID TOKEN JOB_IDS_FILE POLL_INTERVAL_MS POLLS
// ENTRY "package" loads "pulumi-drs-jobs" as users do (dist/, @pulumi/pulumi included);
// "wait-module" loads only dist/wait (waitForJobs and the client, no @pulumi/pulumi).
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

/** Read by bench/memory.ts (its MemoryReport). */
interface MemoryReport {
  /** process.resourceUsage().maxRSS: the peak resident set, in KiB. */
  maxRssKiB: number;
  heapUsedBytes: number;
  polls?: number;
}

type WaitModule = Pick<typeof import("pulumi-drs-jobs"), "waitForJobs">;

function report(polls?: number): void {
  const report: MemoryReport = {
    maxRssKiB: process.resourceUsage().maxRSS,
    heapUsedBytes: process.memoryUsage().heapUsed,
    polls,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

async function load(entry: string): Promise<WaitModule> {
  if (entry === "package") return import("pulumi-drs-jobs");
  if (entry === "wait-module") {
    return import(new URL("../../dist/wait/index.js", import.meta.url).href) as Promise<WaitModule>;
  }
  throw new Error(`unknown entry "${entry}"`);
}

/** The same requests as the wait's polls, by hand: what the HTTP stack alone costs. */
async function bareFetchPolls(
  jobIds: string[],
  batchStatusUrl: string,
  token: string,
  schedule: { intervalMs: number; polls: number },
): Promise<void> {
  const headers = { "Content-Type": "application/json", "X-Auth-Token": token };
  for (let poll = 0; poll < schedule.polls; poll++) {
    if (poll > 0) await sleep(schedule.intervalMs);
    for (let i = 0; i < jobIds.length; i += 100) {
      const jobs = jobIds.slice(i, i + 100);
      const body = JSON.stringify({ jobs, page_req: { cur_page: 1, per_page: jobs.length } });
      const response = await fetch(batchStatusUrl, { method: "POST", headers, body });
      await response.json();
    }
  }
}

async function main(): Promise<void> {
  const [mode, entry, url, projectId, token, jobIdsFile, pollInterval, polls] =
    process.argv.slice(2);
  if (mode === "bare") {
    await sleep(300);
    return report();
  }
  if (mode === "fetch") {
    const jobIds = JSON.parse(readFileSync(jobIdsFile, "utf8")) as string[];
    await bareFetchPolls(jobIds, `${url}/v3/${projectId}/jobs/batch-status`, token, {
      intervalMs: Number(pollInterval),
      polls: Number(polls),
    });
    return report(Number(polls));
  }
  const { waitForJobs } = await load(entry);
  if (mode === "idle") {
    await sleep(300);
    return report();
  }
  const jobIds = JSON.parse(readFileSync(jobIdsFile, "utf8")) as string[];
  const result = await waitForJobs(jobIds, {
    endpoint: url,
    projectId,
    authToken: token,
    env: {},
    pollInterval,
    timeout: "5m",
  });
  report(result.polls);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
