// Every example runs as its README says, against the simulator, through the real CLI.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { startSimulator, type Simulator } from "../../src/sim";
import { PulumiProject } from "./support/pulumi-cli";
import { afterAnswers } from "../support/timeline";

const example = (name: string) =>
  readFileSync(path.join(__dirname, "../../examples", name, "index.ts"), "utf8");
const JOBS = ["9a470239-2308-4bb5-a6bc-1040402fjb21", "dc67695a-ee3e-49b8-a022-a099bd81jb21"];

describe("e2e: the examples", function () {
  this.timeout(180_000);
  let sim: Simulator;
  let project: PulumiProject;
  afterEach(async () => {
    project?.cleanup();
    await sim?.stop();
  });

  async function configure(settings: Record<string, string>, secrets: Record<string, string>) {
    for (const [key, value] of Object.entries(settings))
      await project.ok(["config", "set", key, value]);
    for (const [key, value] of Object.entries(secrets)) {
      await project.ok(["config", "set", "--secret", key, value]);
    }
  }

  it("cutover: the switch is created only after the gate opens, then up --refresh fails on a failed job", async () => {
    sim = await startSimulator({
      scenario: {
        auth: { token: "t0k3n" },
        jobs: JOBS.map((id) => ({ id, status: "FULL_TRANSFER_STARTED" })),
      },
    });
    project = new PulumiProject("cutover", example("cutover"));
    await project.init();
    await configure(
      {
        "drs:endpoint": sim.url,
        "drs:projectId": sim.projectId,
        jobIds: JSON.stringify(JOBS),
        pollInterval: "1s",
      },
      { "drs:authToken": "t0k3n" },
    );
    // The jobs become ready once the gate has polled twice, whenever the update got there.
    let readyAt = Infinity;
    const opener = afterAnswers(sim, "batch-status", 2, () => {
      readyAt = Date.now();
      JOBS.forEach((id) => sim.setJobStatus(id, "INCRE_TRANSFER_STARTED"));
    });
    await project.ok(["up", "--yes", "--skip-preview"]).finally(opener);
    const outputs = await project.outputs();
    assert.deepEqual(
      outputs.statusesAtCutover,
      Object.fromEntries(JOBS.map((id) => [id, "INCRE_TRANSFER_STARTED"])),
    );
    // Ordering, on this machine's one clock: the switch was made after the jobs were ready.
    assert.ok(readyAt < Infinity, "the gate polled while the jobs were pending");
    const switchedAt = Date.parse(String(outputs.switchedAt));
    assert.ok(switchedAt >= readyAt, `switched at ${switchedAt}, jobs ready at ${readyAt}`);
    sim.setJobStatus(JOBS[1], {
      status: "INCRE_TRANSFER_FAILED",
      errorCode: "DRS.M00004",
      errorMessage: "Service abnormal",
    });
    const again = await project.run(["up", "--yes", "--skip-preview", "--refresh"]);
    assert.notEqual(again.code, 0);
    assert.match(again.stdout, new RegExp(`${JOBS[1]}: INCRE_TRANSFER_FAILED \\(DRS\\.M00004`));
    await project.ok(["destroy", "--yes", "--skip-preview"]);
  });

  it("drift: refresh shows the changed status and the failed job", async () => {
    sim = await startSimulator({
      scenario: {
        auth: { token: "t0k3n" },
        jobs: JOBS.map((id) => ({ id, status: "FULL_TRANSFER_STARTED" })),
      },
    });
    project = new PulumiProject("drift", example("drift"));
    await project.init();
    await configure(
      { "drs:endpoint": sim.url, "drs:projectId": sim.projectId, jobIds: JSON.stringify(JOBS) },
      { "drs:authToken": "t0k3n" },
    );
    await project.ok(["up", "--yes", "--skip-preview"]);
    sim.setJobStatus(JOBS[0], {
      status: "FULL_TRANSFER_FAILED",
      errorCode: "DRS.M00004",
      errorMessage: "x",
    });
    const refresh = await project.ok(["refresh", "--yes", "--skip-preview", "--diff"]);
    assert.match(refresh.stdout, /"FULL_TRANSFER_STARTED" => "FULL_TRANSFER_FAILED"/);
    await project.ok(["up", "--yes", "--skip-preview"]);
    assert.deepEqual((await project.outputs()).failedJobs, [JOBS[0]]);
  });

  it("config-secrets: AK/SK from secret stack config sign the requests", async () => {
    const accessKey = "EXAMPLEAK0000000001";
    const secretKey = "example-secret-key-0123456789abcdef";
    sim = await startSimulator({
      scenario: {
        auth: { accessKey, secretKey },
        jobs: JOBS.map((id) => ({ id, status: "INCRE_TRANSFER_STARTED" })),
      },
    });
    project = new PulumiProject("config-secrets", example("config-secrets"));
    await project.init();
    await configure(
      { "drs:endpoint": sim.url, "drs:projectId": sim.projectId, jobIds: JSON.stringify(JOBS) },
      { "drs:accessKey": accessKey, "drs:secretKey": secretKey },
    );
    const up = await project.ok(["up", "--yes", "--skip-preview"]);
    assert.deepEqual(
      (await project.outputs()).statuses,
      Object.fromEntries(JOBS.map((id) => [id, "INCRE_TRANSFER_STARTED"])),
    );
    assert.ok(sim.requestLog().some((e) => e.authMode === "aksk" && e.status === 200));
    const exported = (await project.ok(["stack", "export"])).stdout;
    for (const text of [exported, up.stdout, up.stderr]) assert.ok(!text.includes(secretKey));
  });
});
