import { strict as assert } from "node:assert";
import { DrsApiError } from "../../../src/api";
import { startSimulator, type AuthInput, type Simulator } from "../../../src/sim";
import { clientFor, drsRequests, makeJobs } from "../support/clients";
import { judge } from "../../../src/api/status";

const AK = "HPUAEXAMPLEACCESSKEY";
const SK = "eXaMpLeSeCrEtKeY0123456789abcdefghijklmn";

describe("api/auth AK/SK over HTTP", () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });
  const start = async (auth: AuthInput, jobCount = 0) => {
    sim = await startSimulator({ scenario: { auth, jobs: makeJobs(jobCount).jobs } });
    return sim;
  };

  it("signs requests the server can verify", async () => {
    const sim = await start({ accessKey: AK, secretKey: SK }, 2);
    const { ids } = makeJobs(2);
    const entries = await clientFor(sim, { accessKey: AK, secretKey: SK }).batchStatus(ids);
    assert.deepEqual(
      entries.map((e) => judge(e).phase),
      ["ready", "ready"],
    );
    const [entry] = drsRequests(sim);
    // The simulator checked the signature with its own verifier.
    assert.equal(entry.status, 200);
    assert.equal(entry.authMode, "aksk");
    assert.equal(entry.accessKey, "HPUA***");
    assert.deepEqual(entry.signedHeaders, [
      "content-type",
      "host",
      "x-language",
      "x-project-id",
      "x-sdk-date",
    ]);
    const headers = entry.headers ?? {};
    assert.match(String(headers["x-sdk-date"]), /^\d{8}T\d{6}Z$/);
    assert.equal(headers.authorization, "***");
    assert.equal(headers["x-project-id"], sim.projectId);
    assert.equal(headers["x-auth-token"], undefined);
  });

  it("sends X-Security-Token for temporary keys, signed", async () => {
    const temporary = { accessKey: AK, secretKey: SK, securityToken: "temp-security-token-123" };
    const sim = await start(temporary, 1);
    await clientFor(sim, temporary).batchStatus(makeJobs(1).ids);
    const [entry] = drsRequests(sim);
    // The simulator refuses a temporary key without the token it was issued with.
    assert.equal(entry.status, 200);
    assert.equal(entry.headers?.["x-security-token"], "***");
    assert.ok(entry.signedHeaders?.includes("x-security-token"), String(entry.signedHeaders));
  });

  it("answers a wrong secret key with one request and a 401 error that hides the key", async () => {
    const sim = await start({ accessKey: AK, secretKey: SK });
    const wrong = "wrong-secret-key-0123456789";
    const err = await clientFor(sim, { accessKey: AK, secretKey: wrong })
      .batchStatus(["a"])
      .catch((e: unknown) => e);
    assert.ok(err instanceof DrsApiError);
    assert.equal(err.httpStatus, 401);
    assert.equal(err.errorCode, "APIG.0301");
    assert.equal(sim.counters().total, 1);
    assert.ok(!err.message.includes(wrong));
    assert.match(err.message, /Check the credentials/);
  });
});
