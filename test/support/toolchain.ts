// The language hosts a test needs, from scripts/toolchain (the one place that knows how to get
// them): `--with yaml,python,nodejs-host`, built on first use and cached. scripts/test asks for
// all of them before mocha starts, so there this only reads the exports back; a single test
// file run alone may build one here (minutes, once per machine).
import { execFileSync } from "node:child_process";
import path from "node:path";
import { REPO_ROOT } from "./outside";

export type ToolchainPart = "yaml" | "python" | "nodejs-host";

const ready = new Set<ToolchainPart>();

/** Makes the parts available to this process and the CLIs it starts (PATH and variables). */
export function ensureToolchain(parts: ToolchainPart[]): void {
  const missing = parts.filter((part) => !ready.has(part));
  if (missing.length === 0) return;
  const exports = execFileSync(
    path.join(REPO_ROOT, "scripts/toolchain"),
    ["--with", missing.join(",")],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], timeout: 20 * 60_000 },
  );
  for (const line of exports.split("\n")) {
    const match = /^export ([A-Z_]+)="?(.*?)"?$/.exec(line);
    if (!match) continue;
    const [, name, value] = match;
    process.env[name] = value.replace(/\$PATH$/, process.env.PATH ?? "");
  }
  for (const part of missing) ready.add(part);
}
