// Question 7: what does the comparison gate cost? DRS requests per gate of 10 jobs with
// `compare: ["lines"]`, by kind, counted by the simulator: comparisons have no batch form, so
// every comparison request is per job.
import { DrsClient } from "../src/api";
import { startSimulator, type Simulator } from "../src/sim";
import { waitForJobs } from "../src/wait";
import { connection, jobIds, TOKEN, type Benchmark, type Section } from "./support";
import { markdownTable } from "./table";

const JOBS = 10;
const DATABASES = 4;
const TABLES_PER_DB = 5;

interface Case {
  label: string;
  /** A table per job differs (the comparison ends at once, so one look). */
  differs?: boolean;
  /** A DBA's comparison is running on every job before the gate starts. */
  adopt?: boolean;
  compare: boolean;
}

type Counts = Record<string, number>;

function tables(differs: boolean) {
  return Array.from({ length: DATABASES * TABLES_PER_DB }, (_, i) => ({
    db: `db${Math.floor(i / TABLES_PER_DB)}`,
    table: `t${i % TABLES_PER_DB}`,
    source: 1000 + i,
    target: differs && i === 0 ? 999 : 1000 + i,
  }));
}

/** `list`, `create`, `overview`, `detail` or the request kind, for one logged request. */
function label(kind: string, method: string, path: string): string {
  if (kind !== "compare") return kind;
  if (method === "POST") return "create";
  if (path.endsWith("/table/compare")) return "list";
  if (path.endsWith("-overview")) return "overview";
  if (path.endsWith("-detail")) return "detail";
  return "other";
}

async function runCase(c: Case): Promise<{ counts: Counts; outcome: string }> {
  const ids = jobIds(JOBS, "c0");
  const sim: Simulator = await startSimulator({
    scenario: {
      auth: { token: TOKEN },
      jobs: ids.map((id) => ({
        id,
        status: "INCRE_TRANSFER_STARTED",
        compare: { duration: c.differs ? "0s" : "1h", tables: tables(c.differs === true) },
      })),
    },
  });
  try {
    const client = new DrsClient(connection(sim));
    if (c.adopt) for (const id of ids) await client.createComparison(id, "lines");
    sim.clearRequestLog();
    let ended = false;
    const outcome = await waitForJobs(ids, {
      client,
      pollInterval: "1s",
      timeout: "2m",
      ...(c.compare && { compare: ["lines"] }),
      onProgress: () => {
        // Every comparison seen running once: let the simulated hour pass.
        const looks = sim.requestLog().filter((e) => e.path.endsWith("/line-overview")).length;
        if (!ended && looks >= JOBS) {
          ended = true;
          sim.advanceClock("1h");
        }
      },
    }).then(
      () => "opened",
      (err: Error) => err.name,
    );
    const counts: Counts = {};
    for (const e of sim.requestLog()) {
      const key = label(e.kind, e.method, e.path);
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return { counts, outcome };
  } finally {
    await sim.stop();
  }
}

export const compareCost: Benchmark = {
  name: "compare-cost",
  async run({ log }): Promise<Section> {
    const cases: Case[] = [
      { label: "no compare", compare: false },
      { label: "compare lines, all equal, seen running once", compare: true },
      { label: "compare lines, a DBA's comparison adopted", compare: true, adopt: true },
      { label: "compare lines, one table per job differs", compare: true, differs: true },
    ];
    const cells: string[][] = [];
    for (const c of cases) {
      const { counts, outcome } = await runCase(c);
      const per = (key: string) => String(counts[key] ?? 0);
      const compareTotal = ["list", "create", "overview", "detail", "other"].reduce(
        (n, k) => n + (counts[k] ?? 0),
        0,
      );
      log(`compare-cost: ${c.label}: ${JSON.stringify(counts)} (${outcome})`);
      cells.push([
        c.label,
        outcome,
        per("batch-status"),
        per("list"),
        per("create"),
        per("overview"),
        per("detail"),
        String(compareTotal),
        (compareTotal / JOBS).toFixed(1),
      ]);
    }
    return {
      title: "7. API cost of the comparison gate: requests per gate",
      method: [
        `One \`waitForJobs\` over ${JOBS} jobs in \`INCRE_TRANSFER_STARTED\`, poll interval 1 s,`,
        `each job with ${DATABASES} databases × ${TABLES_PER_DB} tables. With \`compare: ["lines"]\``,
        "each job's comparison is looked at once when started and then every 15 s; the",
        "simulated hour it runs passes once every job's comparison was seen running, so the",
        "second look sees it ended (the differing case ends at once: one look). Requests are",
        "counted by the simulator; comparison requests by what they ask.",
      ].join("\n"),
      table: markdownTable(
        [
          "case",
          "outcome",
          "batch-status",
          "list",
          "create",
          "overview",
          "detail",
          "comparison requests",
          "per job",
        ],
        cells,
        ["left", "left", "right", "right", "right", "right", "right", "right", "right"],
      ),
      notes: [
        "Without `compare` no comparison request is sent. With it, per job: one list and one",
        "create (only the list when adopting), then a list and an overview per look, and one",
        "line-detail per database with a differing table once it ended. The batch-status",
        "polls go on meanwhile (one per poll interval per 100 jobs), so a job that fails during",
        "the comparison still fails the gate. A comparison that finds a table different fails the",
        "gate once the fetch that saw it ends (every job asked in that tick is reported); the",
        "comparisons of other jobs keep running in DRS (the gate never cancels one).",
      ].join("\n"),
    };
  },
};
