// The JobWaiter leg of the fault matrix, the secrets check and cancellation, through the real
// pulumi CLI on ONE stack (each `pulumi up` costs seconds): every run changes the waiter's job
// list so its gate waits again, each time through different faults and credentials.
//
//   1. token auth: every transient fault of the matrix in one wait, then the gate opens
//   2. IAM user/password (debug logging on): the token expires mid-wait, the gate opens
//   3. AK/SK: a 503 that never ends; the waiter's own timeout fails the update, state intact
//   4. SIGINT to `pulumi up` mid-wait: polling stops, state consistent
//   5. the next `pulumi up`, jobs ready: succeeds
//   6. OIDC federation from the HUAWEICLOUD_SDK_* environment (debug logging on)
//   7. ECS agency keys chosen by `drs:credentialSource`, the metadata service the simulator's
//
// After all of it: no secret in any output, the state, `__provider` or the request log.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import { startSimulator, type Simulator } from "../../src/sim";
import { PulumiProject, type CliResult, type StackState } from "../e2e/support/pulumi-cli";
import { batchRequests, SECRET_VALUES, SECRETS, TRANSIENT_FAULTS, until } from "./support";

const IDP = "rel-github-actions";
const ID_TOKEN = "eyJ.rel-pulumi-oidc-id-token-6e0b.sig";

const program = readFileSync(path.join(__dirname, "../e2e/programs/cutover.ts"), "utf8");

function resource(state: StackState, type: string) {
  return state.deployment.resources?.find((r) => r.type.endsWith(type));
}

