// A Pulumi project (YAML, or Python with its files) using the `drs` provider plugin: the
// release's linux-amd64 archive (a self-contained binary), installed into the project's own
// PULUMI_HOME as a user would install it. Projects live under os.tmpdir(), outside the repo.
import { tmpdir } from "node:os";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { release } from "../../support/release";
import { ensureToolchain } from "../../support/toolchain";
import { PulumiProject } from "./pulumi-cli";

/** The plugin archive for this machine (the tests run on linux-x64), from the release. */
export function pluginArchive(): string {
  return release().pluginArchive("linux-amd64");
}

export class PluginProject extends PulumiProject {
  constructor(
    name: string,
    pulumiYaml: string,
    extraEnv: NodeJS.ProcessEnv = {},
    files: Record<string, string> = {},
  ) {
    // Its language host first: the project's environment copies PATH.
    const runtime = /^runtime:\s*(?:\n\s+name:\s*)?(yaml|python)\b/m.exec(pulumiYaml)?.[1];
    if (runtime === "yaml" || runtime === "python") ensureToolchain([runtime]);
    super(name, "", extraEnv, { javascript: true, parentDir: tmpdir() });
    rmSync(path.join(this.dir, "index.js"));
    writeFileSync(path.join(this.dir, "Pulumi.yaml"), pulumiYaml);
    for (const [file, text] of Object.entries(files))
      writeFileSync(path.join(this.dir, file), text);
  }

  /** Points the `drs` config at the simulator (after creating the stack). */
  async configure(drs: { endpoint: string; projectId: string; authToken: string }): Promise<void> {
    await this.init();
    await this.ok(["config", "set", "drs:endpoint", drs.endpoint]);
    await this.ok(["config", "set", "drs:projectId", drs.projectId]);
    await this.ok(["config", "set", "--secret", "drs:authToken", drs.authToken]);
  }

  /** Installs the plugin from its archive (`--file`), then configures the stack. */
  async setup(drs: { endpoint: string; projectId: string; authToken: string }): Promise<void> {
    await this.ok([
      "plugin",
      "install",
      "resource",
      "drs",
      release().version,
      "--file",
      pluginArchive(),
    ]);
    await this.configure(drs);
  }
}
