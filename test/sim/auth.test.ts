import { strict as assert } from "node:assert";
import { startSimulator, type Simulator } from "../../src/sim";
import { JOB_A, PROJECT_ID, batchStatus } from "./helpers";

describe("sim: authentication", () => {
  it("with no auth configured, accepts any request (and any token)", async () => {
    const sim = await startSimulator({ scenario: { jobs: [{ id: JOB_A, status: "CREATING" }] } });
    try {
      assert.equal((await batchStatus(sim, { jobs: [JOB_A] })).status, 200);
      assert.equal(
        (await batchStatus(sim, { jobs: [JOB_A] }, { "X-Auth-Token": "x" })).status,
        200,
      );
      assert.equal(sim.requestLog()[0].authMode, "none");
    } finally {
      await sim.stop();
    }
  });

  describe("fixed token", () => {
    let sim: Simulator;
    beforeEach(async () => {
      sim = await startSimulator({
        scenario: {
          projectId: PROJECT_ID,
          auth: { token: "demo-token" },
          jobs: [{ id: JOB_A, status: "CREATING" }],
        },
      });
    });
    afterEach(() => sim.stop());

    it("accepts the configured X-Auth-Token", async () => {
      const answer = await batchStatus(sim, { jobs: [JOB_A] }, { "X-Auth-Token": "demo-token" });
      assert.equal(answer.status, 200);
      assert.equal(answer.json.results[0].status, "CREATING");
    });

    it("refuses a wrong token with 401 APIG.1002 and does not log the token", async () => {
      const answer = await batchStatus(sim, { jobs: [JOB_A] }, { "X-Auth-Token": "demo-tokeX" });
      assert.equal(answer.status, 401);
      assert.equal(answer.json.error_code, "APIG.1002");
      assert.ok(answer.headers.get("x-request-id"));
      const logged = JSON.stringify(sim.requestLog());
      assert.ok(!logged.includes("demo-toke"), logged);
      assert.equal(sim.requestLog()[0].authMode, "invalid");
    });

    it("refuses a request without credentials with 401 APIG.0301", async () => {
      const answer = await batchStatus(sim, { jobs: [JOB_A] });
      assert.equal(answer.status, 401);
      assert.equal(answer.json.error_code, "APIG.0301");
      assert.match(answer.json.error_msg, /X-Auth-Token/);
      assert.equal(sim.requestLog()[0].authMode, "missing");
    });

    it("checks auth before the project ID, like the gateway", async () => {
      const answer = await fetch(`${sim.url}/v3/other/jobs/batch-status`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ jobs: [JOB_A] }),
      });
      assert.equal(answer.status, 401);
    });

    it("refuses an AK/SK signature when no keys are configured", async () => {
      const answer = await batchStatus(
        sim,
        { jobs: [JOB_A] },
        { Authorization: "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=00" },
      );
      assert.equal(answer.status, 401);
      assert.equal(answer.json.error_code, "APIG.0301");
    });
  });
});
