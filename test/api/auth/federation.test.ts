// OIDC federation against the simulator's IAM: ID token -> unscoped token -> temporary keys,
// shared by every request of the process, refreshed ahead of expiry and once on "expired".
import { strict as assert } from "node:assert";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DrsClient } from "../../../src/api/client";
import { DrsApiError } from "../../../src/api/errors";
import { startSimulator, type Simulator } from "../../../src/sim";
import { waitForJobs } from "../../../src/wait";
import { ID_TOKEN_PATH, SECURITY_TOKENS_PATH } from "../../../src/api/wire";

const IDP = "github-actions";
const ID_TOKEN = "eyJhbGciOiJSUzI1NiJ9.fed-test-id-token.c2lnbmF0dXJl";
const JOBS = [{ id: "job-a", status: "INCRE_TRANSFER_STARTED" }];

describe("api/auth: OIDC federation", function () {
  this.timeout(20_000);
  let sim: Simulator;
  let dir: string;
  let tokenFile: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "drs-fed-"));
    tokenFile = join(dir, "id-token");
    await writeFile(tokenFile, `${ID_TOKEN}\n`);
  });
  afterEach(async () => {
    await sim?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function start(lifetime = "1h") {
    sim = await startSimulator({
      scenario: {
        auth: { federation: { idpId: IDP, idToken: ID_TOKEN }, temporaryKeyLifetime: lifetime },
        jobs: JOBS,
      },
    });
  }
  const client = () =>
    new DrsClient({
      env: {
        HW_DRS_ENDPOINT: sim.url,
        HW_PROJECT_ID: sim.projectId,
        HUAWEICLOUD_SDK_IDP_ID: IDP,
        HUAWEICLOUD_SDK_ID_TOKEN_FILE: tokenFile,
        HUAWEICLOUD_SDK_IAM_ENDPOINT: sim.url,
      },
      retry: { minTimeout: 5, maxTimeout: 10 },
    });
  const calls = (path: string) => sim.requestLog().filter((e) => e.path === path);
  const polls = () => sim.requestLog().filter((e) => e.kind === "batch-status");

  it("exchanges once for many concurrent requests of many clients, and signs with the keys", async () => {
    await start();
    const clients = [client(), client(), client()];
    const answers = await Promise.all(
      clients.flatMap((c) => [c.batchStatus(["job-a"]), c.batchStatus(["job-a"])]),
    );
    for (const [entry] of answers) assert.equal(entry.status, "INCRE_TRANSFER_STARTED");
    assert.equal(calls(ID_TOKEN_PATH).length, 1);
    assert.equal(calls(SECURITY_TOKENS_PATH).length, 1);
    const [exchange] = calls(ID_TOKEN_PATH);
    assert.equal(exchange.status, 201);
    assert.equal(polls().length, 6);
    for (const poll of polls()) {
      assert.equal(poll.authMode, "aksk");
      assert.match(poll.accessKey ?? "", /^STS/);
      assert.equal(poll.headers?.["x-security-token"], "***");
      assert.ok(poll.signedHeaders?.includes("x-security-token"), "the security token is signed");
    }
    assert.equal(sim.temporaryKeys().issued.federation, 1);
  });

  it("refreshes ahead of expiry, so no request meets an expired key", async () => {
    await start("2s");
    const c = client();
    await c.batchStatus(["job-a"]);
    // Keys living 2 s are refreshed halfway: a call 1.5 s later gets new ones first.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await c.batchStatus(["job-a"]);
    assert.equal(calls(SECURITY_TOKENS_PATH).length, 2);
    assert.deepEqual(
      polls().map((p) => p.status),
      [200, 200],
    );
  });

  it("fetches new keys once when the service says they expired, then succeeds", async () => {
    await start();
    const c = client();
    await c.batchStatus(["job-a"]);
    assert.equal(sim.expireTemporaryKeys(), 1);
    const [entry] = await c.batchStatus(["job-a"]);
    assert.equal(entry.status, "INCRE_TRANSFER_STARTED");
    assert.deepEqual(
      polls().map((p) => [p.status, p.errorCode]),
      [
        [200, undefined],
        [401, "APIG.0301"],
        [200, undefined],
      ],
    );
    assert.equal(calls(ID_TOKEN_PATH).length, 2);
  });

  it("reads the ID token file at each exchange (CI systems rotate it)", async () => {
    await start();
    await writeFile(tokenFile, "eyJ.a-stale-token-from-yesterday.sig");
    const c = client();
    const err = await c.batchStatus(["job-a"]).catch((e: unknown) => e);
    assert.ok(err instanceof DrsApiError);
    assert.match(err.message, /IAM ID token exchange HTTP 401 .*HUAWEICLOUD_SDK_IDP_ID/);
    assert.ok(!err.message.includes("a-stale-token-from-yesterday"));
    await writeFile(tokenFile, ID_TOKEN);
    assert.equal((await c.batchStatus(["job-a"]))[0].status, "INCRE_TRANSFER_STARTED");
    assert.equal(polls().length, 1, "no DRS request before keys were had");
  });

  it("retries both IAM calls on transient failures, like every other call", async () => {
    await start();
    sim.addFaults([
      { path: ID_TOKEN_PATH, status: 503, times: 2 },
      { path: SECURITY_TOKENS_PATH, drop: true, times: 1 },
    ]);
    assert.equal((await client().batchStatus(["job-a"]))[0].status, "INCRE_TRANSFER_STARTED");
    assert.deepEqual(
      calls(ID_TOKEN_PATH).map((e) => e.status),
      [503, 503, 201],
    );
    assert.deepEqual(
      calls(SECURITY_TOKENS_PATH).map((e) => e.status),
      [0, 201],
    );
  });

  it("gives up after the exchange's own retries, which the poll does not start over", async () => {
    await start();
    sim.addFault({ path: ID_TOKEN_PATH, status: 503 });
    const c = new DrsClient({
      env: {
        HW_DRS_ENDPOINT: sim.url,
        HW_PROJECT_ID: sim.projectId,
        HUAWEICLOUD_SDK_IDP_ID: IDP,
        HUAWEICLOUD_SDK_ID_TOKEN_FILE: tokenFile,
        HUAWEICLOUD_SDK_IAM_ENDPOINT: sim.url,
      },
      maxRetries: 2,
      retry: { minTimeout: 5, maxTimeout: 10 },
    });
    const err = await c.batchStatus(["job-a"]).catch((e: unknown) => e);
    assert.ok(err instanceof DrsApiError);
    assert.match(err.message, /IAM ID token exchange HTTP 503.*gave up after 3 attempts\)$/);
    assert.equal(calls(ID_TOKEN_PATH).length, 3);
  });

  it("a wait rides out an exchange that failed after its retries, and polls on", async () => {
    await start();
    sim.addFault({ path: ID_TOKEN_PATH, status: 503, times: 2 });
    const result = await waitForJobs(["job-a"], {
      env: {
        HW_DRS_ENDPOINT: sim.url,
        HW_PROJECT_ID: sim.projectId,
        HUAWEICLOUD_SDK_IDP_ID: IDP,
        HUAWEICLOUD_SDK_ID_TOKEN_FILE: tokenFile,
        HUAWEICLOUD_SDK_IAM_ENDPOINT: sim.url,
      },
      maxRetries: 1,
      retry: { minTimeout: 5, maxTimeout: 10 },
      pollInterval: "200ms",
      timeout: "10s",
    });
    assert.deepEqual(
      result.jobs.map((j) => j.phase),
      ["ready"],
    );
    assert.deepEqual(
      calls(ID_TOKEN_PATH).map((e) => e.status),
      [503, 503, 201],
    );
  });

  it("names a missing ID token file without reading anything else", async () => {
    await start();
    await rm(tokenFile);
    const err = await client()
      .batchStatus(["job-a"])
      .catch((e: unknown) => e);
    assert.ok(err instanceof Error);
    assert.match(
      err.message,
      new RegExp(`cannot read the OIDC ID token file ${tokenFile}: ENOENT`),
    );
    assert.equal(sim.counters().total, 0);
  });
});
