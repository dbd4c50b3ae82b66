// The admin API moves the clock and injects faults, so a web page the developer has open must
// not be able to call it: not by a "simple" cross-site POST (text/plain, a form), not from
// another origin, not through DNS rebinding (a hostile name resolving to 127.0.0.1).
import { strict as assert } from "node:assert";
import { startSimulator, type Simulator } from "../../src/sim";
import { PROJECT_ID, adminCall, call, rawCall } from "./helpers";

describe("sim: admin API refuses what a browser page could send", () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({ scenario: { projectId: PROJECT_ID } });
  });
  afterEach(() => sim.stop());
  const admin = (path: string) => `${sim.url}/_sim/${path}`;

  it("a POST or PUT without a JSON content type is 415 and changes nothing", async () => {
    const advance = JSON.stringify({ advance: "1h" });
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]) {
      const answer = await call(admin("clock"), {
        headers: { "Content-Type": type },
        body: advance,
      });
      assert.equal(answer.status, 415, type);
      assert.equal(answer.json.error_code, "SIM.0415");
      assert.match(answer.json.error_msg, /application\/json/);
    }
    const untyped = await rawCall(admin("clock"), { body: advance });
    assert.equal(untyped.status, 415);
    const put = await call(admin("jobs/j1/status"), {
      method: "PUT",
      headers: { "Content-Type": "text/plain" },
      body: JSON.stringify({ status: "CREATING" }),
    });
    assert.equal(put.status, 415);
    const revoke = await call(admin("tokens/revoke"), { body: "" });
    assert.equal(revoke.status, 415);
    assert.equal(sim.clock().advancedMs, 0);
    assert.throws(() => sim.job("j1"), /does not exist/);

    const json = await call(admin("clock"), {
      headers: { "Content-Type": "Application/JSON; charset=utf-8" },
      body: advance,
    });
    assert.equal(json.status, 200);
    assert.equal(sim.clock().advancedMs, 3_600_000);
  });

  it("a Host that is not a loopback name is 403 (DNS rebinding), loopback names pass", async () => {
    const port = sim.port;
    for (const host of [`rebind.example:${port}`, "rebind.example", `10.0.0.1:${port}`]) {
      const read = await rawCall(admin("state"), { method: "GET", headers: { Host: host } });
      assert.equal(read.status, 403, host);
      assert.match(JSON.parse(read.text).error_msg, /Host/);
      const write = await rawCall(admin("faults"), {
        headers: { Host: host, "Content-Type": "application/json" },
        body: JSON.stringify({ status: 503 }),
      });
      assert.equal(write.status, 403, host);
    }
    assert.deepEqual(sim.faults(), []);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `127.1.2.3:${port}`, "[::1]"]) {
      const read = await rawCall(admin("state"), { method: "GET", headers: { Host: host } });
      assert.equal(read.status, 200, host);
    }
  });

  it("a request from another origin is 403; a loopback origin passes", async () => {
    for (const origin of ["https://evil.example", "http://localhost.evil.example:8080", "null"]) {
      const write = await call(admin("faults"), {
        headers: { "Content-Type": "application/json", Origin: origin },
        body: JSON.stringify({ status: 503 }),
      });
      assert.equal(write.status, 403, origin);
      assert.match(write.json.error_msg, /Origin/);
      const read = await call(admin("requests"), { method: "GET", headers: { Origin: origin } });
      assert.equal(read.status, 403, origin);
    }
    assert.deepEqual(sim.faults(), []);
    for (const origin of ["http://localhost:3000", "http://127.0.0.1:8787", "https://[::1]"]) {
      const read = await call(admin("state"), { method: "GET", headers: { Origin: origin } });
      assert.equal(read.status, 200, origin);
    }
  });

  it("the DRS API itself is not guarded: SDKs send any Host", async () => {
    const answer = await rawCall(sim.batchStatusUrl, {
      headers: { Host: "drs.cn-north-4.myhuaweicloud.com", "Content-Type": "application/json" },
      body: JSON.stringify({ jobs: ["x"] }),
    });
    assert.equal(answer.status, 200);
  });

  it("a malformed percent-encoded path is 400, not 500", async () => {
    for (const [method, path] of [
      ["GET", "jobs/%E0%A4%A"],
      ["DELETE", "faults/%ZZ"],
      ["DELETE", "jobs/%"],
    ]) {
      const answer = await adminCall(sim, method, path);
      assert.equal(answer.status, 400, path);
      assert.equal(answer.json.error_code, "SIM.0400");
    }
  });

  it("a negative or fractional limit is refused, naming the field", async () => {
    for (const limit of ["-1", "1.5", "", "1e3"]) {
      const answer = await adminCall(sim, "GET", `requests?limit=${limit}`);
      assert.equal(answer.status, 400, limit);
      assert.match(answer.json.error_msg, /^limit: /);
    }
    assert.throws(() => sim.requestLog(-1), /^SimInputError: limit: /);
    assert.throws(() => sim.requestLog(0.5), /limit: /);
    assert.deepEqual(sim.requestLog(0), []);
    for (const requestLogLimit of [-5, 0, 2.5]) {
      await assert.rejects(startSimulator({ requestLogLimit }), /requestLogLimit: /);
    }
  });
});
