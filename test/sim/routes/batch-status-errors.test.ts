import { strict as assert } from "node:assert";
import { connect } from "node:net";
import { startSimulator, type Simulator } from "../../../src/sim";
import { EXAMPLE_JOBS, JOB_A, JOB_B, PROJECT_ID, batchStatus, call } from "../helpers";

describe("sim: batch-status request validation", () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ scenario: { projectId: PROJECT_ID, jobs: EXAMPLE_JOBS } });
  });
  after(() => sim.stop());

  const cases: { name: string; body: unknown; code: string; msg: RegExp | string }[] = [
    { name: "jobs missing", body: {}, code: "DRS.M00201", msg: "The jobs parameter is empty." },
    {
      name: "jobs null",
      body: { jobs: null },
      code: "DRS.M00201",
      msg: "The jobs parameter is empty.",
    },
    {
      name: "jobs empty",
      body: { jobs: [] },
      code: "DRS.M00201",
      msg: "The jobs parameter is empty.",
    },
    {
      name: "jobs not an array",
      body: { jobs: JOB_A },
      code: "DRS.M00202",
      msg: "The jobs parameter value is invalid.",
    },
    {
      name: "a job ID not a string",
      body: { jobs: [JOB_A, 7] },
      code: "DRS.M00202",
      msg: "The jobs[1] parameter value is invalid.",
    },
    { name: "a blank job ID", body: { jobs: [" "] }, code: "DRS.M00202", msg: /jobs\[0\]/ },
    {
      name: "page_req not an object",
      body: { jobs: [JOB_A], page_req: 2 },
      code: "DRS.M00202",
      msg: "The page_req parameter value is invalid.",
    },
    {
      name: "cur_page 0",
      body: { jobs: [JOB_A], page_req: { cur_page: 0 } },
      code: "DRS.M00210",
      msg: /cur_page=0/,
    },
    {
      name: "cur_page 1.5",
      body: { jobs: [JOB_A], page_req: { cur_page: 1.5 } },
      code: "DRS.M00210",
      msg: /cur_page/,
    },
    {
      name: "cur_page a string",
      body: { jobs: [JOB_A], page_req: { cur_page: "1" } },
      code: "DRS.M00210",
      msg: /cur_page/,
    },
    {
      name: "cur_page beyond the last page",
      body: { jobs: [JOB_A, JOB_B], page_req: { cur_page: 2, per_page: 5 } },
      code: "DRS.M00210",
      msg: /cur_page=2 > 1/,
    },
    {
      name: "cur_page 2 with per_page 0 (one page)",
      body: { jobs: [JOB_A, JOB_B], page_req: { cur_page: 2, per_page: 0 } },
      code: "DRS.M00210",
      msg: /cur_page=2/,
    },
    {
      name: "per_page 101",
      body: { jobs: [JOB_A], page_req: { per_page: 101 } },
      code: "DRS.M00211",
      msg: /per_page=101/,
    },
    {
      name: "per_page -1",
      body: { jobs: [JOB_A], page_req: { per_page: -1 } },
      code: "DRS.M00211",
      msg: /per_page=-1/,
    },
    {
      name: "per_page 2.5",
      body: { jobs: [JOB_A], page_req: { per_page: 2.5 } },
      code: "DRS.M00211",
      msg: /per_page/,
    },
    { name: "malformed JSON", body: '{"jobs": [', code: "DRS.M00007", msg: /not valid JSON/ },
    { name: "empty body", body: "", code: "DRS.M00007", msg: /not valid JSON/ },
    { name: "a JSON array body", body: "[1]", code: "DRS.M00007", msg: /JSON object/ },
  ];
  for (const { name, body, code, msg } of cases) {
    it(`${name} -> 400 ${code}`, async () => {
      const answer = await batchStatus(sim, body);
      assert.equal(answer.status, 400, answer.text);
      assert.equal(answer.json.error_code, code);
      if (typeof msg === "string") assert.equal(answer.json.error_msg, msg);
      else assert.match(answer.json.error_msg, msg);
      assert.ok(answer.headers.get("x-request-id"));
    });
  }

  describe("languages", () => {
    it("answers error_msg in Chinese for X-Language: zh-cn", async () => {
      const answer = await batchStatus(sim, { jobs: [] }, { "X-Language": "zh-cn" });
      assert.deepEqual(answer.json, { error_code: "DRS.M00201", error_msg: "参数jobs为空。" });
    });
    it("answers per-job messages in Chinese, English by default and for en-us", async () => {
      const zh = await batchStatus(sim, { jobs: ["nope"] }, { "X-Language": "ZH-CN" });
      assert.equal(zh.json.results[0].error_message, "任务不存在。");
      const en = await batchStatus(sim, { jobs: ["nope"] }, { "X-Language": "en-us" });
      assert.equal(en.json.results[0].error_message, "The job does not exist.");
    });
    it("refuses an unknown language with 400 DRS.M00202 naming X-Language", async () => {
      const answer = await batchStatus(sim, { jobs: [JOB_A] }, { "X-Language": "fr-fr" });
      assert.equal(answer.status, 400);
      assert.deepEqual(answer.json, {
        error_code: "DRS.M00202",
        error_msg: "The X-Language parameter value is invalid.",
      });
    });
  });

  describe("HTTP-level errors, each in the DRS shape, and the server keeps serving", () => {
    afterEach(async () => {
      const ok = await batchStatus(sim, { jobs: [JOB_A] });
      assert.equal(ok.status, 200);
    });
    it("wrong project ID -> 403 DRS.M00261", async () => {
      const answer = await call(`${sim.url}/v3/0000/jobs/batch-status`, {
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ jobs: [JOB_A] }),
      });
      assert.equal(answer.status, 403);
      assert.equal(answer.json.error_code, "DRS.M00261");
      assert.match(answer.json.error_msg, /0000/);
    });
    it("wrong method -> 405 with Allow: POST", async () => {
      const answer = await call(sim.batchStatusUrl, { method: "GET" });
      assert.equal(answer.status, 405);
      assert.equal(answer.headers.get("allow"), "POST");
      assert.equal(answer.json.error_code, "APIG.0101");
    });
    it("unknown path -> 404 APIG.0101", async () => {
      const answer = await call(`${sim.url}/v3/${PROJECT_ID}/jobs/nope`, { body: "{}" });
      assert.equal(answer.status, 404);
      assert.equal(answer.json.error_code, "APIG.0101");
      assert.ok(answer.headers.get("x-request-id"));
    });
    it("a body over 1 MiB -> 413 APIG.0201", async () => {
      const big = JSON.stringify({ jobs: [JOB_A], pad: "x".repeat(1024 * 1024) });
      const answer = await batchStatus(sim, big);
      assert.equal(answer.status, 413);
      assert.equal(answer.json.error_code, "APIG.0201");
    });
    it("a body over 1 MiB sent chunked (no Content-Length) -> 413", async () => {
      const chunk = new TextEncoder().encode("x".repeat(256 * 1024));
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 6; i++) controller.enqueue(chunk);
          controller.close();
        },
      });
      const res = await fetch(sim.batchStatusUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: stream,
        duplex: "half",
      } as RequestInit);
      assert.equal(res.status, 413);
      assert.equal(((await res.json()) as { error_code: string }).error_code, "APIG.0201");
    });
    it("wrong content type -> 415 DRS.M00007", async () => {
      const answer = await call(sim.batchStatusUrl, {
        headers: { "Content-Type": "text/plain" },
        body: JSON.stringify({ jobs: [JOB_A] }),
      });
      assert.equal(answer.status, 415);
      assert.equal(answer.json.error_code, "DRS.M00007");
      assert.match(answer.json.error_msg, /application\/json/);
    });
    it("accepts application/json with a charset", async () => {
      const answer = await batchStatus(
        sim,
        { jobs: [JOB_A] },
        { "Content-Type": "application/json; charset=utf-8" },
      );
      assert.equal(answer.status, 200);
    });
    it("garbage on the socket -> 400, no crash", async () => {
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = connect(sim.port, "127.0.0.1", () =>
          socket.write("NOT HTTP AT ALL\r\n\r\n"),
        );
        let data = "";
        socket.on("data", (chunk) => (data += chunk.toString()));
        socket.on("end", () => resolve(data));
        socket.on("error", reject);
      });
      assert.match(reply, /^HTTP\/1\.1 400/);
      assert.match(reply, /X-Request-Id: [0-9a-f]{32}/);
    });
    it("odd inputs never crash it", async () => {
      const odd = [
        "null",
        "true",
        '"jobs"',
        '{"jobs": {"0": "a"}}',
        '{"jobs": ["a"], "page_req": {"cur_page": 1e309}}',
        '{"jobs": ["a"], "page_req": {"per_page": null}}',
        '{"__proto__": {"jobs": ["a"]}}',
        "\u0000\u0001",
      ];
      for (const body of odd) {
        const answer = await batchStatus(sim, body);
        assert.ok(answer.status === 200 || answer.status === 400, `${body}: ${answer.status}`);
      }
      const weird = await call(`${sim.url}/v3/%E0%A4%A/jobs/batch-status`, {
        headers: { "Content-Type": "application/json" },
        body: "{}",
      });
      assert.equal(weird.status, 403);
    });
  });
});
