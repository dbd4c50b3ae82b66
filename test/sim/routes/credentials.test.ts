// The simulator's federation, project-list and ECS metadata endpoints and their admin
// controls, spoken to over plain HTTP as any client would.
import { strict as assert } from "node:assert";
import { startSimulator, type Simulator } from "../../../src/sim";
import { adminCall, call } from "../helpers";

const IDP = "github-actions";
const ID_TOKEN = "eyJ.sim-route-id-token.sig";

describe("sim: federation, projects and ECS metadata", () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({
      scenario: {
        auth: { federation: { idpId: IDP, idToken: ID_TOKEN }, ecsMetadata: {}, token: "t-admin" },
        projects: [
          { id: "p-north", name: "cn-north-4" },
          { id: "p-south", name: "cn-south-1" },
        ],
      },
    });
  });
  afterEach(() => sim.stop());

  const exchange = (idp: string, token: string) =>
    call(`${sim.url}/v3.0/OS-AUTH/id-token/tokens`, {
      headers: { "Content-Type": "application/json", "X-Idp-Id": idp },
      body: JSON.stringify({ auth: { id_token: { id: token } } }),
    });

  it("trades the accepted ID token for an unscoped token, and that for temporary keys", async () => {
    const first = await exchange(IDP, ID_TOKEN);
    assert.equal(first.status, 201);
    const unscoped = first.headers.get("x-subject-token");
    assert.ok(unscoped);
    const keys = await call(`${sim.url}/v3.0/OS-CREDENTIAL/securitytokens`, {
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        auth: { identity: { methods: ["token"], token: { id: unscoped, duration_seconds: 900 } } },
      }),
    });
    assert.equal(keys.status, 201);
    const { access, secret, securitytoken, expires_at } = keys.json.credential;
    assert.ok(access && secret && securitytoken);
    assert.match(expires_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.equal(sim.temporaryKeys().issued.federation, 1);
  });

  it("refuses an unknown IdP (404), another ID token (401), and GET (405)", async () => {
    assert.equal((await exchange("gitlab", ID_TOKEN)).json.error.code, "IAM.0002");
    const wrong = await exchange(IDP, "eyJ.another.sig");
    assert.equal(wrong.status, 401);
    assert.equal(wrong.json.error.code, "IAM.0004");
    const get = await call(`${sim.url}/v3.0/OS-AUTH/id-token/tokens`, { method: "GET" });
    assert.equal(get.status, 405);
    const badToken = await call(`${sim.url}/v3.0/OS-CREDENTIAL/securitytokens`, {
      headers: { "Content-Type": "application/json", "X-Auth-Token": "MIIforged" },
      body: JSON.stringify({ auth: { identity: { methods: ["token"] } } }),
    });
    assert.equal(badToken.status, 401);
  });

  it("lists the projects of a region name, authenticated", async () => {
    const named = await call(`${sim.url}/v3/projects?name=cn-south-1`, {
      method: "GET",
      headers: { "X-Auth-Token": "t-admin" },
    });
    assert.deepEqual(
      named.json.projects.map((p: { id: string; name: string }) => [p.id, p.name]),
      [["p-south", "cn-south-1"]],
    );
    const none = await call(`${sim.url}/v3/projects?name=eu-west-101`, {
      method: "GET",
      headers: { "X-Auth-Token": "t-admin" },
    });
    assert.deepEqual(none.json.projects, []);
    const anonymous = await call(`${sim.url}/v3/projects?name=cn-south-1`, { method: "GET" });
    assert.equal(anonymous.status, 401);
  });

  it("serves a session token, then the security key only with it", async () => {
    const put = (ttl?: string) =>
      call(`${sim.url}/meta-data/latest/api/token`, {
        method: "PUT",
        headers: ttl === undefined ? {} : { "X-Metadata-Token-Ttl-Seconds": ttl },
      });
    assert.equal((await put()).status, 400);
    assert.equal((await put("99999")).status, 400);
    const session = await put("21600");
    assert.equal(session.status, 200);
    const key = (token?: string) =>
      call(`${sim.url}/openstack/latest/securitykey`, {
        method: "GET",
        headers: token ? { "X-Metadata-Token": token } : {},
      });
    assert.equal((await key()).status, 401);
    assert.equal((await key("imds-forged")).status, 401);
    const good = await key(session.text);
    assert.equal(good.status, 200);
    assert.ok(good.json.credential.access.startsWith("STS"));
  });

  it("admin: reads and sets the key lifetime, expires every key, refuses a missing lifetime", async () => {
    const before = await adminCall(sim, "GET", "temporary-keys");
    assert.equal(before.json.lifetimeMs, 3_600_000);
    const set = await adminCall(sim, "PUT", "temporary-keys", { lifetime: "5s" });
    assert.equal(set.status, 200);
    assert.equal(set.json.lifetimeMs, 5_000);
    assert.equal((await adminCall(sim, "PUT", "temporary-keys", {})).status, 400);
    assert.equal((await adminCall(sim, "PUT", "temporary-keys", { lifetime: 0 })).status, 400);
    await exchange(IDP, ID_TOKEN);
    const session = await call(`${sim.url}/meta-data/latest/api/token`, {
      method: "PUT",
      headers: { "X-Metadata-Token-Ttl-Seconds": "60" },
    });
    await call(`${sim.url}/openstack/latest/securitykey`, {
      method: "GET",
      headers: { "X-Metadata-Token": session.text },
    });
    assert.equal((await adminCall(sim, "GET", "temporary-keys")).json.live, 1);
    const expired = await adminCall(sim, "POST", "temporary-keys/expire", {});
    assert.deepEqual(expired.json, { expired: 1 });
    assert.equal((await adminCall(sim, "GET", "temporary-keys")).json.live, 0);
  });
});
