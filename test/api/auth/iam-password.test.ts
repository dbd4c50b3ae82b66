import { strict as assert } from "node:assert";
import { inspect } from "node:util";
import { DrsApiError } from "../../../src/api";
import { passwordAuthBody } from "../../../src/api/auth/iam-password";
import { startSimulator, type IamInput, type Simulator } from "../../../src/sim";
import { clientFor, drsRequests, iamRequests, makeJobs } from "../support/clients";
import { judge } from "../../../src/api/status";

const USER = { userName: "alice", password: "pa55-w0rd-secret", domainName: "acme" };
/** Every token the simulator's IAM issues starts so. */
const SIM_TOKEN_PREFIX = "MIIsim";

describe("api/auth IAM user/password over HTTP", () => {
  let sim: Simulator;
  afterEach(async () => sim?.stop());
  const start = async (iam: Partial<IamInput> = {}) => {
    sim = await startSimulator({
      scenario: { auth: { iam: { ...USER, ...iam } }, jobs: makeJobs(3).jobs },
    });
    return sim;
  };
  const client = (extra = {}) => clientFor(sim, { ...USER, iamEndpoint: sim.url, ...extra });
  const { ids } = makeJobs(3);
  const one = ids.slice(0, 1);

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
    await start();
    const c = client();
    const all = await Promise.all(Array.from({ length: 10 }, () => c.batchStatus(ids)));
    assert.ok(all.every((entries) => entries.length === 3 && judge(entries[0]).phase === "ready"));
    assert.equal(iamRequests(sim).length, 1);
    // Every DRS call carried the token IAM issued.
    assert.deepEqual(
      drsRequests(sim).map((e) => [e.status, e.authMode]),
      Array.from({ length: 10 }, () => [200, "iam-token"]),
    );
    const [exchange] = iamRequests(sim);
    assert.equal(exchange.status, 201);
    assert.equal(exchange.userName, USER.userName);
    assert.deepEqual(exchange.scope, { id: sim.projectId });
    // Cached: a later call needs no exchange.
    await c.batchStatus(ids);
    assert.equal(iamRequests(sim).length, 1);
  });

  it("fetches a new token once when DRS rejects a revoked one", async () => {
    await start();
    const c = client();
    await c.batchStatus(one);
    assert.equal(sim.revokeTokens(), 1);
    const entries = await c.batchStatus(one);
    assert.equal(judge(entries[0]).phase, "ready");
    assert.equal(iamRequests(sim).length, 2);
    assert.deepEqual(
      drsRequests(sim).map((e) => [e.status, e.errorCode]),
      [
        [200, undefined],
        [401, "APIG.1002"],
        [200, undefined],
      ],
    );
  });

  it("shares one refresh among concurrent calls that all got 401", async () => {
    await start();
    const c = client();
    await c.batchStatus(one);
    sim.revokeTokens();
    await Promise.all(Array.from({ length: 5 }, () => c.batchStatus(one)));
    assert.equal(iamRequests(sim).length, 2);
    assert.equal(drsRequests(sim).filter((e) => e.status === 401).length, 5);
  });

  it("fetches a new token when DRS says the old one expired", async () => {
    await start({ tokenLifetime: "2h" });
    const c = client();
    await c.batchStatus(one);
    // IAM said 2 h; the service expired it sooner than the client planned to refresh it.
    sim.advanceClock("3h");
    assert.equal(judge((await c.batchStatus(one))[0]).phase, "ready");
    assert.equal(iamRequests(sim).length, 2);
    assert.deepEqual(
      drsRequests(sim).map((e) => e.status),
      [200, 401, 200],
    );
  });

  it("refreshes a token that is close to expiry before using it", async () => {
    // Lives 2 minutes, less than the 5-minute margin: refreshed halfway, i.e. after a minute.
    await start({ tokenLifetime: "2m" });
    let now = Date.now();
    const c = client();
    // The authenticator reads Date.now; move it by hand, and the simulator's clock with it.
    const realNow = Date.now;
    try {
      Date.now = () => now;
      await c.batchStatus(one);
      now += 30_000;
      sim.advanceClock("30s");
      await c.batchStatus(one);
      assert.equal(iamRequests(sim).length, 1);
      now += 61_000;
      sim.advanceClock("61s");
      await c.batchStatus(one);
      assert.equal(iamRequests(sim).length, 2);
    } finally {
      Date.now = realNow;
    }
    // Refreshed before use: the service never saw a stale token.
    assert.deepEqual(
      drsRequests(sim).map((e) => e.status),
      [200, 200, 200],
    );
  });

  it("stops on wrong credentials without retrying and without the password in the message", async () => {
    await start();
    const err = await client({ password: "wrong-password-123" })
      .batchStatus(["a"])
      .catch((e: unknown) => e);
    assert.ok(err instanceof DrsApiError);
    assert.equal(err.operation, "IAM token request");
    assert.equal(err.httpStatus, 401);
    // Set as options (or drs:* config): the hint names those, not the environment's keys.
    assert.match(
      err.message,
      /Check userName \(drs:userName\), password \(drs:password\), domainName/,
    );
    assert.doesNotMatch(err.message, /HW_USER_NAME/);
    assert.deepEqual(
      iamRequests(sim).map((e) => [e.status, e.errorCode]),
      [[401, "IAM.0004"]],
    );
    assert.equal(drsRequests(sim).length, 0);
    assert.ok(!inspect(err, { depth: 10 }).includes("wrong-password-123"));
  });

  it("names the HW_* keys when the user and password came from the environment", async () => {
    await start();
    const err = await clientFor(sim, {
      iamEndpoint: sim.url,
      env: {
        HW_USER_NAME: "alice",
        HW_USER_PASSWORD: "wrong-password-123",
        HW_DOMAIN_NAME: "acme",
      },
    })
      .batchStatus(["a"])
      .catch((e: unknown) => e);
    assert.ok(err instanceof DrsApiError);
    assert.equal(err.httpStatus, 401);
    assert.match(
      err.message,
      /Check HW_USER_NAME, HW_USER_PASSWORD, HW_DOMAIN_NAME \(the account name\)/,
    );
  });

  it("retries a failing IAM like DRS", async () => {
    await start();
    sim.addFault({ status: 503, path: "/v3/auth/tokens", times: 1 });
    await client().batchStatus(one);
    assert.deepEqual(
      iamRequests(sim).map((e) => e.status),
      [503, 201],
    );
  });

  it("keeps password and token out of the client's inspect", async () => {
    await start();
    const c = client();
    await c.batchStatus(one);
    assert.equal(drsRequests(sim)[0].authMode, "iam-token");
    const text =
      inspect(c, { depth: 10, showHidden: true }) +
      JSON.stringify(c) +
      inspect(c.settings, { depth: 10 });
    // The simulator keeps no token to compare with, but every token it issues has this prefix.
    assert.ok(!text.includes(USER.password) && !text.includes(SIM_TOKEN_PREFIX), text);
  });
});
