// Helpers shared by the subcommands that talk to DRS (`status`, `wait`): connection options,
// job id input, and turning errors into a message and an exit code.
import { readFile } from "node:fs/promises";
import type { Readable } from "node:stream";
import type { Command } from "commander";
import {
  DrsApiError,
  DrsCredentialsError,
  DrsSettingsError,
  type DrsSettingsInput,
  type Environment,
} from "../api";
import { EXIT } from "./exit";

/** Flags every DRS-facing subcommand takes. Credentials come only from the environment. */
export interface ConnectionFlags {
  endpoint?: string;
  region?: string;
  projectId?: string;
  language?: string;
}

export function addConnectionOptions(command: Command): Command {
  return command
    .option("--endpoint <url>", "DRS base URL (default: HW_DRS_ENDPOINT, else from the region)")
    .option("--region <name>", "Huawei Cloud region, e.g. cn-north-4 (default: HW_REGION_NAME)")
    .option("--project-id <id>", "project id of the region (default: HW_PROJECT_ID)")
    .option("--language <lang>", "answer language: en-us or zh-cn (default: en-us)");
}

export function addJobsFileOption(command: Command): Command {
  return command.option(
    "--jobs-file <file>",
    "read job ids from FILE, one per line, # comments allowed ('-' for stdin)",
  );
}

/** Flags win over the environment; credentials are never read from flags (they leak in ps). */
export function settingsFromFlags(
  flags: ConnectionFlags,
  env: Environment = process.env,
): DrsSettingsInput {
  return {
    endpoint: flags.endpoint,
    region: flags.region,
    projectId: flags.projectId,
    language: flags.language,
    env,
    onWarning: (message) => process.stderr.write(`drs-jobs: warning: ${message}\n`),
  };
}

/** A mistake in how the command was called: exit code 2 with the message. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Job ids from a file: one per line, blank lines and `#` comments ignored. */
export function parseJobIdsText(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*$/, "").trim())
    .filter((line) => line !== "");
}

export async function readJobIdsFile(
  path: string,
  stdin: Readable = process.stdin,
): Promise<string[]> {
  let text: string;
  try {
    text = path === "-" ? await readStream(stdin) : await readFile(path, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read --jobs-file ${path}: ${(err as Error).message}`);
  }
  return parseJobIdsText(text);
}

/** Ids from the arguments, then from --jobs-file; at least one is needed. */
export async function collectJobIds(
  args: readonly string[],
  jobsFile: string | undefined,
  stdin?: Readable,
): Promise<string[]> {
  const jobIds = [...args];
  if (jobsFile !== undefined) jobIds.push(...(await readJobIdsFile(jobsFile, stdin)));
  if (jobIds.length === 0)
    throw new UsageError("no job ids: give them as arguments or with --jobs-file");
  return jobIds;
}

/**
 * Prints `err` for a person and returns the exit code. Errors we do not know are rethrown:
 * they are bugs, and the stack matters more than a tidy message.
 */
export function reportError(err: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  // A credential source that is there but cannot work is a failure to authenticate.
  if (err instanceof DrsCredentialsError) {
    stderr.write(`drs-jobs: ${err.message}\n`);
    return EXIT.api;
  }
  if (err instanceof DrsSettingsError || err instanceof UsageError || err instanceof RangeError) {
    stderr.write(`drs-jobs: ${err.message}\n`);
    return EXIT.usage;
  }
  if (err instanceof DrsApiError) {
    stderr.write(`drs-jobs: ${err.message}\n`);
    return EXIT.api;
  }
  throw err;
}

/** Sets the exit code `main` returns, without ending the process (tests run in-process). */
export function setExitCode(code: number): void {
  if (code !== EXIT.ok) process.exitCode = code;
}

async function readStream(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}
