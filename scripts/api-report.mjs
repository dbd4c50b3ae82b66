#!/usr/bin/env node
// The public API reports (docs/api/*.api.md), one per entry point in package.json "exports",
// made by API Extractor with the settings in api-extractor.json.
//
//   node scripts/api-report.mjs           check (npm run lint): fails when a report is stale
//   node scripts/api-report.mjs --local   rewrite the reports (npm run api)
//
// It emits its own declarations into .tmp/api/dts first, so it never reads a stale dist/ and
// `npm run lint` works before `npm run build`. API Extractor takes one entry per run; the runs
// share one TypeScript program.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CompilerState, Extractor, ExtractorConfig } from "@microsoft/api-extractor";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const local = process.argv.includes("--local");
const dts = path.join(root, ".tmp/api/dts");
// The dynamic-provider shim's private door (src/pulumi/shim.ts): exported so that the provider
// process can load it by package name, not promised to users.
const UNPROMISED = new Set(["./provider", "./package.json"]);
// The simulator is a test tool with a looser promise: a type it uses without exporting is
// noted in its report (for review) instead of failing, as in the library entries.
const LOOSE = new Set(["./sim"]);

const require = createRequire(import.meta.url);
execFileSync(
  process.execPath,
  [
    require.resolve("typescript/bin/tsc"),
    ...["-p", "tsconfig.build.json", "--emitDeclarationOnly", "--sourceMap", "false"],
    ...["--declarationMap", "false", "--outDir", dts],
  ],
  { cwd: root, stdio: "inherit" },
);

const packageJsonFullPath = path.join(root, "package.json");
const { exports } = JSON.parse(readFileSync(packageJsonFullPath, "utf8"));
const entries = Object.entries(exports)
  .filter(([subpath]) => !UNPROMISED.has(subpath))
  .map(([subpath, target]) => ({
    // "." is the main entry; "./client" reports as client.api.md.
    report: subpath === "." ? "main" : subpath.slice(2).replaceAll("/", "-"),
    subpath,
    file: path.join(dts, path.relative("dist", target.types)),
  }));

const configObjectFullPath = path.join(root, "api-extractor.json");
const base = ExtractorConfig.loadFile(configObjectFullPath);
const looseMessages = {
  ...base.messages,
  extractorMessageReporting: {
    ...base.messages.extractorMessageReporting,
    "ae-forgotten-export": { logLevel: "warning", addToApiReportFile: true },
  },
};
const configFor = (entry) =>
  ExtractorConfig.prepare({
    configObject: {
      ...base,
      mainEntryPointFilePath: entry.file,
      apiReport: { ...base.apiReport, reportFileName: entry.report },
      messages: LOOSE.has(entry.subpath) ? looseMessages : base.messages,
    },
    configObjectFullPath,
    packageJsonFullPath,
  });
const compilerState = CompilerState.create(configFor(entries[0]), {
  additionalEntryPoints: entries.map((e) => e.file),
});

let failed = false;
for (const entry of entries) {
  const result = Extractor.invoke(configFor(entry), {
    localBuild: local,
    compilerState,
    messageCallback(message) {
      // The banner and "analysis will use TypeScript x" lines, once per entry, are noise.
      if (message.category === "console" && message.logLevel !== "error") {
        message.handled = message.messageId !== "console-api-report-changed" || local;
      }
    },
  });
  const name = `pulumi-drs-jobs${entry.subpath === "." ? "" : entry.subpath.slice(1)}`;
  if (!result.succeeded) {
    failed = true;
    console.error(
      result.apiReportChanged && !local
        ? `api: the public API of ${name} changed; if that is meant, run \`npm run api\` and commit docs/api/${entry.report}.api.md`
        : `api: ${name}: ${result.errorCount} errors, ${result.warningCount} warnings`,
    );
  } else if (local && result.apiReportChanged) {
    console.log(`api: updated docs/api/${entry.report}.api.md`);
  }
}
process.exitCode = failed ? 1 : 0;
