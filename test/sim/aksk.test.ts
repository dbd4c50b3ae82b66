// AK/SK verification proven against Huawei's own signer (the SDK's AKSKSigner), so the
// simulator accepts exactly what real SDK clients send.
import { strict as assert } from "node:assert";
import { AKSKSigner } from "@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner";
import { BasicCredentials } from "@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials";
import { startSimulator, type Simulator } from "../../src/sim";
import { canonicalUri, canonicalQuery, parseSdkDate } from "../../src/sim/aksk";
import { JOB_A, PROJECT_ID, rawCall } from "./helpers";

const AK = "HPUAEXAMPLEACCESSKEY1";
const SK = "exampleSecretKeyOfTwentyCharactersPlus";

interface SignOptions {
  ak?: string;
  sk?: string;
  sdkDate?: string;
  query?: Record<string, string>;
  path?: string;
  extraHeaders?: Record<string, string>;
}

/** Signs with the official SDK signer and sends the exact bytes it hashed. */
async function signedCall(sim: Simulator, data: unknown, options: SignOptions = {}) {
  const path = options.path ?? `/v3/${PROJECT_ID}/jobs/batch-status`;
  const query = options.query ?? {};
  const search = new URLSearchParams(query).toString();
  const headers: Record<string, string> = {
    "content-type": "application/json",
    ...options.extraHeaders,
  };
  if (options.sdkDate) headers["X-Sdk-Date"] = options.sdkDate;
  const credentials = new BasicCredentials()
    .withAk(options.ak ?? AK)
    .withSk(options.sk ?? SK)
    .withProjectId(PROJECT_ID);
  const signed = AKSKSigner.sign(
    { endpoint: `${sim.url}${path}`, method: "POST", headers, queryParams: query, data },
    credentials,
  ) as Record<string, string>;
  return rawCall(`${sim.url}${path}${search ? `?${search}` : ""}`, {
    headers: signed,
    body: JSON.stringify(data),
  });
}

