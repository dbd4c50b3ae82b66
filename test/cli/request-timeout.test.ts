// HW_DRS_REQUEST_TIMEOUT bounds every request, not only DRS's: an IAM token request, an OIDC
// federation exchange and an ECS metadata call that are accepted and never answered are cut
// off at it (the simulator's `hang` fault on that path), and the command says which one.
import { strict as assert } from "node:assert";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXIT } from "../../src/cli/exit";
import { startSimulator, type Simulator } from "../../src/sim";
import {
  IAM_TOKENS_PATH,
  ID_TOKEN_PATH,
  METADATA_TOKEN_PATH,
  SECURITY_KEY_PATH,
} from "../../src/api/wire";
import { drsJobs } from "../support/drs-jobs";

const IDP = "request-timeout-idp";
const ID_TOKEN = "eyJ.request-timeout-id-token.sig";
const PASSWORD = "request-timeout-password-0123";

describe("HW_DRS_REQUEST_TIMEOUT cuts off a hung credentials request", function () {
  this.timeout(60_000);
  let sim: Simulator;
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "drs-request-timeout-"));
    sim = await startSimulator({
      scenario: {
        auth: {
          iam: { userName: "ops", password: PASSWORD, domainName: "acme" },
          federation: { idpId: IDP, idToken: ID_TOKEN },
          ecsMetadata: {},
        },
        jobs: [{ id: "job-a", status: "INCRE_TRANSFER_STARTED" }],
      },
    });
  });
  afterEach(async () => {
    await sim.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** `status job-a` with the credentials in `env`, every request allowed 500 ms, no retry. */
  const status = (env: NodeJS.ProcessEnv) =>
    drsJobs(["status", "job-a"], {
      PATH: process.env.PATH,
      HOME: dir,
      HW_DRS_ENDPOINT: sim.url,
      HW_PROJECT_ID: sim.projectId,
      HW_DRS_REQUEST_TIMEOUT: "500ms",
      HW_MAX_RETRIES: "0",
      ...env,
    });

  /** Hangs every request to `path`; checks the command gave up on it, not on DRS. */
  async function assertCutOff(path: string, env: NodeJS.ProcessEnv, operation: RegExp) {
    sim.addFault({ hang: true, path });
    const run = await status(env);
    assert.equal(run.code, EXIT.api, run.stderr);
    assert.match(run.stderr, operation);
    assert.match(run.stderr, /no answer within 500 ms/);
    assert.ok(
      sim.requestLog().some((entry) => entry.path === path),
      `${path} was called`,
    );
    assert.equal(sim.counters().byKind["batch-status"] ?? 0, 0, "DRS was never reached");
  }

  it("an IAM token request (user and password)", async () => {
    await assertCutOff(
      IAM_TOKENS_PATH,
      {
        HW_USER_NAME: "ops",
        HW_USER_PASSWORD: PASSWORD,
        HW_DOMAIN_NAME: "acme",
        HW_AUTH_URL: sim.url,
      },
      /IAM token request/,
    );
  });

  it("an OIDC federation exchange", async () => {
    const tokenFile = join(dir, "id-token");
    await writeFile(tokenFile, ID_TOKEN);
    await assertCutOff(
      ID_TOKEN_PATH,
      {
        HUAWEICLOUD_SDK_IDP_ID: IDP,
        HUAWEICLOUD_SDK_ID_TOKEN_FILE: tokenFile,
        HUAWEICLOUD_SDK_IAM_ENDPOINT: sim.url,
      },
      /federation|ID token|id-token/i,
    );
  });

  it("an ECS metadata request", async () => {
    await assertCutOff(
      SECURITY_KEY_PATH,
      { HW_CREDENTIAL_SOURCE: "ecs-metadata", HW_ECS_METADATA_ENDPOINT: sim.url },
      /metadata/i,
    );
  });

  it("an ECS metadata session token request", async () => {
    await assertCutOff(
      METADATA_TOKEN_PATH,
      { HW_CREDENTIAL_SOURCE: "ecs-metadata", HW_ECS_METADATA_ENDPOINT: sim.url },
      /metadata/i,
    );
  });
});
