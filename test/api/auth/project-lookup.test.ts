// The project id from the region: a signed GET /v3/projects?name=REGION to the simulator's IAM,
// once per process for the same identity, and a clear error for none or several matches.
import { strict as assert } from "node:assert";
import { DrsApiError } from "../../../src/api/errors";
import { DrsClient } from "../../../src/api/client";
import { startSimulator, type Simulator, type ScenarioInput } from "../../../src/sim";

const AK = "HPUALOOKUPACCESSKEY0";
const SK = "lookup-secret-key-0123456789abcdefgh";
const JOB = "job-a";

describe("api/auth: project id looked up from the region", () => {
  let sim: Simulator;
  afterEach(() => sim?.stop());

  async function start(extra: Partial<ScenarioInput> = {}) {
    sim = await startSimulator({
      scenario: {
        projectId: "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
        auth: { accessKey: AK, secretKey: SK },
        jobs: [{ id: JOB, status: "INCRE_TRANSFER_STARTED" }],
        ...extra,
      },
    });
  }
  const client = () =>
    new DrsClient({
      env: {
        HW_DRS_ENDPOINT: sim.url,
        HW_REGION_NAME: "cn-north-4",
        HUAWEICLOUD_SDK_AK: AK,
        HUAWEICLOUD_SDK_SK: SK,
        HUAWEICLOUD_SDK_IAM_ENDPOINT: sim.url,
      },
      retry: { minTimeout: 5, maxTimeout: 10 },
    });
  const lookups = () => sim.requestLog().filter((e) => e.kind === "iam-projects");

  it("asks IAM once per process, signed, and polls the project it names", async () => {
    await start();
    const first = client();
    const second = client();
    const [a, b] = await Promise.all([first.batchStatus([JOB]), second.batchStatus([JOB])]);
    await first.batchStatus([JOB]);
    assert.equal(a[0].status, "INCRE_TRANSFER_STARTED");
    assert.equal(b[0].status, "INCRE_TRANSFER_STARTED");
    assert.equal(await second.projectId(), "0a1b2c3d4e5f60718293a4b5c6d7e8f9");
    const [lookup, ...more] = lookups();
    assert.equal(more.length, 0, "one lookup for every client and call");
    assert.equal(lookup.path, "/v3/projects");
    assert.equal(lookup.authMode, "aksk");
    assert.equal(lookup.status, 200);
    assert.equal(lookup.headers?.["x-project-id"], undefined, "no project header on IAM calls");
    const polls = sim.requestLog().filter((e) => e.kind === "batch-status");
    assert.equal(polls.length, 3);
    for (const poll of polls) {
      assert.equal(poll.path, "/v3/0a1b2c3d4e5f60718293a4b5c6d7e8f9/jobs/batch-status");
      assert.equal(poll.headers?.["x-project-id"], "0a1b2c3d4e5f60718293a4b5c6d7e8f9");
    }
  });

  it("fails clearly, sending no DRS request, when IAM has no project of that name", async () => {
    await start({ projects: [{ id: "p1", name: "ap-southeast-1" }] });
    const err = await client()
      .batchStatus([JOB])
      .catch((e: unknown) => e);
    assert.ok(err instanceof DrsApiError);
    assert.match(
      err.message,
      /IAM project lookup .*no project named cn-north-4.*Set HW_PROJECT_ID/,
    );
    assert.equal(sim.requestLog().filter((e) => e.kind === "batch-status").length, 0);
  });

  it("fails clearly, naming them, when IAM has several projects of that name", async () => {
    await start({
      projects: [
        { id: "p1", name: "cn-north-4" },
        { id: "p2", name: "cn-north-4" },
      ],
    });
    const err = await client()
      .batchStatus([JOB])
      .catch((e: unknown) => e);
    assert.ok(err instanceof DrsApiError);
    assert.match(err.message, /2 projects named cn-north-4 \(p1, p2\)/);
  });

  it("does not cache a failure: the next call asks again", async () => {
    await start();
    sim.addFault({ path: "/v3/projects", status: 403, errorCode: "IAM.0003", times: 1 });
    const c = client();
    const err = await c.batchStatus([JOB]).catch((e: unknown) => e);
    assert.ok(err instanceof DrsApiError && err.httpStatus === 403);
    assert.match(err.message, /set HW_PROJECT_ID/);
    assert.equal((await c.batchStatus([JOB]))[0].status, "INCRE_TRANSFER_STARTED");
    assert.equal(lookups().length, 2);
  });
});
