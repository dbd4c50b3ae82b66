import { strict as assert } from "node:assert";
import { inspect } from "node:util";
import { DrsApiError } from "../../../src/api";
import { passwordAuthBody } from "../../../src/api/auth/iam-password";
import { FakeDrs, makeJobs } from "../support/fake-drs";
import { clientFor } from "../support/clients";

const USER = { userName: "alice", password: "pa55-w0rd-secret", domainName: "acme" };

describe("api/auth IAM user/password over HTTP", () => {
  let fake: FakeDrs;
  afterEach(async () => fake?.close());
  const client = (extra = {}) => clientFor(fake, { ...USER, iamEndpoint: fake.url, ...extra });

  it("builds the documented body, scoped by project id or else by region name", () => {
    assert.deepEqual(passwordAuthBody({ ...USER, projectId: "p1" }, "pw"), {
      auth: {
        identity: {
          methods: ["password"],
          password: { user: { name: "alice", password: "pw", domain: { name: "acme" } } },
        },
        scope: { project: { id: "p1" } },
      },
    });
    assert.deepEqual(
      (passwordAuthBody({ ...USER, region: "cn-north-4" }, "pw") as { auth: { scope: unknown } })
        .auth.scope,
      {
        project: { name: "cn-north-4" },
      },
    );
  });

  it("exchanges once and shares the token across 10 concurrent calls", async () => {
    const { ids, jobs } = makeJobs(3);
    fake = await FakeDrs.start({ auth: USER, jobs });
    const c = client();
    const all = await Promise.all(Array.from({ length: 10 }, () => c.batchStatus(ids)));
    assert.equal(fake.iamRequests.length, 1);
    assert.equal(fake.requests.length, 10);
    assert.ok(all.every((entries) => entries.length === 3));
    const token = fake.requests[0].headers["x-auth-token"];
    assert.match(String(token), /^MII-token-1-/);
    assert.deepEqual((fake.iamRequests[0].body as { auth: { scope: unknown } }).auth.scope, {
      project: { id: fake.projectId },
    });
    // Cached: a later call needs no exchange.
    await c.batchStatus(ids);
    assert.equal(fake.iamRequests.length, 1);
  });

  it("fetches a new token once when DRS rejects a revoked one", async () => {
    const { ids, jobs } = makeJobs(1);
    fake = await FakeDrs.start({ auth: USER, jobs });
    const c = client();
    await c.batchStatus(ids);
    fake.revokeTokens();
    const entries = await c.batchStatus(ids);
    assert.equal(entries[0].phase, "ready");
    assert.equal(fake.iamRequests.length, 2);
    assert.deepEqual(
      fake.requests.map((r) => r.status),
      [200, 401, 200],
    );
  });

  it("shares one refresh among concurrent calls that all got 401", async () => {
    const { ids, jobs } = makeJobs(1);
    fake = await FakeDrs.start({ auth: USER, jobs });
    const c = client();
    await c.batchStatus(ids);
    fake.revokeTokens();
    await Promise.all(Array.from({ length: 5 }, () => c.batchStatus(ids)));
    assert.equal(fake.iamRequests.length, 2);
  });

  it("refreshes a token that is close to expiry before using it", async () => {
    const { ids, jobs } = makeJobs(1);
    // Lives 2 minutes, less than the 5-minute margin: refreshed halfway, i.e. after a minute.
    fake = await FakeDrs.start({ auth: { ...USER, tokenLifetimeMs: 2 * 60_000 }, jobs });
    let now = Date.now();
    const c = clientFor(fake, { ...USER, iamEndpoint: fake.url });
    // The authenticator (and the fake's expires_at) read Date.now; move it by hand.
    const realNow = Date.now;
    try {
      Date.now = () => now;
      await c.batchStatus(ids);
      now += 30_000;
      await c.batchStatus(ids);
      assert.equal(fake.iamRequests.length, 1);
      now += 61_000;
      await c.batchStatus(ids);
      assert.equal(fake.iamRequests.length, 2);
    } finally {
      Date.now = realNow;
    }
  });

  it("stops on wrong credentials without retrying and without the password in the message", async () => {
    fake = await FakeDrs.start({ auth: USER });
    const err = await client({ password: "wrong-password-123" })
      .batchStatus(["a"])
      .catch((e: unknown) => e);
    assert.ok(err instanceof DrsApiError);
    assert.equal(err.operation, "IAM token request");
    assert.equal(err.httpStatus, 401);
    assert.match(err.message, /HW_USER_NAME, HW_USER_PASSWORD, HW_DOMAIN_NAME/);
    assert.equal(fake.iamRequests.length, 1);
    assert.equal(fake.requests.length, 0);
    assert.ok(!inspect(err, { depth: 10 }).includes("wrong-password-123"));
  });

  it("retries a failing IAM like DRS", async () => {
    const { ids, jobs } = makeJobs(1);
    fake = await FakeDrs.start({ auth: USER, jobs });
    fake.iamFaults.push({ kind: "status", status: 503 });
    await client().batchStatus(ids);
    assert.equal(fake.iamRequests.length, 2);
  });

  it("keeps password and token out of the client's inspect", async () => {
    const { ids, jobs } = makeJobs(1);
    fake = await FakeDrs.start({ auth: USER, jobs });
    const c = client();
    await c.batchStatus(ids);
    const token = String(fake.requests[0].headers["x-auth-token"]);
    const text =
      inspect(c, { depth: 10, showHidden: true }) +
      JSON.stringify(c) +
      inspect(c.settings, { depth: 10 });
    assert.ok(!text.includes(USER.password) && !text.includes(token), text);
  });
});
