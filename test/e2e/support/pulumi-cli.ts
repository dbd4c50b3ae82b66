// Drives the real `pulumi` CLI (put on PATH by `eval "$(scripts/toolchain)"`) on throwaway
// projects with a local file backend and a PULUMI_HOME of their own, all under os.tmpdir():
// Node.js programs in the shared folder where the release's npm tarball is installed
// (node-programs.ts), so they resolve pulumi-drs-jobs as users get it; NODE_PATH unset.
import { execFile, execFileSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { assertOutsideRepo, userEnv } from "../../support/outside";
import { nodeProgramsRoot } from "./node-programs";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface StackState {
  deployment: {
    resources?: Array<{ urn: string; type: string; outputs?: Record<string, unknown> }>;
  };
}

export interface ProjectOptions {
  /**
   * Where to create the project; default the shared folder with the installed package
   * (node-programs.ts). Never inside the repository, unless `insideRepo` (the benchmarks).
   */
  parentDir?: string;
  insideRepo?: boolean;
  /** The program is CommonJS JavaScript run by plain node, as a user without tsx would. */
  javascript?: boolean;
}

export class PulumiProject {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;

  constructor(
    name: string,
    program: string,
    extraEnv: NodeJS.ProcessEnv = {},
    options: ProjectOptions = {},
  ) {
    assertPulumiOnPath();
    const parentDir = options.parentDir ?? nodeProgramsRoot();
    mkdirSync(parentDir, { recursive: true });
    this.dir = mkdtempSync(path.join(parentDir, `e2e-${name}-`));
    if (!options.insideRepo) {
      assertOutsideRepo(
        this.dir,
        options.parentDir === undefined ? path.join(parentDir, "node_modules") : undefined,
      );
    }
    const main = options.javascript ? "index.js" : "index.ts";
    const runtimeOptions = options.javascript ? [] : ["    nodeargs: --import tsx"];
    writeFileSync(
      path.join(this.dir, "Pulumi.yaml"),
      [
        `name: ${name}`,
        "runtime:",
        "  name: nodejs",
        "  options:",
        "    typescript: false",
        ...runtimeOptions,
        `main: ${main}`,
        "",
      ].join("\n"),
    );
    writeFileSync(path.join(this.dir, main), program);
    mkdirSync(path.join(this.dir, ".state"));
    this.env = userEnv({
      PULUMI_BACKEND_URL: `file://${path.join(this.dir, ".state")}`,
      PULUMI_HOME: path.join(this.dir, ".pulumi-home"),
      PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
      ...extraEnv,
    });
  }

  /**
   * Runs `pulumi <args>` in the project; never throws on a non-zero exit. `onSpawn` gets the
   * child process, e.g. to send it SIGINT mid-update.
   */
  run(
    args: string[],
    timeoutMs = 120_000,
    onSpawn?: (child: ChildProcess) => void,
  ): Promise<CliResult> {
    return new Promise((resolve) => {
      const child = execFile(
        "pulumi",
        [...args, "--non-interactive"],
        { cwd: this.dir, env: this.env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
      onSpawn?.(child);
    });
  }

  /** Runs and fails the test with the CLI's output when the command fails. */
  async ok(args: string[], timeoutMs?: number): Promise<CliResult> {
    const result = await this.run(args, timeoutMs);
    if (result.code !== 0) {
      throw new Error(
        `pulumi ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`,
      );
    }
    return result;
  }

  async init(stack = "test"): Promise<void> {
    await this.ok(["stack", "init", stack]);
  }

  async exportState(): Promise<StackState> {
    return JSON.parse((await this.ok(["stack", "export"])).stdout) as StackState;
  }

  async outputs(): Promise<Record<string, unknown>> {
    return JSON.parse((await this.ok(["stack", "output", "--json"])).stdout) as Record<
      string,
      unknown
    >;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

let checked = false;
function assertPulumiOnPath(): void {
  if (checked) return;
  try {
    execFileSync("pulumi", ["version"], { stdio: "pipe" });
    checked = true;
  } catch {
    throw new Error(
      'the end-to-end tests need the pulumi CLI: run them through scripts/test, or eval "$(scripts/toolchain)" first',
    );
  }
}
