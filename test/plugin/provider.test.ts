// The drs plugin's adapter, called directly (as the SDK's server calls it) with reads over
// HTTP to the simulator; the real engine path is test/e2e/yaml.test.ts.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { startSimulator, type Simulator } from "../../src/sim";
import { Cancellation } from "../../src/plugin/cancellation";
import { drsProvider, typeOf } from "../../src/plugin/provider";
import { buildSchema, schemaText } from "../../src/plugin/schema";
import { gateProvider, jobStatusProvider } from "../../src/pulumi/provider";
import { PACKAGE_VERSION } from "../../src/util/package-info";
import { WaitAbortedError } from "../../src/wait/errors";

const WAITER = "urn:pulumi:dev::p::drs:index:JobWaiter::gate";
const STATUS = "urn:pulumi:dev::p::some:index:Parent$drs:index:JobStatus::record";

describe("the drs plugin", () => {
  it("schema.json is what spec.ts generates (run `npm run schema` after changing spec.ts)", () => {
    const file = readFileSync(path.join(__dirname, "../../schema.json"), "utf8");
    assert.equal(file, schemaText(PACKAGE_VERSION));
  });

  it("the schema's inputs are exactly what check accepts, for both resources", async () => {
    const schema = buildSchema(PACKAGE_VERSION);
    const cases = [
      ["drs:index:JobStatus", jobStatusProvider] as const,
      ["drs:index:JobWaiter", gateProvider] as const,
    ];
    for (const [type, dynamic] of cases) {
      const inputs = Object.keys(schema.resources[type].inputProperties);
      const args = Object.fromEntries(inputs.map((key) => [key, undefined]));
      const { failures } = await dynamic.check({}, { ...args, jobIds: ["a"], unknownArg: 1 });
      assert.deepEqual(
        failures.map((f) => f.property),
        ["unknownArg"],
        `${type} accepts every schema input and refuses others`,
      );
    }
    assert.deepEqual(
      Object.entries(schema.config.variables)
        .filter(([, v]) => (v as { secret?: boolean }).secret)
        .map(([k]) => k),
      ["authToken", "secretKey", "securityToken", "password"],
    );
  });

  it("finds the resource type in a URN, parent types and all", () => {
    assert.equal(typeOf(WAITER), "drs:index:JobWaiter");
    assert.equal(typeOf(STATUS), "drs:index:JobStatus");
  });

  describe("over HTTP", () => {
    let sim: Simulator;
    let cancellation: Cancellation;
    const logs: string[] = [];
    const provider = () =>
      drsProvider({
        version: PACKAGE_VERSION,
        schema: "{}",
        config: () => ({ endpoint: sim.url, projectId: sim.projectId, authToken: "plugin-unit" }),
        log: (urn, message) => logs.push(`${typeOf(urn)} ${message}`),
        signal: cancellation.signal,
        cancel: () => cancellation.cancel(),
      });
    beforeEach(async () => {
      cancellation = new Cancellation();
      logs.length = 0;
      sim = await startSimulator({
        scenario: {
          auth: { token: "plugin-unit" },
          jobs: [
            { id: "a", status: "INCRE_TRANSFER_STARTED" },
            { id: "b", status: "FULL_TRANSFER_STARTED" },
          ],
        },
      });
    });
    afterEach(async () => {
      await sim.stop();
    });

    it("check and diff follow the resource type; a ready gate opens with the stack config's credentials", async () => {
      const p = provider();
      const check = await p.check!(WAITER, {}, { jobIds: ["a"], timout: "5m" });
      assert.match(check.failures![0].reason, /did you mean timeout\?/);
      const statusCheck = await p.check!(STATUS, {}, { jobIds: ["a"], timeout: "5m" });
      assert.equal(statusCheck.failures![0].property, "timeout", "JobStatus takes no timeout");
      const created = await p.create!(WAITER, { jobIds: ["a"], pollInterval: "1s" });
      assert.deepEqual(created.outs.statuses, { a: "INCRE_TRANSFER_STARTED" });
      assert.match(logs.at(-1)!, /^drs:index:JobWaiter gate open: 1\/1 DRS jobs ready/);
      const status = await p.create!(STATUS, { jobIds: ["a", "b"] });
      assert.deepEqual(status.outs.statusesAtLastUpdate, {
        a: "INCRE_TRANSFER_STARTED",
        b: "FULL_TRANSFER_STARTED",
      });
    });

    it("the engine's Cancel ends a waiting gate with an error saying so", async () => {
      const p = provider();
      const waiting = p.create!(WAITER, { jobIds: ["b"], pollInterval: "1s", timeout: "10m" });
      // Waiting: the first poll's progress is on the row.
      while (logs.length === 0) await new Promise((r) => setTimeout(r, 50));
      // No progress and no scripted end: the simulator estimates 1 % a minute.
      assert.match(
        logs[0],
        /0\/1 jobs ready; waiting on b \(FULL_TRANSFER_STARTED, 0%, ~1h40m left\)/,
      );
      await p.cancel!();
      await assert.rejects(waiting, (err: unknown) => {
        assert.ok(err instanceof WaitAbortedError, String(err));
        assert.match(err.message, /^the update was cancelled: stopped waiting for the DRS jobs$/);
        return true;
      });
    });
  });
});
