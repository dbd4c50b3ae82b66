#!/usr/bin/env node
// `drs-jobs`: the command for pipeline steps that are not Pulumi programs.
// Each subcommand lives in commands/<name>.ts and registers itself on the program.
import { Command, CommanderError } from "commander";
import { registerAuth } from "./commands/auth";
import { registerCompare } from "./commands/compare";
import { registerSimulate } from "./commands/simulate";
import { registerStatus } from "./commands/status";
import { registerWait } from "./commands/wait";
import { EXIT } from "./exit";
import { PACKAGE_VERSION } from "../util/package-info";

export function buildProgram(): Command {
  const program = new Command("drs-jobs")
    .description("Query, wait for and simulate Huawei Cloud DRS jobs (batch-status API).")
    .version(PACKAGE_VERSION)
    .showHelpAfterError()
    .exitOverride();
  registerStatus(program);
  registerWait(program);
  registerCompare(program);
  registerSimulate(program);
  registerAuth(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return process.exitCode === undefined ? EXIT.ok : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    throw err;
  }
}

/** Resolves once everything written to `stream` so far has been handed to the OS. */
function flushed(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => stream.write("", () => resolve()));
}

/**
 * Exits only once stdout and stderr are flushed: a pipe takes 64 KiB at a time, and
 * process.exit() right after a large write cut `status --json` off mid-document.
 */
export async function exitAfterOutput(code: number): Promise<never> {
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}

if (require.main === module) {
  main(process.argv).then(exitAfterOutput, (err: unknown) => {
    // Not the user's mistake: a bug, with the stack that helps fix it.
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`drs-jobs: internal error (please report it): ${detail}\n`);
    return exitAfterOutput(EXIT.internal);
  });
}
