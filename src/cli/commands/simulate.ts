import path from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import {
  loadScenarioFile,
  parseScenario,
  ScenarioError,
  startSimulator,
  type Simulator,
} from "../../sim";
import { setExitCode } from "../common";
import { EXIT } from "../exit";
import { isLoopbackHostname } from "../../sim/routes/admin-guard";

/** The simulator's README: shipped in the npm package too (package.json "files"). */
const SIM_README = path.resolve(__dirname, "../../../src/sim/README.md");

/** The port `drs-jobs simulate` listens on when none is given; 0 picks any free port. */
export const DEFAULT_SIMULATOR_PORT = 8787;

interface SimulateOptions {
  host: string;
  port: number;
  scenario?: string;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new InvalidArgumentError("must be an integer 0-65535 (0 = any free port)");
  }
  return port;
}

export function registerSimulate(program: Command): void {
  program
    .command("simulate")
    .description(
      "Run a local DRS simulator (batch-status API, fake IAM, /_sim/ admin API) until SIGINT/SIGTERM.",
    )
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option(
      "--port <port>",
      "port to listen on; 0 = any free port",
      parsePort,
      DEFAULT_SIMULATOR_PORT,
    )
    .option("--scenario <file>", "scenario JSON: project ID, auth, job timelines, faults")
    .addHelpText("after", `\nScenario format and admin API: ${SIM_README}`)
    .action(async (options: SimulateOptions) => {
      // Said before listening, so it shows even when the address cannot be bound.
      if (!isLoopbackHostname(options.host.includes(":") ? `[${options.host}]` : options.host)) {
        process.stderr.write(
          `drs-jobs simulate: warning: --host ${options.host} is not a loopback address; ` +
            `the simulator has no real authentication and anyone who can reach it can query ` +
            `it. Its admin API still answers only requests addressed to localhost, 127.x.x.x ` +
            `or [::1].\n`,
        );
      }
      let scenario;
      try {
        scenario = options.scenario ? await loadScenarioFile(options.scenario) : parseScenario({});
      } catch (err) {
        if (!(err instanceof ScenarioError)) throw err;
        process.stderr.write(`drs-jobs: ${err.message}\n`);
        return setExitCode(EXIT.usage);
      }
      let sim: Simulator;
      try {
        sim = await startSimulator({ host: options.host, port: options.port, scenario });
      } catch (err) {
        const reason = listenProblem(err as NodeJS.ErrnoException, options);
        if (reason === undefined) throw err;
        process.stderr.write(
          `drs-jobs simulate: cannot listen on ${options.host} port ${options.port}: ${reason}\n`,
        );
        return setExitCode(EXIT.usage);
      }
      // Exactly one line on stdout so scripts can read the URL; the rest goes to stderr.
      process.stdout.write(`listening on ${sim.url}\n`);
      const summary = sim.summary();
      process.stderr.write(
        `drs-jobs simulate: project ${summary.projectId}, ${summary.jobs} job(s), ` +
          `auth ${summary.auth.join("+")}, ${summary.faults.length} fault(s); admin API at ${sim.url}/_sim/\n`,
      );
      await untilSignal(sim);
    });
}

/** Why the address cannot be listened on, when it is the user's choice of address; else undefined. */
export function listenProblem(
  err: NodeJS.ErrnoException,
  options: { host: string; port: number },
): string | undefined {
  switch (err.code) {
    case "EADDRINUSE":
      return `port ${options.port} is in use (choose another with --port, or --port 0 for any free port)`;
    case "EACCES":
      return `not permitted (ports below 1024 need privileges; choose another with --port)`;
    case "EADDRNOTAVAIL":
      return `--host ${options.host} is not an address of this machine`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_FAIL":
    case "EAI_NONAME":
      return `--host ${options.host} does not resolve (${err.code})`;
    default:
      return undefined;
  }
}

function untilSignal(sim: Simulator): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      clearInterval(orphanWatch);
      sim.stop().then(resolve, resolve);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    const orphanWatch = watchForOrphaning(stop);
  });
}

/**
 * `npx drs-jobs simulate` (npm exec, and npm scripts) runs us under `sh -c`; SIGTERM to npm
 * ends that shell, which does not pass it on, and we would keep the port with no one left to
 * stop us. Started by npm, we stop when our parent is gone (we are re-parented). Started any
 * other way (`nohup drs-jobs simulate &`) outliving the parent is wanted, so we do not watch.
 */
function watchForOrphaning(stop: () => void): NodeJS.Timeout | undefined {
  if (process.env.npm_command === undefined && process.env.npm_lifecycle_event === undefined) {
    return undefined;
  }
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) stop();
  }, 250);
  timer.unref();
  return timer;
}
