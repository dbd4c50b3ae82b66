// A `node` that fails when called, to put first on PATH: proof that what runs needs no
// Node.js (the plugin's self-contained binary, a YAML or Python program).
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { outsideDir } from "./outside";

export interface FailingNode {
  /** The folder holding it: put it first on PATH. */
  bin: string;
  /** Whether anything called it. */
  called(): boolean;
}

export function failingNode(): FailingNode {
  const bin = outsideDir("failing-node");
  const marker = path.join(bin, "called");
  writeFileSync(
    path.join(bin, "node"),
    `#!/bin/sh\necho "$@" >>"${marker}"\necho "node must not be called here" >&2\nexit 97\n`,
    { mode: 0o755 },
  );
  return { bin, called: () => existsSync(marker) };
}
