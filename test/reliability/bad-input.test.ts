// Bad input, property-based (fast-check): the edges that take outside input never crash and
// never reject unhandled; they answer with an error that names the field. Runs are bounded so
// the file stays within a few seconds.
import assert from "node:assert/strict";
import { request } from "node:http";
import { AKSKSigner } from "@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner";
import fc from "fast-check";
import sinon from "sinon";
import { signRequest } from "../../src/api/auth/signer";
import { judge, JOB_STATUSES, observe, targetSet, type JobPhase } from "../../src/api/status";
import type { QueryJobStatusResp } from "../../src/api/wire";
import { main } from "../../src/cli/main";
import { gateProvider, jobStatusProvider } from "../../src/pulumi/provider";
import { startSimulator, type Simulator } from "../../src/sim";
import { validateJobIds } from "../../src/api/job-ids";
import { verifyAksk } from "../../src/sim/aksk";
import { parseDuration } from "../../src/util/duration";
import { InputError } from "../../src/util/input-error";
import { planWait } from "../../src/wait/plan";
import { resolveSettings } from "../../src/api/settings";
import { SECRETS } from "./support";

const RUNS = { numRuns: 150 };

/** Values a user (or a bug upstream) could put in a Pulumi input: anything JSON and more. */
const anyValue = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.string(),
  fc.array(fc.oneof(fc.string(), fc.constant(""), fc.constant("  "), fc.integer())),
  fc.constantFrom("30s", "10m", "1h30m", "0", "-1", "1e3", "soon", "99999999h", "50ms", 0, -5),
  fc.constantFrom("http://example.com", "https://drs.x.test", "http://127.0.0.1:1", "ftp://a"),
);

const JOB_KEYS = ["jobIds", "endpoint", "region", "projectId", "language"];
const GATE_KEYS = [...JOB_KEYS, "targetStatuses", "timeout", "pollInterval"];

function gateNews() {
  return fc.record(Object.fromEntries(GATE_KEYS.map((k) => [k, anyValue])), {
    requiredKeys: [],
  });
}

