// The provider's decisions, called directly (pulumi.runtime.setMocks never runs a dynamic
// provider's create/read). Reads go over HTTP to the simulator.
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { startSimulator, type Simulator } from "../../src/sim";
import { engineAddress } from "../../src/pulumi/engine-log";
import { settingsFor } from "../../src/pulumi/drs-calls";
import { configuredStack, gateProvider, jobStatusProvider } from "../../src/pulumi/provider";
import { gateShim, jobStatusShim } from "../../src/pulumi/shim";

describe("the JobStatus provider", () => {
  it("check names each bad property and why", async () => {
    const { failures } = await jobStatusProvider.check(
      {},
      { jobIds: ["ok", "", 7], language: "fr", endpoint: "http://drs.example.com", region: "" },
    );
    const byProperty = Object.fromEntries(failures.map((f) => [f.property, f.reason]));
    assert.match(byProperty["jobIds[1]"], /blank/);
    assert.match(byProperty["jobIds[2]"], /must be a string/);
    assert.match(byProperty.language, /en-us, zh-cn/);
    assert.match(byProperty.endpoint, /https/);
    assert.match(byProperty.region, /non-empty/);
    const project = await jobStatusProvider.check({}, { jobIds: ["a"], projectId: "p/../x?y" });
    assert.deepEqual(
      project.failures.map((f) => [
        f.property,
        /"p\/\.\.\/x\?y" has characters a project id cannot have/.test(f.reason),
      ]),
      [["projectId", true]],
    );
    assert.deepEqual((await jobStatusProvider.check({}, { jobIds: [] })).failures, [
      { property: "jobIds", reason: "give at least one DRS job id" },
    ]);
  });

  it("check trims and de-duplicates job ids, keeping their order", async () => {
    const { inputs, failures } = await jobStatusProvider.check({}, { jobIds: [" b", "a", "b "] });
    assert.deepEqual(failures, []);
    assert.deepEqual(inputs.jobIds, ["b", "a"]);
  });

  it("diff: reordering is no change, adding a job is an in-place update", async () => {
    const olds = { jobIds: ["a", "b"], statuses: { a: "X" }, statusesAtLastUpdate: { a: "X" } };
    assert.deepEqual(await jobStatusProvider.diff("id", olds, { jobIds: ["b", "a"] }), {
      changes: false,
      replaces: [],
    });
    assert.deepEqual(await jobStatusProvider.diff("id", olds, { jobIds: ["b", "a", "c"] }), {
      changes: true,
      replaces: [],
    });
  });

  it("diff: removing a job is an in-place update too, for JobStatus and the gate", async () => {
    const olds = { jobIds: ["a", "b"], statuses: { a: "X" }, statusesAtLastUpdate: { a: "X" } };
    assert.deepEqual(await jobStatusProvider.diff("id", olds, { jobIds: ["b"] }), {
      changes: true,
      replaces: [],
    });
    const gate = {
      jobIds: ["a", "b"],
      jobs: [
        { id: "a", phase: "ready" as const },
        { id: "b", phase: "ready" as const },
      ],
    };
    const diff = await gateProvider.diff("id", gate, { jobIds: ["a"] });
    assert.equal(diff.changes, true);
    assert.deepEqual(diff.replaces, []);
  });

  it("diff reports refreshed statuses that differ from the last update as drift, in any key order", async () => {
    const recorded = { a: "FULL_TRANSFER_STARTED", b: "CREATING" };
    const same = {
      jobIds: ["a", "b"],
      statuses: { b: "CREATING", a: "FULL_TRANSFER_STARTED" },
      statusesAtLastUpdate: recorded,
    };
    assert.equal((await jobStatusProvider.diff("id", same, { jobIds: ["a", "b"] })).changes, false);
    const drifted = { ...same, statuses: { a: "INCRE_TRANSFER_STARTED", b: "CREATING" } };
    assert.equal(
      (await jobStatusProvider.diff("id", drifted, { jobIds: ["a", "b"] })).changes,
      true,
    );
  });

  it("the gate diffs as changed when its refreshed jobs are not all ready", async () => {
    const ready = { jobIds: ["a"], jobs: [{ id: "a", phase: "ready" as const }] };
    assert.equal(
      (await gateProvider.diff("id", ready, { jobIds: ["a"], timeout: "5m" })).changes,
      false,
    );
    const failed = { jobIds: ["a"], jobs: [{ id: "a", phase: "failed" as const }] };
    assert.equal((await gateProvider.diff("id", failed, { jobIds: ["a"] })).changes, true);
  });

  it("gate check validates its durations and targets", async () => {
    const { failures } = await gateProvider.check(
      {},
      { jobIds: ["a"], timeout: "soon", pollInterval: -1, targetStatuses: [""] },
    );
    assert.deepEqual(
      failures.map((f) => f.property),
      ["targetStatuses[0]", "timeout", "pollInterval"],
    );
  });

  it("gate check refuses a misspelt target status in preview, naming the nearest", async () => {
    const { failures } = await gateProvider.check(
      {},
      { jobIds: ["a"], targetStatuses: ["INCRE_TRANSFER_STARTD"] },
    );
    assert.equal(failures.length, 1);
    assert.equal(failures[0].property, "targetStatuses[0]");
    assert.match(failures[0].reason, /did you mean INCRE_TRANSFER_STARTED\?/);
    const lone = await gateProvider.check({}, { jobIds: ["a"], targetStatuses: "DELETED" });
    assert.match(lone.failures[0].reason, /must be a list of statuses/);
  });

  it("check refuses unknown arguments by name, and credentials with where to put them", async () => {
    const { failures } = await jobStatusProvider.check(
      {},
      { jobIds: ["a"], authToken: "tok-123456", timout: "5m", __provider: "serialized" },
    );
    const byProperty = Object.fromEntries(failures.map((f) => [f.property, f.reason]));
    assert.deepEqual(Object.keys(byProperty).sort(), ["", "timout"]);
    // No property for a credential: the engine would print the value of a named one.
    assert.match(
      byProperty[""],
      /^authToken: credentials are not resource arguments.*pulumi config set --secret drs:authToken/,
    );
    assert.doesNotMatch(byProperty[""], /tok-123456/);
    assert.match(byProperty.timout, /not an argument of this resource; it takes jobIds, endpoint/);
    const gate = await gateProvider.check({}, { jobIds: ["a"], timout: "5m", password: "pw" });
    const gateFailures = Object.fromEntries(gate.failures.map((f) => [f.property, f.reason]));
    assert.match(gateFailures.timout, /did you mean timeout\?/);
    assert.match(gateFailures[""], /^password: credentials are not resource arguments/);
  });

  it("settings: explicit inputs win over stack config, which carries the credentials", () => {
    const settings = settingsFor(
      { region: "cn-north-4" },
      { region: "ap-southeast-1", projectId: "p1", authToken: "from-config" },
    );
    assert.equal(settings.region, "cn-north-4");
    assert.equal(settings.projectId, "p1");
    assert.equal(settings.authToken, "from-config");
  });

  it("configure passes drs:credentialSource through to the settings", () => {
    const config = (values: Record<string, string>) => ({ get: (key: string) => values[key] });
    try {
      jobStatusProvider.configure({ config: config({ "drs:credentialSource": "ecs-metadata" }) });
      assert.equal(settingsFor({}, configuredStack()).credentialSource, "ecs-metadata");
    } finally {
      jobStatusProvider.configure({ config: config({}) });
    }
    assert.equal(settingsFor({}, configuredStack()).credentialSource, undefined);
  });

  describe("over HTTP", () => {
    let sim: Simulator;
    const saved = { ...process.env };
    before(async () => {
      sim = await startSimulator({
        scenario: { auth: { token: "unit" }, jobs: [{ id: "a", status: "CREATING" }] },
      });
      Object.assign(process.env, {
        HW_DRS_ENDPOINT: sim.url,
        HW_PROJECT_ID: sim.projectId,
        HW_AUTH_TOKEN: "unit",
      });
    });
    after(async () => {
      process.env = saved;
      await sim.stop();
    });

    it("create records the statuses; read keeps a job that vanished, with its code", async () => {
      jobStatusProvider.configure({ config: { get: () => undefined } });
      const created = await jobStatusProvider.create({ jobIds: ["a"] });
      assert.deepEqual(created.outs.statuses, { a: "CREATING" });
      assert.deepEqual(created.outs.statusesAtLastUpdate, { a: "CREATING" });
      sim.removeJob("a");
      const read = await jobStatusProvider.read(created.id, created.outs);
      assert.equal(read.id, created.id, "never drops the resource");
      assert.deepEqual(read.props.statuses, { a: "DRS.M00289" });
    });

    it("a refresh that gets no result for a job keeps what was recorded, not a failed job", async () => {
      sim.addJobs([{ id: "m", status: "INCRE_TRANSFER_STARTED" }]);
      jobStatusProvider.configure({ config: { get: () => undefined } });
      const created = await jobStatusProvider.create({ jobIds: ["m"] });
      const opened = {
        jobIds: ["m"],
        jobs: [{ id: "m", status: "INCRE_TRANSFER_STARTED", phase: "ready" as const }],
      };
      // Every answer leaves the job out, the client's second ask included.
      const fault = sim.addFault({ data: "missing", route: "batch-status", times: 1000 });
      try {
        const read = await jobStatusProvider.read(created.id, created.outs);
        assert.deepEqual(read.props.statuses, { m: "INCRE_TRANSFER_STARTED" });
        assert.deepEqual(read.props.jobs, created.outs.jobs);
        const gate = (await gateProvider.read("gate", opened)).props.jobs as unknown[];
        assert.deepEqual(gate, opened.jobs);
        assert.ok(sim.counters().byKind["batch-status"]! >= 2, "DRS was asked");
      } finally {
        sim.clearFaults(fault.id);
      }
    });

    it("the gate's read re-reads statuses but keeps the lag seen when it opened (no drift)", async () => {
      sim.addJobs([{ id: "b", status: "INCRE_TRANSFER_STARTED" }]);
      gateProvider.configure({ config: { get: () => undefined } });
      const opened = {
        jobIds: ["b"],
        jobs: [
          {
            id: "b",
            status: "INCRE_TRANSFER_STARTED",
            phase: "ready" as const,
            replicationLagMs: 2000,
          },
        ],
      };
      const read = await gateProvider.read("gate", opened);
      const [job] = read.props.jobs as Array<{ replicationLagMs?: number; phase: string }>;
      assert.equal(job.replicationLagMs, 2000);
      assert.equal(job.phase, "ready");
      sim.setJobStatus("b", "INCRE_TRANSFER_FAILED");
      const failed = (await gateProvider.read("gate", opened)).props.jobs as Array<{
        phase: string;
      }>;
      assert.equal(failed[0].phase, "failed");
    });
  });
});

