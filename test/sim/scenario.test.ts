import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  EXAMPLE_PROJECT_ID,
  ScenarioError,
  generateJobs,
  loadScenarioFile,
  parseScenario,
  startSimulator,
} from "../../src/sim";
import { EXAMPLE_JOBS, batchStatus } from "./helpers";

function issuesOf(input: unknown): string[] {
  try {
    parseScenario(input);
  } catch (err) {
    assert.ok(err instanceof ScenarioError, String(err));
    return err.issues;
  }
  assert.fail("expected a ScenarioError");
}

describe("sim: scenario", () => {
  it("reads the documented example, with defaults", () => {
    const scenario = parseScenario({
      projectId: "054ba152d480d55b2f5dc0069e7ddef0",
      auth: { token: "demo-token" },
      jobs: EXAMPLE_JOBS,
      faults: [{ status: 429, times: 2, retryAfter: "1" }],
    });
    assert.equal(scenario.auth.token, "demo-token");
    assert.deepEqual(scenario.jobs[0].timeline, [
      { atMs: 0, status: "FULL_TRANSFER_STARTED" },
      { atMs: 20_000, status: "INCRE_TRANSFER_STARTED" },
    ]);
    assert.equal(scenario.faults[0].remaining, 2);
    assert.equal(scenario.faults[0].retryAfter, "1");
    assert.equal(parseScenario({}).projectId, EXAMPLE_PROJECT_ID);
    const keys = parseScenario({
      auth: {
        accessKey: "AK",
        secretKey: "SK",
        iam: { userName: "u", password: "p", domainName: "d" },
      },
    }).auth;
    assert.equal(keys.keys.get("AK"), "SK");
    assert.equal(keys.iam?.tokenLifetimeMs, 24 * 3600_000);
  });

  it("names every bad field, all at once", () => {
    const issues = issuesOf({
      projectId: "a/b",
      jobs: [
        { id: "a", timeline: [{ at: "0s", status: "CREATING" }] },
        { id: "b", timeline: [{ at: "soon", status: "CREATING" }, { status: "X" }] },
        { id: "a", status: "CREATING" },
        {
          id: "c",
          timeline: [
            { at: "10s", status: "A" },
            { at: "5s", status: "B" },
          ],
        },
        { id: "d", timeline: [{ at: 0 }] },
        { id: "e", statsu: "CREATING", status: "CREATING" },
        { timeline: [] },
      ],
      faults: [
        { status: 200 },
        { drop: true, hang: true },
        {},
        { data: "weird" },
        { delay: "1s", from: "5s", until: "2s" },
        { status: 429, times: 0 },
      ],
      auth: {
        iam: { userName: "u" },
        accessKey: "AK",
        keys: [{ accessKey: "K", secretKey: "S", securityToken: "", sessionToken: "x" }],
      },
      maxPageSize: 101,
      extra: 1,
    });
    const expected = [
      /^projectId: /,
      /^jobs\[1\]\.timeline\[0\]\.at: /,
      /^jobs\[1\]\.timeline\[1\]\.at: is required/,
      /^jobs\[2\]\.id: duplicate job ID "a"/,
      /^jobs\[3\]\.timeline\[1\]\.at: must not be earlier/,
      /^jobs\[4\]\.timeline\[0\]: needs a status/,
      /^jobs\[5\]\.statsu: unknown field/,
      /^jobs\[6\]\.id: must be a non-empty string/,
      /^jobs\[6\]\.timeline: must be a non-empty array/,
      /^faults\[0\]\.status: must be an HTTP error status/,
      /^faults\[1\]: choose one effect, not drop and hang/,
      /^faults\[2\]: needs an effect/,
      /^faults\[3\]\.data: must be one of/,
      /^faults\[4\]\.until: must be later than from/,
      /^faults\[5\]\.times: must be an integer >= 1/,
      /^auth\.secretKey: is required/,
      /^auth\.iam\.password: is required/,
      /^auth\.iam\.domainName: is required/,
      /^auth\.keys\[0\]\.sessionToken: unknown field/,
      /^auth\.keys\[0\]\.securityToken: must be a non-empty string/,
      /^maxPageSize: must be an integer from 1 to 100/,
      /^extra: unknown field/,
    ];
    for (const pattern of expected) {
      assert.ok(
        issues.some((issue) => pattern.test(issue)),
        `no issue matches ${pattern}:\n${issues.join("\n")}`,
      );
    }
  });

  it("refuses a non-object", () => {
    assert.deepEqual(issuesOf([]), ["(root): must be a JSON object"]);
    assert.match(issuesOf({ jobs: {} })[0], /^jobs: must be an array/);
  });

  it("loads a file and names it in errors", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sim-scenario-"));
    try {
      const good = join(dir, "good.json");
      writeFileSync(good, JSON.stringify({ jobs: [{ id: "x", status: "CREATING" }] }));
      assert.equal((await loadScenarioFile(good)).jobs.length, 1);
      const bad = join(dir, "bad.json");
      writeFileSync(bad, '{"jobs": [}');
      await assert.rejects(
        loadScenarioFile(bad),
        (err: Error) => err.message.includes(bad) && /not valid JSON/.test(err.message),
      );
      writeFileSync(
        bad,
        JSON.stringify({ jobs: [{ id: "x", timeline: [{ at: "1y", status: "A" }] }] }),
      );
      await assert.rejects(loadScenarioFile(bad), /jobs\[0\]\.timeline\[0\]\.at: /);
      // The user's mistake (a ScenarioError, exit 2 in the CLI), not an internal error.
      await assert.rejects(
        loadScenarioFile(join(dir, "missing.json")),
        (err: Error) =>
          err instanceof ScenarioError &&
          /^cannot read scenario .*missing\.json: ENOENT/.test(err.message),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("startSimulator refuses an invalid scenario before listening", async () => {
    await assert.rejects(
      startSimulator({ scenario: { jobs: [{ id: "" }] } as never }),
      ScenarioError,
    );
  });

  it("a job reports DRS.M00289 before its first step (it does not exist yet)", async () => {
    const sim = await startSimulator({
      scenario: { jobs: [{ id: "later", timeline: [{ at: "1m", status: "CREATING" }] }] },
    });
    try {
      assert.equal(
        (await batchStatus(sim, { jobs: ["later"] })).json.results[0].error_code,
        "DRS.M00289",
      );
      sim.advanceClock("1m");
      assert.equal(
        (await batchStatus(sim, { jobs: ["later"] })).json.results[0].status,
        "CREATING",
      );
    } finally {
      await sim.stop();
    }
  });

  it("bulk: 20 000 generated jobs answer page by page and all at once", async function () {
    this.timeout(20_000);
    const jobs = generateJobs(20_000);
    assert.equal(new Set(jobs.map((job) => job.id)).size, 20_000);
    const sim = await startSimulator({ scenario: { jobs } });
    try {
      const ids = jobs.map((job) => job.id);
      const page = await batchStatus(sim, {
        jobs: ids,
        page_req: { cur_page: 200, per_page: 100 },
      });
      assert.equal(page.json.count, 100);
      assert.equal(page.json.results[99].id, ids[19_999]);
      const all = await batchStatus(sim, { jobs: ids, page_req: { per_page: 0 } });
      assert.equal(all.json.count, 20_000);
      assert.ok(
        all.json.results.every((r: { status: string }) => r.status === "FULL_TRANSFER_STARTED"),
      );
    } finally {
      await sim.stop();
    }
  });
});
