import { strict as assert } from "node:assert";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sinon from "sinon";
import { main } from "../../src/cli/main";
import { parseJobIdsText } from "../../src/cli/common";
import { startSimulator, type Simulator } from "../../src/sim";
import { drsJobs, simulatorEnv } from "../support/drs-jobs";

const TOKEN = "MIIE-cli-token-0123456789abcdef";
const AK = "HPUAEXAMPLEACCESSKEY";
const SK = "eXaMpLeSeCrEtKeY0123456789abcdefghijklmn";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `drs-jobs status ...` in-process with exactly `env` as the HW_* environment. */
async function runStatus(args: string[], env: Record<string, string>): Promise<Run> {
  const saved = { ...process.env };
  for (const name of Object.keys(process.env)) if (name.startsWith("HW_")) delete process.env[name];
  Object.assign(process.env, env, { HW_MAX_RETRIES: env.HW_MAX_RETRIES ?? "1" });
  let stdout = "";
  let stderr = "";
  const out = sinon
    .stub(process.stdout, "write")
    .callsFake((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = sinon
    .stub(process.stderr, "write")
    .callsFake((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    const code = await main(["node", "drs-jobs", "status", ...args]);
    return { code, stdout, stderr };
  } finally {
    out.restore();
    err.restore();
    process.exitCode = undefined;
    process.env = saved;
  }
}

describe("cli: drs-jobs status", () => {
  let sim: Simulator;
  let env: Record<string, string>;
  const drsRequests = () =>
    sim
      .requestLog()
      .filter((e) => e.kind === "batch-status")
      .sort((a, b) => a.seq - b.seq);
  beforeEach(async () => {
    sim = await startSimulator({
      scenario: {
        // A token for most tests, AK/SK for the signature one: the service accepts both.
        auth: { token: TOKEN, accessKey: AK, secretKey: SK },
        jobs: [
          { id: "job-a", status: "INCRE_TRANSFER_STARTED" },
          { id: "job-b", status: "PAUSEING" },
          {
            id: "job-c",
            timeline: [
              {
                at: 0,
                status: "FULL_TRANSFER_FAILED",
                errorCode: "DRS.M00004",
                errorMessage: "disk full",
              },
            ],
          },
        ],
      },
    });
    env = { HW_DRS_ENDPOINT: sim.url, HW_PROJECT_ID: sim.projectId, HW_AUTH_TOKEN: TOKEN };
  });
  afterEach(async () => sim.stop());

  it("prints a table in the order given", async () => {
    const run = await runStatus(["job-b", "job-a", "job-gone"], env);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trimEnd().split("\n");
    assert.match(lines[0], /^JOB ID\s+STATUS\s+PHASE\s+ERROR$/);
    assert.match(lines[1], /^job-b\s+PAUSEING\s+pending \(paused: resume it\)$/);
    assert.match(lines[2], /^job-a\s+INCRE_TRANSFER_STARTED\s+ready$/);
    assert.match(
      lines[3],
      /^job-gone\s+-\s+failed \(not found\)\s+DRS\.M00289: The job does not exist\.$/,
    );
  });

  it("prints JSON with absent fields omitted", async () => {
    const run = await runStatus(["--json", "job-c", "job-a", "job-gone"], env);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), {
      jobs: [
        {
          id: "job-c",
          status: "FULL_TRANSFER_FAILED",
          phase: "failed",
          errorCode: "DRS.M00004",
          errorMessage: "disk full",
        },
        { id: "job-a", status: "INCRE_TRANSFER_STARTED", phase: "ready" },
        {
          id: "job-gone",
          phase: "failed",
          errorCode: "DRS.M00289",
          errorMessage: "The job does not exist.",
        },
      ],
    });
    assert.deepEqual(
      drsRequests().map((e) => [e.status, e.jobCount]),
      [[200, 3]],
    );
  });

  it("--fail-on-error exits 1 when a job failed, was stopped or does not exist", async () => {
    sim.addJob({ id: "job-d", status: "RELEASE_RESOURCE_COMPLETE" });
    const healthy = await runStatus(["--fail-on-error", "job-a", "job-b"], env);
    assert.equal(healthy.code, 0, healthy.stderr);
    for (const bad of ["job-c", "job-d", "job-gone"]) {
      const run = await runStatus(["--fail-on-error", "--json", "job-a", bad], env);
      assert.equal(run.code, 1, bad);
      // The whole answer is still printed: the exit code is the only difference.
      assert.deepEqual(
        JSON.parse(run.stdout).jobs.map((j: { id: string }) => j.id),
        ["job-a", bad],
      );
      assert.match(run.stderr, new RegExp(`1 of 2 jobs failed, stopped or missing: ${bad}`));
    }
    // Without the flag, a look at failed jobs is a successful look.
    assert.equal((await runStatus(["job-c"], env)).code, 0);
  });

  it("reads --jobs-file, skipping blank lines and comments, after the arguments", async () => {
    const dir = await mkdtemp(join(tmpdir(), "drs-jobs-"));
    try {
      const file = join(dir, "jobs.txt");
      await writeFile(file, "# cutover wave 1\njob-b\n\n  job-c   # the big one\n");
      const run = await runStatus(["--json", "--jobs-file", file, "job-a"], env);
      assert.deepEqual(
        JSON.parse(run.stdout).jobs.map((j: { id: string }) => j.id),
        ["job-a", "job-b", "job-c"],
      );
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it("parses job id text", () => {
    assert.deepEqual(parseJobIdsText("a\r\n#x\n b \n\nc#d\n"), [
      { id: "a", where: "--jobs-file line 1" },
      { id: "b", where: "--jobs-file line 3" },
      { id: "c", where: "--jobs-file line 5" },
    ]);
  });

  it("reads job ids from stdin with --jobs-file - (as a child process)", async function () {
    this.timeout(20_000);
    const ids = ["stdin-1", "stdin-2", "stdin-3"];
    sim.addJobs(ids.map((id) => ({ id, status: "INCRE_TRANSFER_STARTED" })));
    const run = await drsJobs(["status", "--json", "--jobs-file", "-"], simulatorEnv(sim, TOKEN), {
      stdin: `${ids.join("\n")}\n`,
    });
    assert.equal(run.code, 0, run.stderr);
    const stdout = run.stdout;
    assert.deepEqual(
      JSON.parse(stdout).jobs.map((j: { id: string; phase: string }) => [j.id, j.phase]),
      ids.map((id) => [id, "ready"]),
    );
    assert.deepEqual(
      drsRequests().map((e) => e.jobCount),
      [3],
    );
  });

  it("exits 4 on a 400 without retrying, naming the DRS code and request id", async () => {
    sim.addFault({
      status: 400,
      errorCode: "DRS.M00202",
      errorMessage: "The parameter value is invalid.",
    });
    const run = await runStatus(["job-a"], { ...env, HW_MAX_RETRIES: "4" });
    assert.equal(run.code, 4);
    assert.match(run.stderr, /DRS\.M00202/);
    const log = drsRequests();
    assert.equal(log.length, 1);
    assert.ok(run.stderr.includes(`request id ${log[0].requestId}`), run.stderr);
    assert.equal(run.stdout, "");
  });

  it("exits 4 on a wrong AK/SK signature after exactly one request", async () => {
    const run = await runStatus(["job-a"], {
      HW_DRS_ENDPOINT: sim.url,
      HW_PROJECT_ID: sim.projectId,
      HW_ACCESS_KEY: AK,
      HW_SECRET_KEY: "not-the-right-secret-key",
      HW_MAX_RETRIES: "4",
    });
    assert.equal(run.code, 4);
    assert.match(run.stderr, /HTTP 401 APIG\.0301/);
    assert.ok(!run.stderr.includes("not-the-right-secret-key"));
    assert.deepEqual(
      drsRequests().map((e) => [e.status, e.authMode, e.errorCode]),
      [[401, "invalid", "APIG.0301"]],
    );
  });

  it("exits 4 after retries when the service keeps failing", async () => {
    sim.addFault({ status: 503 });
    const run = await runStatus(["job-a"], env);
    assert.equal(run.code, 4);
    assert.match(run.stderr, /HTTP 503.*gave up after 2 attempts/);
    assert.equal(drsRequests().length, 2);
  });

  it("exits 2 naming what to set when settings are missing", async () => {
    const run = await runStatus(["job-a"], { HW_AUTH_TOKEN: TOKEN });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /HW_PROJECT_ID/);
    assert.match(run.stderr, /HW_REGION_NAME/);
    assert.equal(sim.counters().total, 0);
  });

  it("exits 2 on contradictory credentials without printing them", async () => {
    const run = await runStatus(["job-a"], { ...env, HW_ACCESS_KEY: AK, HW_SECRET_KEY: SK });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /contradictory credentials/);
    assert.ok(!run.stderr.includes(SK) && !run.stderr.includes(TOKEN));
  });

  it("exits 2 for plain http to a non-loopback host", async () => {
    const run = await runStatus(["--endpoint", "http://drs.example.test", "job-a"], env);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /must use https/);
  });

  it("takes --region, --project-id and --language flags over the environment", async () => {
    const run = await runStatus(["--project-id", "nope", "--language", "zh-cn", "job-a"], env);
    assert.equal(run.code, 4);
    assert.match(run.stderr, /DRS\.M00261/);
    const [entry] = drsRequests();
    assert.equal(entry.path, "/v3/nope/jobs/batch-status");
    assert.equal(entry.headers?.["x-language"], "zh-cn");
  });

  it("exits 2 without job ids, and refuses credentials as flags", async () => {
    assert.equal((await runStatus([], env)).code, 2);
    const flagged = await runStatus(["--token", TOKEN, "job-a"], env);
    assert.equal(flagged.code, 2);
    assert.match(flagged.stderr, /unknown option '--token'/);
  });
});
