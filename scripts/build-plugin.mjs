#!/usr/bin/env node
// npm run build:plugin: the `drs` resource plugin, bundled into one self-contained CommonJS
// file and packed as an archive that
//   pulumi plugin install resource drs <version> --file <archive>
// accepts. Prints the archive's path on stdout.
//
// The bundle must run outside this repository, where no node_modules is there to hide a
// missing dependency: the build fails when the bundle still requires anything that is not
// Node's own (checked from esbuild's metafile and again in the output's text).
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { name, version } = JSON.parse(readFileSync(path.join(repo, "package.json"), "utf8"));
const out = path.join(repo, "dist-plugin");
const stage = path.join(out, "stage");
rmSync(out, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });

// Modules @pulumi/pulumi requires lazily for features the plugin never uses (compiling a
// TypeScript program, the closure serializer's package tree). None is reached from
// src/plugin/main.ts today; if one ever is, the build fails here rather than shipping a
// bundle that dies on a user's machine.
const NEVER_LOADED = /^(typescript|ts-node|read-package-tree)(\/|$)/;

/** esbuild plugin: the lazy lookups the plugin never needs become errors or stubs. */
const selfContained = {
  name: "self-contained",
  setup(b) {
    b.onResolve({ filter: NEVER_LOADED }, (args) => ({
      errors: [
        {
          text: `${args.path} is required by ${path.relative(repo, args.importer)}: the plugin must not load it`,
        },
      ],
    }));
    // engine-log.ts finds @pulumi/pulumi's gRPC modules at run time (require.resolve) in the
    // dynamic-provider process; the plugin hands it its bundled ones (useEngineModules).
    b.onResolve({ filter: /^\.\/engine-modules$/ }, (args) =>
      args.importer.endsWith(path.join("src", "pulumi", "engine-log.ts"))
        ? { path: "engine-modules", namespace: "drs-plugin-stub" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "drs-plugin-stub" }, () => ({
      contents:
        'exports.pulumiModules = () => { throw new Error("the drs plugin passes its own gRPC modules (useEngineModules)"); };',
      loader: "js",
    }));
  },
};

const bundleFile = path.join(stage, "pulumi-resource-drs.js");
const result = await build({
  entryPoints: [path.join(repo, "src/plugin/main.ts")],
  outfile: bundleFile,
  bundle: true,
  platform: "node",
  target: "node22",
  format: "cjs",
  minify: true,
  sourcemap: false,
  legalComments: "linked",
  logLevel: "warning",
  metafile: true,
  plugins: [selfContained],
  // What src/util/package-info.ts would read from package.json.
  define: { __DRS_PACKAGE__: JSON.stringify({ name, version }) },
  // Checked before anything else loads: @pulumi/pulumi needs Node 22.
  banner: {
    js: 'if(+process.versions.node.split(".")[0]<22){console.error(`pulumi-resource-drs needs Node.js 22 or newer on PATH (found ${process.version})`);process.exit(1)}',
  },
});
assertSelfContained(result.metafile, readFileSync(bundleFile, "utf8"));

/** Fails the build when the bundle would load anything but Node's own modules at run time. */
function assertSelfContained(metafile, code) {
  const problems = [];
  for (const output of Object.values(metafile.outputs)) {
    for (const imported of output.imports) {
      if (imported.external && !isBuiltin(imported.path)) {
        problems.push(`${imported.kind} of "${imported.path}" left external`);
      }
    }
  }
  // What esbuild could not see: a require or import() of a computed name, require.resolve.
  for (const match of code.matchAll(/(?<![\w$.])(require|import)\s*\(\s*([^)]{0,80})/g)) {
    const literal = /^(["'`])([^"'`]*)\1\s*$/.exec(match[2]);
    if (!literal || !isBuiltin(literal[2])) problems.push(`${match[1]}(${match[2]}`);
  }
  if (/(?<![\w$])require\.resolve\b/.test(code)) problems.push("require.resolve");
  if (problems.length > 0) {
    console.error(
      `build-plugin: the bundle is not self-contained; it would load at run time:\n  ${problems.join("\n  ")}`,
    );
    process.exit(1);
  }
}

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
