// `drs-jobs` in a pipeline whose reader stops early (`| head`, `| grep -q`): the command must
// end quietly with the exit code it would have had, which `set -o pipefail` scripts read.
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { EXIT } from "../../src/cli/exit";
import { generateJobs, startSimulator, type Simulator } from "../../src/sim";
import { simulatorEnv } from "../support/drs-jobs";

const TOKEN = "pipes-token-0123456789";
const MAIN = path.resolve(__dirname, "../../src/cli/main.ts");

const DRS_JOBS_FUNCTION = 'drs_jobs() { "$NODE_BIN" --import tsx "$DRS_JOBS_MAIN" "$@"; }';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `script` in bash with pipefail, `drs_jobs` naming the command. */
function pipeline(script: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return collect(
    // --norc: bash reads ~/.bashrc when its stdin is a socket, as Node's pipes are.
    spawn("bash", ["--norc", "-c", `set -o pipefail\n${DRS_JOBS_FUNCTION}\n${script}`], {
      env: { ...env, NODE_BIN: process.execPath, DRS_JOBS_MAIN: MAIN },
    }),
  );
}

/** Runs drs-jobs with the named output's pipe closed by its reader before anything is read. */
function withClosedOutput(
  stream: "stdout" | "stderr",
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<Run> {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...args], { env });
  child[stream].destroy();
  return collect(child);
}

function collect(child: ReturnType<typeof spawn>): Promise<Run> {
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d) => (stdout += d));
    child.stderr?.on("data", (d) => (stderr += d));
    child.stdin?.end();
    const safety = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("close", (code) => {
      clearTimeout(safety);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("drs-jobs when its reader goes away", function () {
  this.timeout(90_000);
  let sim: Simulator;
  let dir: string;
  let idsFile: string;
  const env = () => simulatorEnv(sim, TOKEN, { HW_MAX_RETRIES: "1" });

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "drs-jobs-pipes-"));
    sim = await startSimulator({ scenario: { auth: { token: TOKEN } } });
    const jobs = generateJobs(10_000, {
      timeline: [{ at: "0s", status: "INCRE_TRANSFER_STARTED" }],
    });
    sim.addJobs(jobs);
    sim.addJobs([{ id: "job-failed", status: "FULL_TRANSFER_FAILED" }]);
    idsFile = path.join(dir, "ids.txt");
    await writeFile(idsFile, jobs.map((job) => job.id).join("\n"));
  });
  after(async () => {
    await sim.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("`status --jobs-file` (10,000 ids) | head -3 under pipefail: exit 0, no stack trace", async () => {
    const run = await pipeline(`drs_jobs status --jobs-file "${idsFile}" | head -3`, env());
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trimEnd().split("\n").length, 3);
    assert.equal(run.stderr, "");
  });

  it("`status` | grep -q under pipefail: exit 0, no stack trace", async () => {
    const run = await pipeline(
      `drs_jobs status --jobs-file "${idsFile}" | grep -q INCRE_TRANSFER_STARTED`,
      env(),
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, "");
  });

  it("a closed stdout keeps the exit code the command would have had", async () => {
    const failed = await withClosedOutput(
      "stdout",
      ["status", "--fail-on-error", "job-failed"],
      env(),
    );
    assert.equal(failed.code, EXIT.jobFailed, failed.stderr);
    assert.match(failed.stderr, /1 of 1 jobs failed/);
    assert.doesNotMatch(failed.stderr, /EPIPE|\n\s+at /);
  });

  it("a closed stderr keeps the exit code the command would have had", async () => {
    const usage = await withClosedOutput("stderr", ["status", "not an id"], env());
    assert.equal(usage.code, EXIT.usage);
    const timeout = await withClosedOutput(
      "stderr",
      ["wait", "--timeout", "0", "--json", "job-failed", "no-such-job"],
      env(),
    );
    assert.equal(timeout.code, EXIT.jobFailed);
    assert.match(timeout.stdout, /"job-failed"/);
  });
});
