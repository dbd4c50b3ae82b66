// `drs-jobs auth` as a user runs it to see which credentials a pipeline step will use.
import { strict as assert } from "node:assert";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSimulator, type Simulator } from "../../src/sim";
import { drsJobs } from "../support/drs-jobs";

const AK = "HPUAPROFILEACCESSKEY";
const SK = "auth-cmd-secret-key-0123456789abcdef";
const SECURITY_TOKEN = "auth-cmd-security-token-0123456789";
const PASSWORD = "auth-cmd-password-0123456789";
const TOKEN = "auth-cmd-token-0123456789abcdef";

describe("cli: drs-jobs auth", function () {
  this.timeout(30_000);
  let sim: Simulator;
  let home: string;
  beforeEach(async () => {
    sim = await startSimulator({
      scenario: {
        auth: {
          token: TOKEN,
          accessKey: AK,
          secretKey: SK,
          iam: { userName: "ops", password: PASSWORD, domainName: "acme" },
        },
      },
    });
    home = await mkdtemp(join(tmpdir(), "drs-auth-"));
  });
  afterEach(async () => {
    await sim.stop();
    await rm(home, { recursive: true, force: true });
  });
  // The endpoint `auth` checks the credentials against; the project id is the simulator's.
  const base = () => ({ PATH: process.env.PATH, HOME: home, HW_DRS_ENDPOINT: sim.url });

  it("names the profile file, masks the access key and says where the project id came from", async () => {
    const file = join(home, ".huaweicloud", "credentials");
    await mkdir(join(home, ".huaweicloud"));
    await writeFile(
      file,
      `[basic]\nak = ${AK}\nsk = ${SK}\nsecurity_token = ${SECURITY_TOKEN}\nproject_id = ${sim.projectId}\n`,
    );
    await chmod(file, 0o600);
    const run = await drsJobs(["auth"], base());
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout,
      [
        `source:      profile file ${file} [basic]`,
        "credentials: AK/SK with a security token",
        "access key:  HPUA…SKEY",
        `project id:  ${sim.projectId} (project_id in the profile file ${file})`,
        `checked:     accepted by DRS batch-status at ${sim.url}`,
        "",
      ].join("\n"),
    );
    for (const secret of [SK, SECURITY_TOKEN, AK])
      assert.ok(!(run.stdout + run.stderr).includes(secret));
    assert.deepEqual(
      sim.requestLog().map((r) => r.kind),
      ["batch-status"],
      "one call: the check",
    );
  });

  it("exits 4 naming the refusal when DRS refuses the token; --offline does not ask", async () => {
    const wrong = {
      ...base(),
      HW_AUTH_TOKEN: "not-the-token-0123456789",
      HW_PROJECT_ID: sim.projectId,
    };
    const run = await drsJobs(["auth"], wrong);
    assert.equal(run.code, 4, run.stderr);
    assert.match(
      run.stderr,
      /^drs-jobs auth: DRS refused the credentials from HW_\* environment: DRS batch-status HTTP 401/,
    );
    assert.equal(run.stdout, "");
    assert.ok(!run.stderr.includes("not-the-token-0123456789"));

    const before = sim.counters().total;
    const offline = await drsJobs(["auth", "--offline"], wrong);
    assert.equal(offline.code, 0, offline.stderr);
    assert.match(offline.stdout, /^checked: +not asked \(--offline\)$/m);
    assert.equal(sim.counters().total, before, "nothing was sent");

    const right = await drsJobs(["auth"], { ...wrong, HW_AUTH_TOKEN: TOKEN });
    assert.equal(right.code, 0, right.stderr);
    assert.match(right.stdout, /^checked: +accepted by DRS batch-status at /m);
  });

  it("looks the project id up for SDK keys and a region, as JSON", async () => {
    const run = await drsJobs(["auth", "--json"], {
      ...base(),
      HW_REGION_NAME: "cn-north-4",
      HUAWEICLOUD_SDK_AK: AK,
      HUAWEICLOUD_SDK_SK: SK,
      HUAWEICLOUD_SDK_IAM_ENDPOINT: sim.url,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), {
      source: "HUAWEICLOUD_SDK_* environment",
      kind: "aksk",
      accessKey: "HPUA…SKEY",
      securityToken: false,
      projectId: sim.projectId,
      projectIdSource: "looked up in IAM by the region cn-north-4",
      acceptedBy: `DRS batch-status at ${sim.url}`,
    });
    assert.equal(sim.counters().byKind["iam-projects"], 1);
  });

  it("for a user and password, fetches a token and shows when it expires, not the password", async () => {
    const run = await drsJobs(["auth"], {
      ...base(),
      HW_USER_NAME: "ops",
      HW_USER_PASSWORD: PASSWORD,
      HW_DOMAIN_NAME: "acme",
      HW_AUTH_URL: sim.url,
      HW_PROJECT_ID: sim.projectId,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^source: +HW_\* environment$/m);
    assert.match(run.stdout, /^credentials: +IAM user and password$/m);
    assert.match(run.stdout, /^expires: +\d{4}-\d\d-\d\dT/m);
    // One token to show when it expires, one for the client that checks it with DRS.
    assert.equal(sim.counters().byKind["iam-token"], 2);
    assert.equal(sim.counters().byKind["batch-status"], 1);
    assert.ok(!(run.stdout + run.stderr).includes(PASSWORD));
  });

  it("exits 4 with the reason when no source works", async () => {
    const none = await drsJobs(["auth"], base());
    assert.equal(none.code, 4);
    assert.match(none.stderr, /no working credentials: .*no credentials: set HW_AUTH_TOKEN/s);
    const half = await drsJobs(["auth"], { ...base(), HUAWEICLOUD_SDK_AK: AK });
    assert.equal(half.code, 4);
    assert.match(half.stderr, /HUAWEICLOUD_SDK_AK is set without HUAWEICLOUD_SDK_SK/);
    const wrong = await drsJobs(["auth"], {
      ...base(),
      HW_REGION_NAME: "cn-north-4",
      HUAWEICLOUD_SDK_AK: AK,
      HUAWEICLOUD_SDK_SK: "not-the-secret-key-0123456789",
      HUAWEICLOUD_SDK_IAM_ENDPOINT: sim.url,
    });
    assert.equal(wrong.code, 4);
    assert.match(wrong.stderr, /IAM project lookup HTTP 401/);
    assert.ok(!wrong.stderr.includes("not-the-secret-key-0123456789"));
  });
});
