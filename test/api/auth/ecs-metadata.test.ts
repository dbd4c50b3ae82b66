// ECS agency keys from the metadata service, always the simulator's (HW_ECS_METADATA_ENDPOINT
// on 127.0.0.1), and a guard that nothing reaches for the link-local default unasked.
import { strict as assert } from "node:assert";
import net from "node:net";
import sinon from "sinon";
import { DrsClient } from "../../../src/api/client";
import { DrsApiError, DrsSettingsError } from "../../../src/api/errors";
import { startSimulator, type Simulator, type EcsMetadataInput } from "../../../src/sim";
import { METADATA_TOKEN_PATH, SECURITY_KEY_PATH } from "../../../src/api/wire";
import { DEFAULT_ECS_METADATA_ENDPOINT } from "../../../src/api/auth/sources/ecs-metadata";

const JOBS = [{ id: "job-a", status: "INCRE_TRANSFER_STARTED" }];

describe("api/auth: ECS metadata (agency keys)", function () {
  this.timeout(20_000);
  let sim: Simulator;
  afterEach(() => sim?.stop());

  async function start(ecsMetadata: EcsMetadataInput = {}) {
    sim = await startSimulator({ scenario: { auth: { ecsMetadata }, jobs: JOBS } });
  }
  const client = (extra: Record<string, string> = {}) =>
    new DrsClient({
      env: {
        HW_DRS_ENDPOINT: sim.url,
        HW_PROJECT_ID: sim.projectId,
        HW_CREDENTIAL_SOURCE: "ecs-metadata",
        HW_ECS_METADATA_ENDPOINT: sim.url,
        ...extra,
      },
      retry: { minTimeout: 5, maxTimeout: 10 },
    });
  const metadataCalls = () =>
    sim
      .requestLog()
      .filter((e) => e.kind === "ecs-metadata")
      .map((e) => `${e.method} ${e.path} ${e.status}`);

  it("takes a session token, then the security key, and signs with it", async () => {
    await start();
    const c = client();
    await Promise.all([c.batchStatus(["job-a"]), c.batchStatus(["job-a"])]);
    assert.deepEqual(metadataCalls(), [
      `PUT ${METADATA_TOKEN_PATH} 200`,
      `GET ${SECURITY_KEY_PATH} 200`,
    ]);
    for (const poll of sim.requestLog().filter((e) => e.kind === "batch-status")) {
      assert.equal(poll.status, 200);
      assert.equal(poll.authMode, "aksk");
      assert.equal(poll.headers?.["x-security-token"], "***");
    }
  });

  it("goes on without a session token on a host without the token service", async () => {
    await start({ tokenService: false });
    assert.equal((await client().batchStatus(["job-a"]))[0].status, "INCRE_TRANSFER_STARTED");
    assert.deepEqual(metadataCalls(), [
      `PUT ${METADATA_TOKEN_PATH} 404`,
      `GET ${SECURITY_KEY_PATH} 200`,
    ]);
  });

  it("says plainly that no agency is bound, without retrying", async () => {
    await start({ agency: false });
    const err = await client()
      .batchStatus(["job-a"])
      .catch((e: unknown) => e);
    assert.ok(err instanceof DrsApiError);
    assert.match(err.message, /no agency is bound to this ECS instance.*Bind an agency/);
    assert.deepEqual(metadataCalls(), [
      `PUT ${METADATA_TOKEN_PATH} 200`,
      `GET ${SECURITY_KEY_PATH} 401`,
    ]);
  });

  it("fetches new keys once when the service says they expired", async () => {
    await start();
    const c = client();
    await c.batchStatus(["job-a"]);
    sim.expireTemporaryKeys();
    assert.equal((await c.batchStatus(["job-a"]))[0].status, "INCRE_TRANSFER_STARTED");
    assert.equal(sim.temporaryKeys().issued.ecs, 2);
  });

  describe("guard: the metadata service is never contacted unless asked for", () => {
    // The product's default, which no test may reach: only the loopback override is used.
    const LINK_LOCAL = new URL(DEFAULT_ECS_METADATA_ENDPOINT).hostname;
    let reached: string[];
    let seen: string[];
    beforeEach(() => {
      reached = [];
      seen = [];
      const connect = net.Socket.prototype.connect;
      // A safety net, not a fake: any attempt at the link-local address fails before a packet.
      sinon.stub(net.Socket.prototype, "connect").callsFake(function (
        this: net.Socket,
        ...args: unknown[]
      ) {
        // Node passes its normalized [options, callback] array; user code passes options or a port.
        const raw = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
        const host =
          typeof raw === "object" && raw !== null
            ? (raw as { host?: string }).host
            : (args[1] as string | undefined);
        seen.push(String(host));
        if (host === LINK_LOCAL) {
          reached.push(host);
          throw new Error("test guard: link-local metadata address");
        }
        return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
      } as typeof connect);
    });
    afterEach(() => sinon.restore());

    it("no opt-in: other sources are used or refused, and no metadata request is made", async () => {
      await start();
      const noOptIn = [
        {},
        {
          HUAWEICLOUD_SDK_AK: "HPUAGUARDACCESSKEY00",
          HUAWEICLOUD_SDK_SK: "guard-secret-0123456789",
        },
        { HW_AUTH_TOKEN: "guard-token-0123456789" },
      ];
      for (const extra of noOptIn) {
        const env = {
          HW_DRS_ENDPOINT: sim.url,
          HW_PROJECT_ID: sim.projectId,
          HW_ECS_METADATA_ENDPOINT: sim.url,
          ...extra,
        };
        try {
          await new DrsClient({ env, maxRetries: 0 }).batchStatus(["job-a"]);
        } catch (err) {
          assert.ok(err instanceof DrsSettingsError || err instanceof DrsApiError, String(err));
        }
      }
      assert.deepEqual(metadataCalls(), []);
      assert.deepEqual(reached, []);
      assert.ok(seen.includes("127.0.0.1"), "the guard sees the client's connections");
    });
  });
});
