// A Pulumi project (YAML, or Python with its files) using the `drs` provider plugin: the
// archive `npm run build:plugin` makes, installed into the project's own PULUMI_HOME as a
// user would install it.
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PACKAGE_VERSION } from "../../../src/util/package-info";
import { PulumiProject } from "./pulumi-cli";

const repoRoot = path.resolve(__dirname, "../../..");
let archive: string | undefined;

/** Builds the plugin archive once per test run. */
export function pluginArchive(): string {
  archive ??= execFileSync(process.execPath, [path.join(repoRoot, "scripts/build-plugin.mjs")], {
    encoding: "utf8",
  }).trim();
  return archive;
}

export class PluginProject extends PulumiProject {
  constructor(
    name: string,
    pulumiYaml: string,
    extraEnv: NodeJS.ProcessEnv = {},
    files: Record<string, string> = {},
  ) {
    super(name, "", extraEnv, { javascript: true });
    rmSync(path.join(this.dir, "index.js"));
    writeFileSync(path.join(this.dir, "Pulumi.yaml"), pulumiYaml);
    for (const [file, text] of Object.entries(files))
      writeFileSync(path.join(this.dir, file), text);
  }

  /** Installs the plugin, creates the stack and points the `drs` config at the simulator. */
  async setup(drs: { endpoint: string; projectId: string; authToken: string }): Promise<void> {
    await this.ok([
      "plugin",
      "install",
      "resource",
      "drs",
      PACKAGE_VERSION,
      "--file",
      pluginArchive(),
    ]);
    await this.init();
    await this.ok(["config", "set", "drs:endpoint", drs.endpoint]);
    await this.ok(["config", "set", "drs:projectId", drs.projectId]);
    await this.ok(["config", "set", "--secret", "drs:authToken", drs.authToken]);
  }
}
