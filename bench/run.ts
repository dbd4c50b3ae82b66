// `npm run bench [-- --quick] [-- --only NAME[,NAME]]`: runs the benchmarks one after another,
// prints each table as it is done and writes them all to docs/BENCHMARKS.md, or with --quick to
// .tmp/BENCHMARKS.quick.md, so indicative numbers never replace the committed full-mode record.
// With --only, the other sections of that file are kept as they were.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { apiCost } from "./api-cost";
import { clientOverhead } from "./client-overhead";
import { compareCost } from "./compare-cost";
import { lagCost } from "./lag-cost";
import { describeMachine, machineMarkdown } from "./machine";
import { memory } from "./memory";
import { pulumiOverhead } from "./pulumi-overhead";
import { reactionTime } from "./reaction-time";
import { repoRoot, type Benchmark, type Section } from "./support";

const BENCHMARKS: Benchmark[] = [
  apiCost,
  clientOverhead,
  reactionTime,
  pulumiOverhead,
  memory,
  lagCost,
  compareCost,
];
const FULL_DOC = path.join(repoRoot, "docs", "BENCHMARKS.md");
const QUICK_DOC = path.join(repoRoot, ".tmp", "BENCHMARKS.quick.md");

interface Args {
  quick: boolean;
  only?: Set<string>;
}

function usage(): string {
  const names = BENCHMARKS.map((b) => b.name).join(", ");
  return `usage: npm run bench -- [--quick] [--only NAME[,NAME...]]\n  NAME: ${names}`;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { quick: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--quick") args.quick = true;
    else if (arg === "--only" || arg.startsWith("--only=")) {
      const value = arg === "--only" ? argv[++i] : arg.slice("--only=".length);
      if (!value) throw new Error(`--only needs a name\n${usage()}`);
      args.only ??= new Set();
      for (const name of value.split(",")) {
        if (!BENCHMARKS.some((b) => b.name === name)) {
          throw new Error(`unknown benchmark "${name}"\n${usage()}`);
        }
        args.only.add(name);
      }
    } else if (arg === "--help" || arg === "-h") {
      console.log(usage());
      process.exit(0);
    } else throw new Error(`unknown argument "${arg}"\n${usage()}`);
  }
  return args;
}

const begin = (name: string) => `<!-- bench:${name} -->`;
const end = (name: string) => `<!-- /bench:${name} -->`;

function sectionMarkdown(section: Section, measured: string): string {
  return [
    `## ${section.title}`,
    "",
    `_Measured ${measured}._`,
    "",
    section.method,
    "",
    section.table,
    ...(section.notes ? ["", section.notes] : []),
  ].join("\n");
}

/** The sections kept from the current file, by name (for --only). */
function previousSections(doc: string): Map<string, string> {
  const kept = new Map<string, string>();
  if (!existsSync(doc)) return kept;
  const text = readFileSync(doc, "utf8");
  for (const { name } of BENCHMARKS) {
    const from = text.indexOf(begin(name));
    const to = text.indexOf(end(name));
    if (from >= 0 && to > from) kept.set(name, text.slice(from, to + end(name).length));
  }
  return kept;
}

function document(machine: string, sections: Map<string, string>): string {
  return [
    "# Benchmarks",
    "",
    "Written by `npm run bench` (`bench/run.ts`); run it again rather than editing this file.",
    "`npm run bench -- --quick` gives indicative numbers in about a minute, written to",
    "`.tmp/BENCHMARKS.quick.md` rather than here;",
    "`npm run bench -- --only NAME` re-measures one section and keeps the others.",
    "Benchmarks measure, they assert nothing. Each cell is the median over the runs, with",
    "the spread (min–max) in parentheses when the runs differ.",
    "",
    "## Machine",
    "",
    machine,
    "",
    ...BENCHMARKS.flatMap(({ name }) => {
      const section = sections.get(name);
      return section ? [section, ""] : [];
    }),
  ].join("\n");
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const mode = args.quick ? "quick mode" : "full mode";
  const machine = describeMachine();
  const selected = BENCHMARKS.filter((b) => !args.only || args.only.has(b.name));
  const doc = args.quick ? QUICK_DOC : FULL_DOC;
  const sections = args.only ? previousSections(doc) : new Map<string, string>();
  const started = performance.now();
  const log = (message: string) =>
    process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1)}s] ${message}\n`);
  console.log(`# Benchmarks (${mode})\n\n${machineMarkdown(machine, mode)}\n`);

  let failed = 0;
  for (const benchmark of selected) {
    log(`${benchmark.name}: starting`);
    const measured = `${new Date().toISOString().replace(/\.\d+Z$/, "Z")}, ${mode}`;
    let markdown: string;
    try {
      const section = await benchmark.run({ quick: args.quick, log });
      markdown = sectionMarkdown(section, measured);
    } catch (err) {
      failed += 1;
      const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
      log(`${benchmark.name}: failed: ${message}`);
      markdown = `## ${benchmark.name}\n\n_Failed (${measured}): ${message.split("\n")[0]}_`;
    }
    console.log(`${markdown}\n`);
    sections.set(benchmark.name, `${begin(benchmark.name)}\n${markdown}\n${end(benchmark.name)}`);
    log(`${benchmark.name}: done`);
  }
  mkdirSync(path.dirname(doc), { recursive: true });
  writeFileSync(doc, document(machineMarkdown(machine, mode), sections));
  log(`wrote ${path.relative(repoRoot, doc)}${failed ? ` (${failed} failed)` : ""}`);
  // Keep-alive sockets and child processes are closed by each benchmark; exit regardless.
  process.exit(failed ? 1 : 0);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(2);
});
