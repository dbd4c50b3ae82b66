// The credential sources as a new user meets them: `drs-jobs` run as a child process with
// nothing but the source under test (and a throwaway HOME), against the simulator.
import { strict as assert } from "node:assert";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSimulator, type Simulator } from "../../src/sim";
import { drsJobs } from "../support/drs-jobs";

const AK = "HPUAPROFILEACCESSKEY";
const SK = "profile-secret-key-0123456789abcdefghij";

describe("cli: credentials from the profile file", function () {
  this.timeout(30_000);
  let sim: Simulator;
  let home: string;
  beforeEach(async () => {
    sim = await startSimulator({
      scenario: {
        auth: { accessKey: AK, secretKey: SK },
        jobs: [{ id: "job-a", status: "INCRE_TRANSFER_STARTED" }],
      },
    });
    home = await mkdtemp(join(tmpdir(), "drs-home-"));
    await mkdir(join(home, ".huaweicloud"));
  });
  afterEach(async () => {
    await sim.stop();
    await rm(home, { recursive: true, force: true });
  });

  const writeProfile = async (text: string) => {
    const file = join(home, ".huaweicloud", "credentials");
    await writeFile(file, text);
    await chmod(file, 0o600);
    return file;
  };
  const env = () => ({ PATH: process.env.PATH, HOME: home, HW_DRS_ENDPOINT: sim.url });

  it("with only ~/.huaweicloud/credentials and HW_DRS_ENDPOINT, status succeeds signed", async () => {
    await writeProfile(`[basic]\nak = ${AK}\nsk = ${SK}\nproject_id = ${sim.projectId}\n`);
    const run = await drsJobs(["status", "--json", "job-a"], env());
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout).jobs[0], {
      id: "job-a",
      status: "INCRE_TRANSFER_STARTED",
      phase: "ready",
    });
    const [entry] = sim.requestLog().filter((e) => e.kind === "batch-status");
    assert.equal(entry.authMode, "aksk");
    assert.equal(entry.status, 200);
    assert.equal(entry.headers?.["x-project-id"], sim.projectId);
    assert.equal(run.stderr, "");
  });

  it("a profile with an ak and no sk: exit 4 naming the file and the missing key", async () => {
    const file = await writeProfile(`[basic]\nak = ${AK}\nproject_id = ${sim.projectId}\n`);
    const run = await drsJobs(["status", "job-a"], env());
    assert.equal(run.code, 4);
    assert.ok(run.stderr.includes(file), run.stderr);
    assert.match(run.stderr, /has ak but no sk in \[basic\]/);
    assert.equal(sim.counters().total, 0);
  });

  it("warns on stderr when the profile file is readable by others, and still works", async () => {
    const file = await writeProfile(
      `[basic]\nak = ${AK}\nsk = ${SK}\nproject_id = ${sim.projectId}\n`,
    );
    await chmod(file, 0o644);
    const run = await drsJobs(["status", "job-a"], env());
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /drs-jobs: warning: the profile file .* readable by group or others/);
    assert.ok(!run.stderr.includes(SK));
  });
});

describe("cli: credentials from the HUAWEICLOUD_SDK_* environment", function () {
  this.timeout(30_000);
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({
      scenario: {
        auth: { accessKey: AK, secretKey: SK },
        jobs: [
          { id: "job-a", status: "INCRE_TRANSFER_STARTED" },
          { id: "job-b", status: "FULL_TRANSFER_STARTED" },
        ],
      },
    });
  });
  afterEach(() => sim.stop());

  it("with only SDK AK/SK, HW_REGION_NAME and endpoints, looks the project up once and succeeds", async () => {
    const run = await drsJobs(["status", "--json", "job-a", "job-b"], {
      PATH: process.env.PATH,
      HOME: "/nonexistent",
      HW_DRS_ENDPOINT: sim.url,
      HW_REGION_NAME: "cn-north-4",
      HUAWEICLOUD_SDK_AK: AK,
      HUAWEICLOUD_SDK_SK: SK,
      HUAWEICLOUD_SDK_IAM_ENDPOINT: sim.url,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).jobs.length, 2);
    assert.equal(sim.counters().byKind["iam-projects"], 1);
    const polls = sim.requestLog().filter((e) => e.kind === "batch-status");
    assert.ok(polls.length >= 1);
    for (const poll of polls) {
      assert.equal(poll.path, `/v3/${sim.projectId}/jobs/batch-status`);
      assert.equal(poll.authMode, "aksk");
    }
  });
});
