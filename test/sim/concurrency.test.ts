import { strict as assert } from "node:assert";
import { Agent, request as httpRequest } from "node:http";
import { generateJobs, startSimulator, type Simulator } from "../../src/sim";

describe("sim: concurrency", () => {
  let sim: Simulator;
  const jobs = generateJobs(1000);
  before(async () => {
    sim = await startSimulator({ scenario: { auth: { token: "t" }, jobs } });
  });
  after(() => sim.stop());

  it("answers 300 concurrent requests on 300 connections, all 200 and correct", async function () {
    this.timeout(20_000);
    // One socket per request, so this really is 300 concurrent connections, not a queue.
    const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
    const one = (i: number) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const ids = jobs.slice(i % 900, (i % 900) + 100).map((job) => job.id);
        const req = httpRequest(
          sim.batchStatusUrl,
          {
            method: "POST",
            agent,
            headers: { "Content-Type": "application/json", "X-Auth-Token": "t" },
          },
          (res) => {
            let body = "";
            res.on("data", (chunk) => (body += chunk));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on("error", reject);
        req.end(JSON.stringify({ jobs: ids, page_req: { per_page: 100 } }));
      });
    const answers = await Promise.all(Array.from({ length: 300 }, (_, i) => one(i)));
    agent.destroy();
    assert.deepEqual([...new Set(answers.map((a) => a.status))], [200]);
    answers.forEach((answer, i) => {
      const parsed = JSON.parse(answer.body);
      assert.equal(parsed.count, 100);
      assert.equal(parsed.results[0].id, jobs[i % 900].id);
    });
    assert.equal(sim.counters().byStatus["200"], 300);
  });

  it("keeps serving with keep-alive fetch under concurrent load mixed with bad requests", async () => {
    const requests = Array.from({ length: 200 }, (_, i) =>
      fetch(sim.batchStatusUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Auth-Token": i % 4 === 0 ? "bad" : "t" },
        body: i % 5 === 0 ? "{not json" : JSON.stringify({ jobs: [jobs[i].id] }),
      }).then((res) => res.status),
    );
    const statuses = await Promise.all(requests);
    statuses.forEach((status, i) =>
      assert.equal(status, i % 4 === 0 ? 401 : i % 5 === 0 ? 400 : 200),
    );
  });
});
