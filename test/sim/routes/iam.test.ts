import { strict as assert } from "node:assert";
import { startSimulator, type Simulator } from "../../../src/sim";
import { JOB_A, PROJECT_ID, adminCall, batchStatus, call } from "../helpers";

const USER = { userName: "ops-user", password: "s3cret-Passw0rd", domainName: "ops-domain" };

function tokenRequest(
  sim: Simulator,
  overrides: { name?: string; password?: string; domain?: string; scope?: unknown } = {},
) {
  return call(`${sim.url}/v3/auth/tokens`, {
    headers: { "Content-Type": "application/json;charset=UTF-8" },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ["password"],
          password: {
            user: {
              name: overrides.name ?? USER.userName,
              password: overrides.password ?? USER.password,
              domain: { name: overrides.domain ?? USER.domainName },
            },
          },
        },
        scope: overrides.scope ?? { project: { name: "cn-north-4" } },
      },
    }),
  });
}

describe("sim: fake IAM POST /v3/auth/tokens", () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({
      scenario: {
        projectId: PROJECT_ID,
        auth: { iam: { ...USER, tokenLifetime: "1h" } },
        jobs: [{ id: JOB_A, status: "FULL_TRANSFER_COMPLETE" }],
      },
    });
  });
  afterEach(() => sim.stop());

  it("issues a token (201, X-Subject-Token, token.expires_at) that DRS calls accept", async () => {
    const issued = await tokenRequest(sim);
    assert.equal(issued.status, 201);
    const token = issued.headers.get("x-subject-token");
    assert.ok(token && token.length > 40);
    const expiresAt = Date.parse(issued.json.token.expires_at);
    const lifetime = expiresAt - Date.parse(issued.json.token.issued_at);
    assert.equal(lifetime, 3600_000);
    assert.equal(issued.json.token.project.id, PROJECT_ID);
    assert.equal(issued.json.token.project.name, "cn-north-4");

    const answer = await batchStatus(sim, { jobs: [JOB_A] }, { "X-Auth-Token": token });
    assert.equal(answer.status, 200);
    assert.equal(answer.json.results[0].status, "FULL_TRANSFER_COMPLETE");
    const log = sim.requestLog();
    assert.deepEqual(
      log.map((e) => [e.kind, e.authMode, e.status]),
      [
        ["iam-token", "password", 201],
        ["batch-status", "iam-token", 200],
      ],
    );
    assert.equal(log[0].userName, USER.userName);
    assert.deepEqual(log[0].scope, { name: "cn-north-4" });
    await tokenRequest(sim, { scope: { project: { id: PROJECT_ID } } });
    assert.deepEqual(sim.requestLog().at(-1)?.scope, { id: PROJECT_ID });
    const text = JSON.stringify(log);
    assert.ok(!text.includes(token) && !text.includes(USER.password), text);
  });

  it("lets a token expire when the clock passes its lifetime: 401 APIG.1002, then a new one works", async () => {
    const token = (await tokenRequest(sim)).headers.get("x-subject-token")!;
    await adminCall(sim, "POST", "clock", { advance: "59m" });
    assert.equal(
      (await batchStatus(sim, { jobs: [JOB_A] }, { "X-Auth-Token": token })).status,
      200,
    );
    await adminCall(sim, "POST", "clock", { advance: "1m" });
    const expired = await batchStatus(sim, { jobs: [JOB_A] }, { "X-Auth-Token": token });
    assert.equal(expired.status, 401);
    assert.equal(expired.json.error_code, "APIG.1002");
    assert.match(expired.json.error_msg, /expired/);
    const fresh = (await tokenRequest(sim)).headers.get("x-subject-token")!;
    assert.equal(
      (await batchStatus(sim, { jobs: [JOB_A] }, { "X-Auth-Token": fresh })).status,
      200,
    );
  });

  it("revokes tokens through the admin API and the method", async () => {
    const first = (await tokenRequest(sim)).headers.get("x-subject-token")!;
    const second = (await tokenRequest(sim)).headers.get("x-subject-token")!;
    const revoked = await adminCall(sim, "POST", "tokens/revoke", { token: first });
    assert.deepEqual(revoked.json, { revoked: 1 });
    assert.equal(
      (await batchStatus(sim, { jobs: [JOB_A] }, { "X-Auth-Token": first })).status,
      401,
    );
    assert.equal(
      (await batchStatus(sim, { jobs: [JOB_A] }, { "X-Auth-Token": second })).status,
      200,
    );
    assert.equal(sim.revokeTokens(), 1);
    assert.equal(
      (await batchStatus(sim, { jobs: [JOB_A] }, { "X-Auth-Token": second })).status,
      401,
    );
  });

  for (const [what, overrides] of [
    ["password", { password: "wrong" }],
    ["user name", { name: "someone" }],
    ["domain", { domain: "other" }],
  ] as const) {
    it(`refuses a wrong ${what} with 401 in IAM's error shape`, async () => {
      const answer = await tokenRequest(sim, overrides);
      assert.equal(answer.status, 401);
      assert.equal(answer.headers.get("x-subject-token"), null);
      assert.equal(answer.json.error.code, "IAM.0004");
      assert.match(answer.json.error.message, /username or password/);
    });
  }

  it("refuses a body without password identity with 400", async () => {
    const answer = await call(`${sim.url}/v3/auth/tokens`, {
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ auth: { identity: { methods: ["token"] } } }),
    });
    assert.equal(answer.status, 400);
    assert.equal(answer.json.error.code, "IAM.0001");
    assert.equal((await call(`${sim.url}/v3/auth/tokens`, { body: "{" })).status, 400);
  });

  it("refuses a scope naming another project ID", async () => {
    const answer = await tokenRequest(sim, { scope: { project: { id: "ffff" } } });
    assert.equal(answer.status, 400);
    const ok = await tokenRequest(sim, { scope: { project: { id: PROJECT_ID } } });
    assert.equal(ok.status, 201);
  });

  it("answers 405 to GET and 404 when IAM is not configured", async () => {
    assert.equal((await call(`${sim.url}/v3/auth/tokens`, { method: "GET" })).status, 405);
    const plain = await startSimulator({ scenario: { auth: { token: "t" } } });
    try {
      const answer = await tokenRequest(plain);
      assert.equal(answer.status, 404);
      assert.match(answer.json.error.message, /not enabled/);
    } finally {
      await plain.stop();
    }
  });

  it("accepts a fixed token and IAM tokens side by side when both are configured", async () => {
    const both = await startSimulator({
      scenario: { auth: { token: "fixed", iam: USER }, jobs: [{ id: JOB_A, status: "CREATING" }] },
    });
    try {
      assert.equal(
        (await batchStatus(both, { jobs: [JOB_A] }, { "X-Auth-Token": "fixed" })).status,
        200,
      );
      const token = (await tokenRequest(both)).headers.get("x-subject-token")!;
      assert.equal(
        (await batchStatus(both, { jobs: [JOB_A] }, { "X-Auth-Token": token })).status,
        200,
      );
      assert.equal(
        (await batchStatus(both, { jobs: [JOB_A] }, { "X-Auth-Token": "MIIsimnope" })).status,
        401,
      );
    } finally {
      await both.stop();
    }
  });
});
