import { strict as assert } from "node:assert";
import { DrsApiError } from "../../../src/api";
import { FakeDrs, makeJobs } from "../support/fake-drs";
import { clientFor } from "../support/clients";

const AK = "HPUAEXAMPLEACCESSKEY";
const SK = "eXaMpLeSeCrEtKeY0123456789abcdefghijklmn";

describe("api/auth AK/SK over HTTP", () => {
  let fake: FakeDrs;
  afterEach(async () => fake?.close());

  it("signs requests the server can verify", async () => {
    const { ids, jobs } = makeJobs(2);
    fake = await FakeDrs.start({ auth: { accessKey: AK, secretKey: SK }, jobs });
    const entries = await clientFor(fake, { accessKey: AK, secretKey: SK }).batchStatus(ids);
    assert.deepEqual(
      entries.map((e) => e.phase),
      ["ready", "ready"],
    );
    const headers = fake.requests[0].headers;
    assert.match(String(headers["x-sdk-date"]), /^\d{8}T\d{6}Z$/);
    assert.match(
      String(headers.authorization),
      /^SDK-HMAC-SHA256 Access=HPUAEXAMPLEACCESSKEY, SignedHeaders=content-type;host;x-language;x-project-id;x-sdk-date, Signature=[0-9a-f]{64}$/,
    );
    assert.equal(headers["x-project-id"], fake.projectId);
    assert.equal(headers["x-auth-token"], undefined);
  });

  it("sends X-Security-Token for temporary keys, signed", async () => {
    const { ids, jobs } = makeJobs(1);
    fake = await FakeDrs.start({ auth: { accessKey: AK, secretKey: SK }, jobs });
    await clientFor(fake, {
      accessKey: AK,
      secretKey: SK,
      securityToken: "temp-security-token-123",
    }).batchStatus(ids);
    assert.equal(fake.requests[0].headers["x-security-token"], "temp-security-token-123");
    assert.match(String(fake.requests[0].headers.authorization), /x-security-token/);
    assert.equal(fake.requests[0].status, 200);
  });

  it("answers a wrong secret key with one request and a 401 error that hides the key", async () => {
    fake = await FakeDrs.start({ auth: { accessKey: AK, secretKey: SK } });
    const wrong = "wrong-secret-key-0123456789";
    const err = await clientFor(fake, { accessKey: AK, secretKey: wrong })
      .batchStatus(["a"])
      .catch((e: unknown) => e);
    assert.ok(err instanceof DrsApiError);
    assert.equal(err.httpStatus, 401);
    assert.equal(err.errorCode, "APIG.0301");
    assert.equal(fake.requests.length, 1);
    assert.ok(!err.message.includes(wrong));
    assert.match(err.message, /Check the credentials/);
  });
});
