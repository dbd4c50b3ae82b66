// Temporary keys as a pipeline step meets them: `drs-jobs wait` outliving the keys it started
// with, from the ECS metadata service and from OIDC federation, all served by the simulator.
import { strict as assert } from "node:assert";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSimulator, type Simulator } from "../../src/sim";
import { ID_TOKEN_PATH, SECURITY_KEY_PATH, SECURITY_TOKENS_PATH } from "../../src/api/wire";
import { drsJobs } from "../support/drs-jobs";
import { afterAnswers } from "../support/timeline";

const IDP = "github-actions";
const ID_TOKEN = "eyJhbGciOiJSUzI1NiJ9.cli-federation-id-token-5f2a.c2ln";
/** Pending until a test's afterAnswers makes it ready. */
const SLOW_JOB = { id: "job-a", status: "FULL_TRANSFER_STARTED" };
/** Polls before the job turns ready: at 1 s apart, the wait spans at least 5 s of keys. */
const POLLS_BEFORE_READY = 5;

describe("cli: temporary credentials outlive a wait", function () {
  this.timeout(40_000);
  let sim: Simulator;
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), "drs-tmpcreds-"))));
  afterEach(async () => {
    await sim?.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const polls = () => sim.requestLog().filter((e) => e.kind === "batch-status");
  const calls = (path: string) => sim.requestLog().filter((e) => e.path === path);
  const readyAfterPolls = () =>
    afterAnswers(sim, "batch-status", POLLS_BEFORE_READY, () =>
      sim.setJobStatus("job-a", "INCRE_TRANSFER_STARTED"),
    );

  it("ecs-metadata: keys living 3 s are fetched again before they expire, and the wait succeeds", async () => {
    sim = await startSimulator({
      scenario: { auth: { ecsMetadata: {}, temporaryKeyLifetime: "3s" }, jobs: [SLOW_JOB] },
    });
    const ready = readyAfterPolls();
    const run = await drsJobs(["wait", "--interval", "1s", "--timeout", "30s", "job-a"], {
      PATH: process.env.PATH,
      HOME: dir,
      HW_CREDENTIAL_SOURCE: "ecs-metadata",
      HW_ECS_METADATA_ENDPOINT: sim.url,
      HW_DRS_ENDPOINT: sim.url,
      HW_REGION_NAME: "cn-north-4",
      HW_AUTH_URL: sim.url,
    }).finally(ready);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(polls().length, POLLS_BEFORE_READY + 1);
    // Never a 401: each key was replaced before it expired.
    assert.deepEqual(new Set(polls().map((p) => p.status)), new Set([200]));
    assert.ok(calls(SECURITY_KEY_PATH).length >= 3, "keys fetched again, more than once");
    assert.equal(
      sim.counters().byKind["iam-projects"],
      1,
      "project looked up with the agency keys",
    );
  });

  it("federation: one exchange per key lifetime however many polls, and the ID token nowhere", async () => {
    sim = await startSimulator({
      scenario: {
        auth: { federation: { idpId: IDP, idToken: ID_TOKEN }, temporaryKeyLifetime: "1h" },
        jobs: [SLOW_JOB],
      },
    });
    const tokenFile = join(dir, "oidc-token");
    await writeFile(tokenFile, ID_TOKEN);
    const env = {
      PATH: process.env.PATH,
      HOME: dir,
      HUAWEICLOUD_SDK_IDP_ID: IDP,
      HUAWEICLOUD_SDK_ID_TOKEN_FILE: tokenFile,
      HUAWEICLOUD_SDK_IAM_ENDPOINT: sim.url,
      HUAWEICLOUD_SDK_PROJECT_ID: sim.projectId,
      HW_DRS_ENDPOINT: sim.url,
    };
    const ready = readyAfterPolls();
    const run = await drsJobs(
      ["wait", "--interval", "1s", "--timeout", "30s", "job-a"],
      env,
    ).finally(ready);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(polls().length, POLLS_BEFORE_READY + 1);
    assert.equal(calls(ID_TOKEN_PATH).length, 1);
    assert.equal(calls(SECURITY_TOKENS_PATH).length, 1);

    const auth = await drsJobs(["auth"], env);
    assert.equal(auth.code, 0, auth.stderr);
    assert.match(auth.stdout, /^source: +OIDC federation \(HUAWEICLOUD_SDK_IDP_ID/m);
    assert.match(auth.stdout, /^credentials: +temporary AK\/SK from OIDC federation$/m);
    assert.match(auth.stdout, /^access key: +STS.…/m);
    assert.match(auth.stdout, /^expires: +\d{4}-\d\d-\d\dT/m);
    for (const text of [run.stdout, run.stderr, auth.stdout, auth.stderr])
      assert.ok(!text.includes(ID_TOKEN) && !text.includes("cli-federation-id-token"), text);
  });
});