describe("reliability: one stack through faults, credentials and a cancel (real pulumi CLI)", function () {
  this.timeout(120_000);
  let sim: Simulator;
  let project: PulumiProject;
  const outputs: string[] = [];

  const setConfig = async (plain: Record<string, unknown>, secret: Record<string, string> = {}) => {
    const args = ["config", "set-all"];
    for (const [k, v] of Object.entries(plain))
      args.push("--plaintext", `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`);
    for (const [k, v] of Object.entries(secret)) args.push("--secret", `${k}=${v}`);
    await project.ok(args);
  };
  const up = async (extra: string[] = [], onSpawn?: Parameters<PulumiProject["run"]>[2]) => {
    const result: CliResult = await project.run(
      ["up", "--yes", "--skip-preview", ...extra],
      120_000,
      onSpawn,
    );
    outputs.push(result.stdout, result.stderr);
    return result;
  };
  const exported = async () => {
    const text = (await project.ok(["stack", "export"])).stdout;
    outputs.push(text);
    return JSON.parse(text) as StackState;
  };
  /** The waiter, its gate and the switch: what every run must leave in the state. */
  const assertIntact = (state: StackState) => {
    for (const type of ["JobWaiter", "drs:JobGate", "test:Switch"])
      assert.ok(resource(state, type), `the state holds the ${type}`);
  };
  const setJobs = (ids: string[], status: string) =>
    ids.forEach((id) => sim.setJobStatus(id, status));

  before(async () => {
    sim = await startSimulator({
      scenario: {
        auth: {
          token: SECRETS.token,
          keys: [{ accessKey: SECRETS.accessKey, secretKey: SECRETS.secretKey }],
          iam: {
            userName: SECRETS.userName,
            password: SECRETS.password,
            domainName: SECRETS.domainName,
            tokenLifetime: "1h",
          },
          federation: { idpId: IDP, idToken: ID_TOKEN },
          ecsMetadata: {},
        },
        jobs: ["j1", "j2", "j3", "j4"].map((id) => ({ id, status: "FULL_TRANSFER_STARTED" })),
      },
    });
    // One retry per poll and a short request timeout, so the storm spans polls quickly.
    project = new PulumiProject("reliability", program, {
      HW_MAX_RETRIES: "1",
      HW_DRS_REQUEST_TIMEOUT: "500ms",
    });
    await project.init();
    await setConfig(
      {
        "drs:endpoint": sim.url,
        "drs:projectId": sim.projectId,
        waiters: [["j1"]],
        switch: true,
        pollInterval: "300ms",
        timeout: "60s",
      },
      { "drs:authToken": SECRETS.token },
    );
  });
  const tokenDir = mkdtempSync(path.join(tmpdir(), "drs-rel-oidc-"));
  after(async () => {
    rmSync(tokenDir, { recursive: true, force: true });
    project?.cleanup();
    await sim?.stop();
  });

  it("1. token: the gate rides out every transient fault of the matrix in one wait", async () => {
    sim.addFaults(TRANSIENT_FAULTS.flatMap((fault) => fault.faults));
    // The job becomes ready once the last fault has been met.
    const opener = setInterval(() => {
      if (sim.faults().length === 0) setJobs(["j1"], "INCRE_TRANSFER_STARTED");
    }, 50);
    try {
      const result = await up();
      assert.equal(result.code, 0, result.stdout + result.stderr);
      assert.match(result.stdout, /gate open: 1\/1 DRS jobs ready/);
    } finally {
      clearInterval(opener);
    }
    assert.deepEqual(sim.faults(), [], "every fault was met");
    const byStatus = sim.counters().byStatus;
    for (const status of ["429", "500", "502", "503", "504"]) assert.ok(byStatus[status], status);
    const state = await exported();
    assertIntact(state);
    assert.deepEqual(resource(state, "drs:JobGate")?.outputs?.statuses, {
      j1: "INCRE_TRANSFER_STARTED",
    });
  });

  it("2. IAM user/password: the token expires mid-wait, a new one is fetched, the gate opens", async () => {
    await project.ok(["config", "rm", "drs:authToken"]);
    await setConfig(
      {
        waiters: [["j1", "j2"]],
        "drs:userName": SECRETS.userName,
        "drs:domainName": SECRETS.domainName,
        "drs:iamEndpoint": sim.url,
      },
      { "drs:password": SECRETS.password },
    );
    sim.resetCounters();
    const driver = (async () => {
      await until(() => batchRequests(sim) >= 2, 60_000, "two polls");
      sim.advanceClock("61m");
      await until(() => (sim.counters().byStatus["401"] ?? 0) >= 1, 30_000, "a 401");
      setJobs(["j2"], "INCRE_TRANSFER_STARTED");
    })();
    const result = await up(["--logtostderr", "-v=9"]);
    await driver;
    assert.equal(result.code, 0, result.stdout.slice(-3000));
    assert.equal(sim.counters().byKind["iam-token"], 2, "one exchange, then one after the 401");
    assert.equal(sim.counters().byStatus["401"], 1);
    assertIntact(await exported());
  });

  it("3. AK/SK: a 503 that never ends fails the update at the waiter's timeout; state intact", async () => {
    await project.ok([
      "config",
      "rm-all",
      "drs:userName",
      "drs:password",
      "drs:domainName",
      "drs:iamEndpoint",
    ]);
    await setConfig(
      { waiters: [["j1", "j2", "j3"]], timeout: "3s", "drs:accessKey": SECRETS.accessKey },
      { "drs:secretKey": SECRETS.secretKey },
    );
    setJobs(["j3"], "INCRE_TRANSFER_STARTED");
    sim.resetCounters();
    sim.addFault({ status: 503, errorMessage: `echo: Authorization=${SECRETS.secretKey}` });
    const result = await up();
    sim.clearFaults();
    assert.notEqual(result.code, 0);
    assert.match(
      result.stdout,
      /timed out after 3s waiting for 3 of 3 DRS jobs[\s\S]*the last poll failed: DRS batch-status HTTP 503/,
    );
    assert.ok(batchRequests(sim) >= 2);
    const state = await exported();
    assertIntact(state);
    assert.deepEqual(
      resource(state, "drs:JobGate")?.outputs?.statuses,
      { j1: "INCRE_TRANSFER_STARTED", j2: "INCRE_TRANSFER_STARTED" },
      "the last good gate is kept",
    );
  });

  it("4. SIGINT to pulumi up mid-wait: polling stops, the state stays consistent", async () => {
    await setConfig({ waiters: [["j1", "j2", "j3", "j4"]], timeout: "60s" });
    sim.resetCounters();
    sim.clearRequestLog();
    const sawJ4 = () => sim.requestLog().some((e) => e.kind === "batch-status" && e.jobCount === 4);
    const result = await up([], (child) => {
      const timer = setInterval(() => {
        if (sawJ4()) {
          clearInterval(timer);
          child.kill("SIGINT");
        }
      }, 50);
      child.on("exit", () => clearInterval(timer));
    });
    assert.notEqual(result.code, 0, "a cancelled update does not succeed");
    assert.ok(sawJ4(), "it was waiting when interrupted");
    // The gate saw its program go (the lease), rather than running into its own timeout.
    assert.match(result.stdout + result.stderr, /the update was cancelled/);
    // The gate checks for its program every 250 ms; give it a few rounds, then watch.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const settled = batchRequests(sim);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(batchRequests(sim), settled, "no polling after the cancel");
    const state = await exported();
    assert.ok(resource(state, "JobWaiter"), "the waiter is still in the state");
    assert.ok(resource(state, "drs:JobGate"), "the gate is still in the state");
  });

  it("5. the next pulumi up, the job ready: succeeds", async () => {
    setJobs(["j4"], "INCRE_TRANSFER_STARTED");
    const result = await up();
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const state = await exported();
    assertIntact(state);
    assert.deepEqual(Object.keys(resource(state, "drs:JobGate")?.outputs?.statuses as object), [
      "j1",
      "j2",
      "j3",
      "j4",
    ]);
  });

  it("6. OIDC federation: the gate opens with temporary keys, exchanged once", async () => {
    await project.ok(["config", "rm-all", "drs:accessKey", "drs:secretKey"]);
    const tokenFile = path.join(tokenDir, "id-token");
    writeFileSync(tokenFile, ID_TOKEN);
    Object.assign(project.env, {
      HUAWEICLOUD_SDK_IDP_ID: IDP,
      HUAWEICLOUD_SDK_ID_TOKEN_FILE: tokenFile,
      HUAWEICLOUD_SDK_IAM_ENDPOINT: sim.url,
    });
    sim.addJob({ id: "j5", status: "INCRE_TRANSFER_STARTED" });
    await setConfig({ waiters: [["j1", "j2", "j3", "j4", "j5"]] });
    sim.resetCounters();
    const result = await up(["--logtostderr", "-v=9"]);
    assert.equal(result.code, 0, result.stdout.slice(-3000));
    assert.equal(sim.counters().byPath["/v3.0/OS-AUTH/id-token/tokens"], 1);
    assert.ok(sim.counters().byKind["batch-status"] >= 1);
    assertIntact(await exported());
  });

  it("7. ECS agency keys chosen by drs:credentialSource, which configure passes through", async () => {
    for (const name of Object.keys(project.env))
      if (name.startsWith("HUAWEICLOUD_SDK_")) delete project.env[name];
    project.env.HW_ECS_METADATA_ENDPOINT = sim.url;
    sim.addJob({ id: "j6", status: "INCRE_TRANSFER_STARTED" });
    await setConfig({
      waiters: [["j1", "j2", "j3", "j4", "j5", "j6"]],
      "drs:credentialSource": "ecs-metadata",
    });
    sim.resetCounters();
    const result = await up();
    assert.equal(result.code, 0, result.stdout.slice(-3000));
    assert.equal(sim.counters().byPath["/openstack/latest/securitykey"], 1);
    assert.equal(sim.counters().byKind["iam-federation"], undefined);
    assertIntact(await exported());
  });

  it("no secret in any pulumi output (debug logs included), the state, __provider or the request log", async () => {
    const state = await exported();
    const providers = (state.deployment.resources ?? [])
      .map((r) => String(r.outputs?.__provider ?? ""))
      .join("\n");
    const texts = [
      ...outputs,
      providers,
      JSON.stringify(sim.requestLog()),
      inspect(sim.summary(), { depth: 10 }),
    ];
    assert.ok(outputs.length >= 10);
    for (const secret of [...SECRET_VALUES, ID_TOKEN]) {
      for (const text of texts) {
        const at = text.indexOf(secret);
        assert.equal(at, -1, `leaked: …${text.slice(Math.max(0, at - 200), at + 50)}…`);
      }
    }
    // The config holds them encrypted: the stack file has ciphertext only.
    const stackFile = readFileSync(path.join(project.dir, "Pulumi.test.yaml"), "utf8");
    for (const secret of SECRET_VALUES) assert.ok(!stackFile.includes(secret));
  });
});
