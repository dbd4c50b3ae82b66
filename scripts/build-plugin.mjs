#!/usr/bin/env node
// npm run build:plugin: the `drs` resource plugin as an archive that
//   pulumi plugin install resource drs <version> --file <archive>
// accepts: a launcher script `pulumi-resource-drs` and one bundled, dependency-free JS file
// beside it. Node.js 22+ on PATH is all it needs. Prints the archive's path on stdout.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { name, version } = JSON.parse(readFileSync(path.join(repo, "package.json"), "utf8"));
const out = path.join(repo, "dist-plugin");
const stage = path.join(out, "stage");
rmSync(out, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });

await build({
  entryPoints: [path.join(repo, "src/plugin/main.ts")],
  outfile: path.join(stage, "pulumi-resource-drs.js"),
  bundle: true,
  platform: "node",
  target: "node22",
  format: "cjs",
  minify: true,
  sourcemap: false,
  legalComments: "linked",
  logLevel: "warning",
  // What src/util/package-info.ts would read from package.json.
  define: { __DRS_PACKAGE__: JSON.stringify({ name, version }) },
  // Checked before anything else loads: @pulumi/pulumi needs Node 22.
  banner: {
    js: 'if(+process.versions.node.split(".")[0]<22){console.error(`pulumi-resource-drs needs Node.js 22 or newer on PATH (found ${process.version})`);process.exit(1)}',
  },
  // Optional or development-only modules @pulumi/pulumi requires lazily; never reached here.
  external: ["typescript", "ts-node", "@opentelemetry/*", "read-package-tree"],
  logOverride: { "require-resolve-not-external": "silent" },
});

const launcher = path.join(stage, "pulumi-resource-drs");
writeFileSync(
  launcher,
  `#!/bin/sh
# The drs provider plugin: Node.js 22+ from PATH runs the bundled provider beside this script.
exec node "$(dirname "$0")/pulumi-resource-drs.js" "$@"
`,
);
chmodSync(launcher, 0o755);

const archive = path.join(out, `pulumi-resource-drs-v${version}.tar.gz`);
execFileSync("tar", ["-czf", archive, "-C", stage, "."]);
console.log(archive);