describe("the serialized provider", () => {
  it("is a small shim that loads the package by name and captures nothing else", async () => {
    // As dynamic.Resource does: the provider object is a local, not a module binding.
    const provider = jobStatusShim;
    const serialized = await pulumi.runtime.serializeFunction(() => provider);
    assert.match(serialized.text, /require\("pulumi-drs-jobs\/provider"\)/);
    const bytes = Buffer.byteLength(serialized.text);
    assert.ok(bytes <= 1024, `${bytes} bytes`);
    assert.doesNotMatch(serialized.text, /axios|DrsClient|authToken/);
  });

  it("once configured as the dynamic-provider process does, answers with the real provider", async () => {
    const provider = gateShim;
    const { text } = await pulumi.runtime.serializeFunction(() => provider);
    // @pulumi/pulumi/cmd/dynamic-provider: requireFromString(text).handler(), then configure.
    const module = { exports: {} as { handler: () => pulumi.dynamic.ResourceProvider } };
    new Function("exports", "require", "module", text)(module.exports, require, module);
    const revived = module.exports.handler();
    assert.equal(revived.check, undefined, "nothing but the loader is serialized");
    await revived.configure!({ config: { get: () => undefined } } as never);
    const { failures } = await revived.check!({}, { jobIds: ["a"], timout: "5m" });
    assert.match(failures?.[0]?.reason ?? "", /did you mean timeout\?/);
    assert.deepEqual(
      Object.keys(revived)
        .filter((key) => typeof (revived as never)[key] === "function")
        .sort(),
      ["check", "configure", "create", "delete", "diff", "read", "update"],
    );
  });
});

describe("the engine address", () => {
  it("finds the engine's host:port among the plugin's arguments", () => {
    assert.equal(engineAddress(["node", "index.js", "127.0.0.1:43211"]), "127.0.0.1:43211");
    assert.equal(engineAddress(["node", "index.js"]), undefined);
  });
});