describe("sim: AK/SK (SDK-HMAC-SHA256) authentication", () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({
      scenario: {
        projectId: PROJECT_ID,
        auth: {
          keys: [
            { accessKey: AK, secretKey: SK },
            { accessKey: "SECONDKEY", secretKey: "second-sk" },
          ],
        },
        jobs: [{ id: JOB_A, status: "INCRE_TRANSFER_STARTED" }],
      },
    });
  });
  afterEach(() => sim.stop());

  it("accepts a request signed by the official AKSKSigner", async () => {
    const answer = await signedCall(sim, { jobs: [JOB_A] });
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(JSON.parse(answer.text), {
      results: [{ id: JOB_A, status: "INCRE_TRANSFER_STARTED" }],
      count: 1,
    });
    const [entry] = sim.requestLog();
    assert.equal(entry.authMode, "aksk");
    assert.equal(entry.accessKey, "HPUA***");
  });

  it("accepts any of several configured keys", async () => {
    const answer = await signedCall(sim, { jobs: [JOB_A] }, { ak: "SECONDKEY", sk: "second-sk" });
    assert.equal(answer.status, 200, answer.text);
  });

  it("agrees with the SDK on query strings, extra signed headers and escaping", async () => {
    const answer = await signedCall(
      sim,
      { jobs: [JOB_A], page_req: { per_page: 0 } },
      {
        query: { b: "x y", a: "2", "c~": "ü*(!)" },
        extraHeaders: { "X-Language": "en-us", "X-Project-Id": PROJECT_ID },
      },
    );
    assert.equal(answer.status, 200, answer.text);
  });

  it("refuses a bad signature (wrong secret key) with 401 APIG.0301", async () => {
    const answer = await signedCall(sim, { jobs: [JOB_A] }, { sk: "not-the-secret" });
    assert.equal(answer.status, 401);
    const body = JSON.parse(answer.text);
    assert.equal(body.error_code, "APIG.0301");
    assert.match(body.error_msg, /signature/);
    const logged = JSON.stringify(sim.requestLog());
    assert.ok(!logged.includes(SK) && !logged.includes(AK) && !/Signature=/.test(logged), logged);
  });

  it("refuses a body changed after signing", async () => {
    const credentials = new BasicCredentials().withAk(AK).withSk(SK);
    const signed = AKSKSigner.sign(
      {
        endpoint: `${sim.batchStatusUrl}`,
        method: "POST",
        headers: { "content-type": "application/json" },
        data: { jobs: [JOB_A] },
      },
      credentials,
    ) as Record<string, string>;
    const answer = await rawCall(sim.batchStatusUrl, {
      headers: signed,
      body: JSON.stringify({ jobs: ["other"] }),
    });
    assert.equal(answer.status, 401);
    assert.equal(JSON.parse(answer.text).error_code, "APIG.0301");
  });

  it("refuses an unknown access key with 401 APIG.0301", async () => {
    const answer = await signedCall(sim, { jobs: [JOB_A] }, { ak: "UNKNOWNAK" });
    assert.equal(answer.status, 401);
    assert.equal(JSON.parse(answer.text).error_code, "APIG.0301");
    assert.match(JSON.parse(answer.text).error_msg, /access key/);
  });

  it("refuses an X-Sdk-Date more than 15 minutes off with 401 APIG.0303", async () => {
    const old = formatSdkDate(Date.now() - 16 * 60 * 1000);
    const answer = await signedCall(sim, { jobs: [JOB_A] }, { sdkDate: old });
    assert.equal(answer.status, 401);
    assert.equal(JSON.parse(answer.text).error_code, "APIG.0303");
    const future = formatSdkDate(Date.now() + 16 * 60 * 1000);
    assert.equal((await signedCall(sim, { jobs: [JOB_A] }, { sdkDate: future })).status, 401);
  });

  it("accepts an X-Sdk-Date 14 minutes off", async () => {
    const answer = await signedCall(
      sim,
      { jobs: [JOB_A] },
      { sdkDate: formatSdkDate(Date.now() - 14 * 60 * 1000) },
    );
    assert.equal(answer.status, 200, answer.text);
  });

  it("judges skew by real time, so fast-forwarding the simulator clock keeps signatures valid", async () => {
    sim.advanceClock("1h");
    assert.equal((await signedCall(sim, { jobs: [JOB_A] })).status, 200);
  });

  it("refuses a malformed Authorization header with 401 APIG.0301", async () => {
    const answer = await rawCall(sim.batchStatusUrl, {
      headers: { "Content-Type": "application/json", Authorization: "SDK-HMAC-SHA256 garbage" },
      body: JSON.stringify({ jobs: [JOB_A] }),
    });
    assert.equal(answer.status, 401);
    assert.equal(JSON.parse(answer.text).error_code, "APIG.0301");
  });

  it("logs the signed header names, and never the signature", async () => {
    await signedCall(sim, { jobs: [JOB_A] }, { extraHeaders: { "X-Language": "en-us" } });
    const [entry] = sim.requestLog();
    assert.deepEqual(entry.signedHeaders, ["content-type", "host", "x-language", "x-sdk-date"]);
    assert.equal(entry.headers?.authorization, "***");
  });

  it("a temporary key needs the X-Security-Token issued with it (401 APIG.0301 otherwise)", async () => {
    const TEMP = {
      accessKey: "TEMPORARYAK",
      secretKey: "temporary-sk",
      securityToken: "sec-tok-1",
    };
    const temp = await startSimulator({
      scenario: {
        projectId: PROJECT_ID,
        auth: { accessKey: AK, secretKey: SK, keys: [TEMP] },
        jobs: [{ id: JOB_A, status: "INCRE_TRANSFER_STARTED" }],
      },
    });
    try {
      const withToken = (token?: string) =>
        signedCall(
          temp,
          { jobs: [JOB_A] },
          {
            ak: TEMP.accessKey,
            sk: TEMP.secretKey,
            extraHeaders: token === undefined ? {} : { "X-Security-Token": token },
          },
        );
      assert.equal((await withToken(TEMP.securityToken)).status, 200);
      for (const token of [undefined, "sec-tok-2"]) {
        const refused = await withToken(token);
        assert.equal(refused.status, 401, String(token));
        assert.equal(JSON.parse(refused.text).error_code, "APIG.0301");
        assert.match(JSON.parse(refused.text).error_msg, /X-Security-Token/);
      }
      // A permanent key beside it needs none.
      assert.equal((await signedCall(temp, { jobs: [JOB_A] })).status, 200);
      const log = temp.requestLog();
      assert.deepEqual(
        log.map((e) => e.status),
        [200, 401, 401, 200],
      );
      assert.ok(log[0].signedHeaders?.includes("x-security-token"));
      assert.equal(log[0].headers?.["x-security-token"], "***");
      assert.ok(!JSON.stringify(log).includes("sec-tok"));
    } finally {
      await temp.stop();
    }
  });

  it("canonicalises: URI segments escaped with a trailing /, query sorted by key then value", () => {
    assert.equal(canonicalUri("/v3/p/jobs/batch-status"), "/v3/p/jobs/batch-status/");
    assert.equal(canonicalUri("/a%20b/c*/"), "/a%20b/c%2A/");
    assert.equal(canonicalQuery("b=2&a=3&a=1&c=x%20y"), "a=1&a=3&b=2&c=x%20y");
    assert.equal(parseSdkDate("20240102T030405Z"), Date.UTC(2024, 0, 2, 3, 4, 5));
    assert.equal(parseSdkDate("2024-01-02T03:04:05Z"), undefined);
  });
});

function formatSdkDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z");
}
