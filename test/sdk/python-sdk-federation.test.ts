// Proof that the simulator's federation is the real thing: Huawei's official Python SDK, with
// only HUAWEICLOUD_SDK_IDP_ID / _ID_TOKEN_FILE / _IAM_ENDPOINT pointing at the simulator, gets
// temporary keys from it and calls batch-status with them. The SDK lives in the cached
// virtualenv of test/support/python-sdk.ts (the first run installs it from PyPI).
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startSimulator, type Simulator } from "../../src/sim";
import { ID_TOKEN_PATH, SECURITY_TOKENS_PATH } from "../../src/api/wire";
import { sdkPythonOrSkip } from "../support/python-sdk";

const run = promisify(execFile);

const IDP = "github-actions";
const ID_TOKEN = "eyJhbGciOiJSUzI1NiJ9.python-sdk-id-token-77c1.c2ln";

describe("the official Python SDK against the simulator's federation", function () {
  this.timeout(600_000);
  let sim: Simulator;
  let dir: string;

  let python: string;

  before(async function () {
    // The same pinned SDK, in the same cached virtualenv, as the batch-progress proof.
    python = await sdkPythonOrSkip(this);
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "drs-pysdk-"));
    sim = await startSimulator({
      scenario: {
        auth: { federation: { idpId: IDP, idToken: ID_TOKEN } },
        jobs: [{ id: "job-a", status: "INCRE_TRANSFER_STARTED" }],
      },
    });
  });
  afterEach(async () => {
    await sim?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("gets temporary keys by OIDC federation and calls batch-status signed with them", async () => {
    const tokenFile = join(dir, "id-token");
    await writeFile(tokenFile, ID_TOKEN);
    const { stdout } = await run(python, [join(__dirname, "federation_batch_status.py"), "job-a"], {
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        HUAWEICLOUD_SDK_IDP_ID: IDP,
        HUAWEICLOUD_SDK_ID_TOKEN_FILE: tokenFile,
        HUAWEICLOUD_SDK_IAM_ENDPOINT: sim.url,
        HUAWEICLOUD_SDK_PROJECT_ID: sim.projectId,
        DRS_ENDPOINT: sim.url,
      },
      timeout: 60_000,
    });
    const answer = JSON.parse(stdout) as { results: { id: string; status: string }[] };
    assert.deepEqual(
      answer.results.map((r) => [r.id, r.status]),
      [["job-a", "INCRE_TRANSFER_STARTED"]],
    );
    const log = sim.requestLog();
    assert.deepEqual(
      log.map((e) => [e.path, e.status]),
      [
        [ID_TOKEN_PATH, 201],
        [SECURITY_TOKENS_PATH, 201],
        [`/v3/${sim.projectId}/jobs/batch-status`, 200],
      ],
    );
    const poll = log[2];
    assert.equal(poll.authMode, "aksk");
    assert.match(poll.accessKey ?? "", /^STS/);
    assert.ok(poll.signedHeaders?.includes("x-security-token"));
  });
});