describe("reliability: bad input (property-based)", function () {
  this.timeout(60_000);

  describe("JobStatus / JobWaiter check", () => {
    for (const [name, provider, keys] of [
      ["JobStatus", jobStatusProvider, JOB_KEYS],
      ["JobGate", gateProvider, GATE_KEYS],
    ] as const) {
      it(`${name}.check never throws; every failure names one of its fields`, async () => {
        await fc.assert(
          fc.asyncProperty(gateNews(), async (news) => {
            const { inputs, failures } = await provider.check({}, news);
            assert.ok(Array.isArray(failures));
            for (const failure of failures) {
              // A refused credential names itself in the reason, not as the property.
              const named = failure.property || failure.reason.split(":")[0];
              const field = named.replace(/\[\d+\]$/, "");
              // Its own fields, or one it was given and does not take (refused by name).
              assert.ok(
                keys.includes(field) || field in news,
                `unknown property ${failure.property}`,
              );
              assert.equal(typeof failure.reason, "string");
              assert.ok(failure.reason.length > 0);
            }
            if (!Array.isArray(news.jobIds) || news.jobIds.length === 0) {
              assert.ok(failures.some((f) => f.property.startsWith("jobIds")));
            }
            if (failures.length === 0) {
              // Accepted: the job list is usable as given to the wait.
              assert.deepEqual(inputs.jobIds, validateJobIds(inputs.jobIds));
            }
          }),
          RUNS,
        );
      });
    }

    it("whatever the gate's check accepts, the wait accepts too (no failure deferred to `up`)", async () => {
      await fc.assert(
        fc.asyncProperty(gateNews(), async (news) => {
          const { failures } = await gateProvider.check({}, { ...news, jobIds: ["a"] });
          const fields = new Set(failures.map((f) => f.property.replace(/\[\d+\]$/, "")));
          // What waitForJobs checks before its first poll, field by field.
          const rules: Record<string, () => unknown> = {
            timeout: () => planWait({ timeout: news.timeout as string }),
            pollInterval: () => planWait({ pollInterval: news.pollInterval as string }),
            targetStatuses: () => planWait({ targetStatuses: news.targetStatuses as string[] }),
          };
          for (const [field, rule] of Object.entries(rules)) {
            if (news[field] === undefined || fields.has(field)) continue;
            assert.doesNotThrow(rule, `check accepted ${field}=${JSON.stringify(news[field])}`);
          }
        }),
        RUNS,
      );
    });

    it("refuses durations a timer cannot hold (a 1000h timeout used to time out at once)", async () => {
      const { failures } = await gateProvider.check(
        {},
        { jobIds: ["a"], timeout: "1000h", pollInterval: "10ms" },
      );
      assert.deepEqual(
        failures.map((f) => f.property),
        ["timeout", "pollInterval"],
      );
      assert.match(failures[0].reason, /at most 2147483647ms/);
      assert.match(failures[1].reason, /at least 100ms/);
    });
  });

  describe("the duration parser", () => {
    it("returns a non-negative whole number of ms or throws an InputError naming the field", () => {
      fc.assert(
        fc.property(
          fc.oneof(fc.string(), fc.double(), fc.anything({ maxDepth: 1 }), durationLike()),
          (input) => {
            try {
              const ms = parseDuration(input as string, "someField");
              assert.ok(Number.isFinite(ms) && Number.isInteger(ms), String(ms));
              assert.ok(ms >= 0);
            } catch (err) {
              assert.ok(err instanceof InputError, String(err));
              assert.match(err.message, /^someField: /);
            }
          },
        ),
        { numRuns: 500 },
      );
    });

    it("reads every well-formed duration as the sum of its parts", () => {
      fc.assert(
        fc.property(
          fc.array(
            fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.constantFrom("ms", "s", "m", "h")),
            { minLength: 1, maxLength: 4 },
          ),
          (parts) => {
            const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
            const text = parts.map(([n, u]) => `${n}${u}`).join("");
            const expected = parts.reduce((sum, [n, u]) => sum + n * unit[u], 0);
            assert.equal(parseDuration(text, "d"), expected);
          },
        ),
        { numRuns: 300 },
      );
    });
  });

  describe("the request timeout setting", () => {
    const base = { endpoint: "http://127.0.0.1:1", projectId: "p", authToken: "t" };
    it("reads HW_DRS_REQUEST_TIMEOUT; an explicit requestTimeout wins", () => {
      const env = { HW_DRS_REQUEST_TIMEOUT: "750ms" };
      assert.equal(resolveSettings({ ...base, env }).requestTimeoutMs, 750);
      assert.equal(resolveSettings({ ...base, env, requestTimeout: "2s" }).requestTimeoutMs, 2000);
      assert.equal(resolveSettings({ ...base, env: {} }).requestTimeoutMs, 30_000);
    });

    it("refuses what a timer cannot hold (1000h used to time every request out at once)", () => {
      for (const [input, field] of [
        [{ requestTimeout: "1000h" }, /requestTimeout: must be at most 2147483647ms/],
        [
          { env: { HW_DRS_REQUEST_TIMEOUT: `${"9".repeat(306)}h` } },
          /HW_DRS_REQUEST_TIMEOUT: is too large/,
        ],
        [{ env: { HW_DRS_REQUEST_TIMEOUT: "0" } }, /HW_DRS_REQUEST_TIMEOUT: must be at least 1ms/],
      ] as const) {
        assert.throws(() => resolveSettings({ ...base, env: {}, ...input }), field);
      }
    });
  });

  describe("the status classifier", () => {
    it("classifies any result without throwing, into a known phase, keeping the id", () => {
      const phases: JobPhase[] = ["pending", "ready", "failed", "stopped"];
      fc.assert(
        fc.property(
          fc.record(
            {
              id: fc.string(),
              status: fc.oneof(fc.string(), fc.constantFrom("PAUSEING", " pausing ", "DELETED")),
              error_code: fc.oneof(fc.constant(undefined), fc.string()),
              error_message: fc.oneof(fc.constant(undefined), fc.string()),
            },
            { requiredKeys: ["id"] },
          ),
          // Any status a target may be (failure statuses are refused as targets).
          fc.subarray(
            Object.keys(JOB_STATUSES).filter((status) => JOB_STATUSES[status].phase !== "failed"),
            { maxLength: 3 },
          ),
          (result, targets) => {
            const entry = judge(
              observe(result as QueryJobStatusResp),
              targets.length ? targetSet(targets) : undefined,
            );
            assert.equal(entry.id, result.id);
            assert.ok(phases.includes(entry.phase));
            if (result.error_code) assert.equal(entry.phase, "failed");
          },
        ),
        { numRuns: 500 },
      );
    });

    it("survives what a broken service could send in a result (non-string fields)", () => {
      fc.assert(
        fc.property(
          fc.dictionary(
            fc.constantFrom("id", "status", "error_code", "error_message"),
            fc.anything(),
          ),
          (raw) => {
            const entry = judge(observe({ id: "x", ...raw } as QueryJobStatusResp));
            assert.ok(["pending", "ready", "failed", "stopped"].includes(entry.phase));
          },
        ),
        RUNS,
      );
    });
  });

  describe("the AK/SK signer", () => {
    const pathOf = (alphabet: string) =>
      fc
        .array(
          fc
            .string({ unit: fc.constantFrom(...alphabet), minLength: 1, maxLength: 8 })
            .filter((s) => s !== "." && s !== ".."),
          { minLength: 1, maxLength: 4 },
        )
        .map((segments) => `/${segments.join("/")}`);
    // The SDK core parses URLs with the legacy url.parse, which escapes ' itself; it then
    // escapes the % again (%2527). The gateway and the Go SDK sign ' as %27, as we do, so the
    // comparison leaves ' out; the round trip keeps it.
    const sdkPath = pathOf("abcXYZ019-_.~!$&()*+,;=:@ü中");
    const path = pathOf("abcXYZ019-_.~!$&'()*+,;=:@ü中 %");
    const query = fc.dictionary(
      fc.string({
        unit: fc.constantFrom(..."abcz_-~. /%=&".split("")),
        minLength: 1,
        maxLength: 6,
      }),
      fc.string({ unit: fc.constantFrom(..."xyz09 /?#+&=é".split("")), maxLength: 6 }),
      { maxKeys: 3 },
    );
    // The SDK takes a body as an object (it sends nothing for null): objects only.
    const body = fc.option(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })), {
      nil: undefined,
    });
    const DATE = new Date("2025-03-04T05:06:07Z");

    function urlOf(p: string, q: Record<string, string>) {
      const search = new URLSearchParams(q).toString();
      return `https://drs.example.test${p.split("/").map(encodeURIComponent).join("/")}${search ? `?${search}` : ""}`;
    }

    it("signs what the simulator verifies, for any path, query and body; a changed one fails", () => {
      fc.assert(
        fc.property(path, query, fc.string(), (p, q, text) => {
          const request = {
            method: "POST",
            url: urlOf(p, q),
            headers: { "Content-Type": "application/json" },
            body: text,
          };
          const added = signRequest(
            request,
            { accessKey: SECRETS.accessKey, secretKey: SECRETS.secretKey },
            DATE,
          );
          const url = new URL(request.url);
          const received = {
            method: "POST",
            rawPath: url.pathname,
            rawQuery: url.search.slice(1),
            headers: Object.fromEntries(
              Object.entries({ ...request.headers, ...added, host: url.host }).map(([k, v]) => [
                k.toLowerCase(),
                v,
              ]),
            ),
            body: text,
          };
          const verify = (r: typeof received, secretKey: string) =>
            verifyAksk(r, () => secretKey, DATE.getTime()).ok;
          assert.ok(verify(received, SECRETS.secretKey));
          assert.ok(!verify({ ...received, body: `${text} ` }, SECRETS.secretKey));
          assert.ok(!verify(received, `${SECRETS.secretKey}x`));
        }),
        RUNS,
      );
    });

    it("agrees with the official AKSKSigner on paths and queries without percent-escapes", () => {
      const clock = sinon.useFakeTimers({ now: DATE, toFake: ["Date"] });
      try {
        fc.assert(
          fc.property(sdkPath, query, body, (p, q, data) => {
            const headers = { "Content-Type": "application/json" };
            const url = urlOf(p, q);
            const official = AKSKSigner.sign(
              {
                endpoint: `https://drs.example.test${p}`,
                method: "POST",
                headers: { ...headers },
                data: data as object | undefined,
                queryParams: Object.keys(q).length ? { ...q } : undefined,
              },
              { getAk: () => SECRETS.accessKey, getSk: () => SECRETS.secretKey } as never,
            ) as Record<string, string>;
            const ours = signRequest(
              {
                method: "POST",
                url,
                headers,
                body: data === undefined ? "" : JSON.stringify(data),
              },
              { accessKey: SECRETS.accessKey, secretKey: SECRETS.secretKey },
              DATE,
            );
            assert.equal(ours.Authorization, official.Authorization, url);
          }),
          RUNS,
        );
      } finally {
        clock.restore();
      }
    });
  });

  describe("the simulator's request bodies", () => {
    let sim: Simulator;
    before(async () => {
      sim = await startSimulator({ scenario: { jobs: [{ id: "a", status: "CREATING" }] } });
    });
    after(() => sim.stop());

    function post(body: Buffer | string, contentType = "application/json") {
      return new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request(
          sim.batchStatusUrl,
          { method: "POST", headers: { "Content-Type": contentType } },
          (res) => {
            let text = "";
            res.setEncoding("utf8");
            res.on("data", (d) => (text += d));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
          },
        );
        req.on("error", reject);
        req.end(body);
      });
    }

    function assertDrsShaped(answer: { status: number; text: string }) {
      assert.ok(answer.status === 200 || (answer.status >= 400 && answer.status < 500));
      const json = JSON.parse(answer.text) as Record<string, unknown>;
      if (answer.status === 200) assert.ok(Array.isArray(json.results));
      else {
        assert.match(String(json.error_code), /^(DRS|APIG)\.\w+$/);
        assert.equal(typeof json.error_msg, "string");
      }
    }

    it("answers any JSON body 200 or a DRS-shaped 4xx", async () => {
      const shaped = fc.record(
        {
          jobs: fc.oneof(fc.array(fc.oneof(fc.string(), fc.jsonValue())), fc.jsonValue()),
          page_req: fc.oneof(
            fc.record({ cur_page: fc.jsonValue(), per_page: fc.jsonValue() }, { requiredKeys: [] }),
            fc.jsonValue(),
          ),
        },
        { requiredKeys: [] },
      );
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.jsonValue(), shaped), async (value) => {
          assertDrsShaped(await post(JSON.stringify(value)));
        }),
        RUNS,
      );
    });

    it("answers any bytes, under any content type, a DRS-shaped 4xx or 200", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uint8Array({ maxLength: 512 }),
          fc.constantFrom("application/json", "text/plain", "application/json; charset=utf-16"),
          async (bytes, type) => assertDrsShaped(await post(Buffer.from(bytes), type)),
        ),
        RUNS,
      );
    });

    it("keeps serving afterwards", async () => {
      const answer = await post(JSON.stringify({ jobs: ["a"] }));
      assert.equal(answer.status, 200);
      assert.equal((JSON.parse(answer.text) as { count: number }).count, 1);
    });
  });

  describe("drs-jobs arguments", () => {
    let sim: Simulator;
    let saved: NodeJS.ProcessEnv;
    let stubs: sinon.SinonStub[];
    before(async () => {
      sim = await startSimulator({
        scenario: { jobs: [{ id: "a", status: "INCRE_TRANSFER_STARTED" }] },
      });
      saved = { ...process.env };
    });
    after(async () => {
      process.env = saved;
      process.exitCode = undefined;
      await sim.stop();
    });

    it("any arguments end in a documented exit code, never a crash", async () => {
      const flag = fc.constantFrom(
        "--timeout",
        "--interval",
        "--target",
        "--endpoint",
        "--region",
        "--project-id",
        "--language",
        "--jobs-file",
        "--json",
        "--bogus",
        "-x",
      );
      const word = fc.oneof(
        fc.string({ maxLength: 12 }),
        fc.constantFrom("a", "nope", "1s", "0", "-1", "1000h", "x,,y", "", "-", "http://e.com"),
      );
      const argv = fc.tuple(
        fc.constantFrom("wait", "status", "bogus", "--help", "--version"),
        fc.array(fc.oneof(flag, word), { maxLength: 6 }),
      );
      await fc.assert(
        fc.asyncProperty(argv, async ([command, rest]) => {
          process.env = {
            PATH: saved.PATH,
            HW_DRS_ENDPOINT: sim.url,
            HW_PROJECT_ID: sim.projectId,
            HW_AUTH_TOKEN: SECRETS.token,
          };
          process.exitCode = undefined;
          stubs = [
            sinon.stub(process.stdout, "write").returns(true),
            sinon.stub(process.stderr, "write").returns(true),
          ];
          let code: number;
          try {
            // --jobs-file - would read this process's stdin: keep it to files.
            const args = rest.map((w, i) =>
              w === "-" && rest[i - 1] === "--jobs-file" ? "/nonexistent" : w,
            );
            code = await main(["node", "drs-jobs", command, ...args, "--timeout", "5s"]);
          } finally {
            stubs.forEach((s) => s.restore());
            process.exitCode = undefined;
          }
          assert.ok([0, 1, 2, 3, 4].includes(code), `exit ${code}`);
        }),
        { numRuns: 80 },
      );
    });
  });
});

/** Strings near the duration grammar: digits, units, signs, dots and spaces. */
function durationLike() {
  return fc.string({ unit: fc.constantFrom(..."0123456789.msh -+e".split("")), maxLength: 10 });
}
