// Helpers shared by the subcommands that talk to DRS (`status`, `wait`): connection options,
// job id input, and turning errors into a message and an exit code.
import { readFile } from "node:fs/promises";
import type { Readable } from "node:stream";
import type { Command } from "commander";
import { DrsApiError, DrsCredentialsError, DrsSettingsError } from "../api/errors";
import { jobIdProblem } from "../api/job-ids";
import {
  connectionOf,
  type Connection,
  type ConnectionField,
  type DrsSettingsInput,
  type Environment,
} from "../api/settings";
import { InputError, type InputProblem } from "../util/input-error";
import { EXIT } from "./exit";

/** Flags every DRS-facing subcommand takes. Credentials come only from the environment. */
export type ConnectionFlags = Connection;

const CONNECTION_FLAG = {
  endpoint: "--endpoint",
  region: "--region",
  projectId: "--project-id",
  language: "--language",
} satisfies Record<ConnectionField, string>;

export function addConnectionOptions(command: Command): Command {
  return command
    .option(
      `${CONNECTION_FLAG.endpoint} <url>`,
      "DRS base URL (default: HW_DRS_ENDPOINT, else from the region)",
    )
    .option(
      `${CONNECTION_FLAG.region} <name>`,
      "Huawei Cloud region, e.g. cn-north-4 (default: HW_REGION_NAME)",
    )
    .option(
      `${CONNECTION_FLAG.projectId} <id>`,
      "project id of the region (default: HW_PROJECT_ID)",
    )
    .option(
      `${CONNECTION_FLAG.language} <lang>`,
      "answer language: en-us or zh-cn (default: en-us)",
    );
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
    ...connectionOf(flags),
    env,
    onWarning: (message) => process.stderr.write(`drs-jobs: warning: ${message}\n`),
  };
}

/** A job id and where it was given, for an error that points at it. */
interface GivenJobId {
  id: string;
  where: string;
}

/** Job ids from a file: one per line, blank lines and `#` comments ignored. */
export function parseJobIdsText(text: string, source = "--jobs-file"): GivenJobId[] {
  const ids: GivenJobId[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const id = line.replace(/#.*$/, "").trim();
    if (id !== "") ids.push({ id, where: `${source} line ${i + 1}` });
  });
  return ids;
}

export async function readJobIdsFile(
  path: string,
  stdin: Readable = process.stdin,
): Promise<GivenJobId[]> {
  const field = `--jobs-file ${path}`;
  let bytes: Buffer;
  try {
    bytes = path === "-" ? await readStream(stdin) : await readFile(path);
  } catch (err) {
    throw new InputError({ field, reason: `cannot read it: ${(err as Error).message}` });
  }
  // NUL bytes or invalid UTF-8: a binary file given by mistake, not a list of ids.
  const text = bytes.toString("utf8");
  if (bytes.includes(0) || text.includes("\uFFFD")) {
    throw new InputError({ field, reason: "is not a text file of job ids (one per line)" });
  }
  return parseJobIdsText(text, field);
}

/** A message lists this many bad ids, then counts the rest. */
const SHOWN_BAD_IDS = 5;

/**
 * Ids from the arguments, then from --jobs-file, each checked where it was given (so the
 * error says which argument or line); at least one is needed.
 */
export async function collectJobIds(
  args: readonly string[],
  jobsFile: string | undefined,
  stdin?: Readable,
): Promise<string[]> {
  const given: GivenJobId[] = args.map((id, i) => ({ id, where: `job id argument ${i + 1}` }));
  // A loop, not push(...ids): a spread of 120k ids overflows the call stack.
  if (jobsFile !== undefined)
    for (const id of await readJobIdsFile(jobsFile, stdin)) given.push(id);
  if (given.length === 0) {
    throw new InputError({
      field: "jobId",
      reason: "no job ids: give them as arguments or with --jobs-file",
    });
  }
  const problems: InputProblem[] = [];
  for (const { id, where } of given) {
    const reason = jobIdProblem(id);
    if (reason) problems.push({ field: where, reason });
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, SHOWN_BAD_IDS);
    if (problems.length > SHOWN_BAD_IDS) {
      shown.push({
        field: "job ids",
        reason: `and ${problems.length - SHOWN_BAD_IDS} more bad ones`,
      });
    }
    throw new InputError(shown);
  }
  return given.map(({ id }) => id.trim());
}

/** The library's field names as the command's flags, for errors the user can act on. */
const FLAG_OF: Readonly<Record<string, string>> = {
  targetStatuses: "--target",
  timeout: "--timeout",
  pollInterval: "--interval",
  maxReplicationLag: "--max-lag",
  lagStableFor: "--lag-stable-for",
  compare: "--compare",
  ...CONNECTION_FLAG,
};

export function flagName(field: string): string {
  const [, name, rest] = /^(\w+)(.*)$/.exec(field) ?? [];
  return name !== undefined && FLAG_OF[name] ? `${FLAG_OF[name]}${rest}` : field;
}

/** The library's option names inside a reason, as flags: "needs maxReplicationLag" → "needs --max-lag". */
export function flagsInText(text: string): string {
  // camelCase words only: "timeout" is also an ordinary word.
  return text.replace(/\b[a-z]+[A-Z]\w*\b/g, (word) => FLAG_OF[word] ?? word);
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
  if (err instanceof InputError) {
    // The library's field names become the command's flags; settings name their variables
    // and flags in their reasons already.
    const shown =
      err instanceof DrsSettingsError
        ? err
        : new InputError(
            err.problems.map((p) => ({ field: flagName(p.field), reason: flagsInText(p.reason) })),
            err.heading,
          );
    stderr.write(`drs-jobs: ${shown.message}\n`);
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

async function readStream(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
