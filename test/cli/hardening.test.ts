// What an hour of hostile use found, each as a pipeline step meets it: `drs-jobs` as a child
// process with its stdout on a pipe, against the simulator.
import { strict as assert } from "node:assert";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { collectJobIds, reportError } from "../../src/cli/common";
import { formatTable } from "../../src/cli/commands/status";
import { EXIT } from "../../src/cli/exit";
import { generateJobs, startSimulator, type Simulator } from "../../src/sim";
import { drsJobs as runDrsJobs, simulatorEnv, type RunOptions } from "../support/drs-jobs";
import { afterAnswers, answered } from "../support/timeline";

const TOKEN = "hardening-token-0123456789";

describe("drs-jobs under hostile use", function () {
  this.timeout(60_000);
  let sim: Simulator;
  let dir: string;
  const drsJobs = (args: string[], options?: RunOptions, extra: NodeJS.ProcessEnv = {}) =>
    runDrsJobs(args, simulatorEnv(sim, TOKEN, { HW_MAX_RETRIES: "1", ...extra }), options);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "drs-jobs-hardening-"));
    sim = await startSimulator({ scenario: { auth: { token: TOKEN } } });
  });
  afterEach(async () => {
    await sim.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("hands a pipe all of a 1 MB `status --json` before exiting", async () => {
    const jobs = generateJobs(10_000, {
      timeline: [{ at: "0s", status: "INCRE_TRANSFER_STARTED" }],
    });
    sim.addJobs(jobs);
    const file = join(dir, "ids.txt");
    await writeFile(file, jobs.map((job) => job.id).join("\n"));
    const run = await drsJobs(["status", "--json", "--jobs-file", file]);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.stdout.length > 500_000, `${run.stdout.length} bytes`);
    const parsed = JSON.parse(run.stdout) as { jobs: unknown[] };
    assert.equal(parsed.jobs.length, 10_000);
  });

  it("refuses a misspelt --target before asking DRS, naming the nearest status (exit 2)", async () => {
    sim.addJobs([{ id: "job-a", status: "FULL_TRANSFER_STARTED" }]);
    const run = await drsJobs(["wait", "--target", "INCRE_TRANSFER_STARTD", "job-a"]);
    assert.equal(run.code, EXIT.usage, run.stderr);
    assert.match(run.stderr, /--target\[0\]: "INCRE_TRANSFER_STARTD" is not a DRS job status/);
    assert.match(run.stderr, /did you mean INCRE_TRANSFER_STARTED\?/);
    assert.equal(sim.requestLog().length, 0, "nothing was asked of DRS");
  });

  it("`--timeout 0` checks once: a ready job exits 0, a pending one 3 with its status", async () => {
    sim.addJobs([
      { id: "ready-job", status: "INCRE_TRANSFER_STARTED" },
      { id: "slow-job", status: "FULL_TRANSFER_STARTED" },
    ]);
    const ready = await drsJobs(["wait", "--timeout", "0", "ready-job"]);
    assert.equal(ready.code, EXIT.ok, ready.stderr);
    const pending = await drsJobs(["wait", "--timeout", "0", "slow-job"]);
    assert.equal(pending.code, EXIT.timeout);
    assert.match(pending.stderr, /slow-job: FULL_TRANSFER_STARTED/);
    assert.doesNotMatch(pending.stderr, /no status/);
  });

  it("a 10h interval still polls before a 3s deadline and sees the job ready", async () => {
    sim.addJobs([{ id: "job-a", status: "FULL_TRANSFER_STARTED" }]);
    const ready = afterAnswers(sim, "batch-status", 1, () =>
      sim.setJobStatus("job-a", "INCRE_TRANSFER_STARTED"),
    );
    const run = await drsJobs(["wait", "--interval", "10h", "--timeout", "3s", "job-a"]).finally(
      ready,
    );
    assert.equal(run.code, EXIT.ok, run.stderr);
    assert.equal(answered(sim, "batch-status"), 2, "pending at the first poll, ready at the last");
  });

  it("SIGTERM stops the wait: partial --json on stdout, a message, exit 143", async () => {
    sim.addJobs([
      { id: "job-a", status: "INCRE_TRANSFER_STARTED" },
      { id: "job-b", status: "FULL_TRANSFER_STARTED" },
    ]);
    const run = await drsJobs(["wait", "--json", "--interval", "1s", "job-a", "job-b"], {
      signal: "SIGTERM",
      interruptWhen: () => sim.requestLog().length > 0,
    });
    assert.equal(run.code, EXIT.terminated, run.stderr);
    assert.match(run.stderr, /terminated \(SIGTERM\): stopped waiting with 1\/2 jobs ready/);
    assert.deepEqual(
      (JSON.parse(run.stdout) as { jobs: { id: string; phase: string }[] }).jobs.map((j) => [
        j.id,
        j.phase,
      ]),
      [
        ["job-a", "ready"],
        ["job-b", "pending"],
      ],
    );
  });

  it("refuses bad job ids at once, naming where they were given (exit 2)", async () => {
    const binary = join(dir, "ids.bin");
    await writeFile(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0xff, 0x0a]));
    const fromBinary = await drsJobs(["status", "--jobs-file", binary]);
    assert.equal(fromBinary.code, EXIT.usage);
    assert.match(fromBinary.stderr, /--jobs-file .*ids\.bin: is not a text file of job ids/);

    const bad = join(dir, "ids.txt");
    await writeFile(bad, "good-1\nnot an id\ngood-2\n");
    const fromFile = await drsJobs(["status", "--jobs-file", bad]);
    assert.equal(fromFile.code, EXIT.usage);
    assert.match(fromFile.stderr, /ids\.txt line 2: "not an id" is not a DRS job id/);

    const newline = await drsJobs(["status", "job-a", "x\ny"]);
    assert.equal(newline.code, EXIT.usage);
    assert.match(newline.stderr, /job id argument 2: "x\\ny" is not a DRS job id/);

    const huge = await drsJobs(["status", "--jobs-file", "-"], { stdin: "a".repeat(5_000_000) });
    assert.equal(huge.code, EXIT.usage);
    assert.match(huge.stderr, /line 1: is 5000000 characters long/);
    assert.ok(huge.stderr.length < 500, "the id is not echoed");
    assert.equal(sim.requestLog().length, 0, "nothing was sent");
  });

  it("never echoes the password of an endpoint URL it cannot parse", async () => {
    const run = await drsJobs(["status", "--endpoint", "https://user:PW-s3cr3t@bad host", "job-a"]);
    assert.equal(run.code, EXIT.usage);
    assert.match(run.stderr, /is not a URL/);
    assert.doesNotMatch(run.stderr, /PW-s3cr3t/);
    const viaIam = await drsJobs(
      ["status", "job-a"],
      {},
      {
        HW_AUTH_TOKEN: "",
        HW_USER_NAME: "u",
        HW_USER_PASSWORD: "pw-0123456789",
        HW_DOMAIN_NAME: "d",
        HW_AUTH_URL: "https://iam-user:IAM-s3cr3t@bad host",
      },
    );
    assert.equal(viaIam.code, EXIT.usage);
    assert.doesNotMatch(viaIam.stderr, /IAM-s3cr3t/);
  });

  it("strips control characters and the token from what the service says about a job", async () => {
    sim.addJobs([
      {
        id: "job-fail",
        timeline: [
          {
            at: "0s",
            status: "INCRE_TRANSFER_FAILED",
            errorCode: "DRS.M00004",
            errorMessage: `disk full\r\n\u001b[2Kdrs-jobs: all 1 jobs ready\u0007 (token ${TOKEN})`,
          },
        ],
      },
    ]);
    const run = await drsJobs(["wait", "job-fail"]);
    assert.equal(run.code, EXIT.jobFailed);
    // eslint-disable-next-line no-control-regex -- the point: no control character but \n
    assert.doesNotMatch(run.stderr, /[\u0000-\u0009\u000b-\u001f\u007f]/);
    assert.doesNotMatch(run.stderr, new RegExp(TOKEN));
    assert.match(run.stderr, /disk full \[2Kdrs-jobs: all 1 jobs ready +\(token \[redacted\]\)/);
    // A failed job is reported as failed, not "waited on".
    assert.match(run.stderr, /failed: job-fail \(INCRE_TRANSFER_FAILED\)/);
    assert.doesNotMatch(run.stderr, /waiting on job-fail/);
  });

  it("a 503 whose message holds ESC, CR and LF puts none of them and no forged line on stderr", async () => {
    sim.addJobs([{ id: "job-a", status: "FULL_TRANSFER_STARTED" }]);
    sim.addFault({
      status: 503,
      errorCode: "DRS.M05003",
      errorMessage: "busy\u001b[1A\u001b[2K\r\ndrs-jobs: all 1 jobs ready\n",
    });
    const run = await drsJobs(["status", "job-a"]);
    assert.notEqual(run.code, EXIT.ok);
    assert.match(run.stderr, /HTTP 503 DRS\.M05003: busy/);
    // eslint-disable-next-line no-control-regex -- the point: no control character but \n
    assert.doesNotMatch(run.stderr, /[\u0000-\u0009\u000b-\u001f\u007f]/);
    assert.doesNotMatch(run.stderr, /^drs-jobs: all 1 jobs ready/m, "no forged line");
  });

  it("a job error naming a database URL keeps its password out of every output", async () => {
    const url = "mysql://root:P@ssw0rd@10.0.0.5:3306";
    sim.addJobs([
      {
        id: "job-fail",
        timeline: [
          {
            at: "0s",
            status: "FULL_TRANSFER_FAILED",
            errorCode: "DRS.M00004",
            errorMessage: `cannot connect to ${url} (Access denied)`,
          },
        ],
      },
    ]);
    const runs = [
      await drsJobs(["status", "--fail-on-error", "job-fail"]),
      await drsJobs(["status", "--fail-on-error", "--json", "job-fail"]),
      await drsJobs(["wait", "job-fail"]),
      await drsJobs(["wait", "--json", "job-fail"]),
    ];
    for (const run of runs) {
      assert.equal(run.code, EXIT.jobFailed, run.stderr);
      assert.doesNotMatch(run.stdout + run.stderr, /ssw0rd/);
    }
    assert.match(runs[0].stdout + runs[0].stderr, /mysql:\/\/\[redacted\]@10\.0\.0\.5:3306/);
  });
});

describe("drs-jobs with very large inputs", () => {
  it("collects and tables 200,000 ids without overflowing the stack", async () => {
    const ids = Array.from({ length: 200_000 }, (_, i) => `job-${i}`);
    const collected = await collectJobIds(ids.slice(0, 100_000), "-", {
      [Symbol.asyncIterator]: async function* () {
        yield Buffer.from(ids.slice(100_000).join("\n"));
      },
    } as unknown as NodeJS.ReadableStream as never);
    assert.equal(collected.length, 200_000);
    const table = formatTable(ids.map((id) => ({ id, phase: "pending" as const })));
    assert.equal(table.split("\n").length, 200_002);
  });

  it("reports an internal error as a bug, not as bad usage", () => {
    // A RangeError from deep inside (the call-stack overflow was one) is not the user's fault.
    assert.throws(
      () => reportError(new RangeError("Maximum call stack size exceeded"), process.stderr),
      RangeError,
    );
  });
});
