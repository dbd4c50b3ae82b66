import { strict as assert } from "node:assert";
import { AKSKSigner } from "@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner";
import sinon from "sinon";
import { canonicalUri, formatSdkDate, signRequest } from "../../../src/api/auth/signer";
import { verifyAksk } from "../../../src/sim/aksk";

const AK = "HPUAEXAMPLEACCESSKEY";
const SK = "eXaMpLeSeCrEtKeY0123456789abcdefghijklmn";
const DATE = new Date("2025-03-04T05:06:07.890Z");

/** The official SDK as the oracle: it reads the date from Date.now, so freeze the clock. */
function oracle(
  url: string,
  method: string,
  headers: Record<string, string>,
  data?: object,
  queryParams?: Record<string, string | string[]>,
) {
  const clock = sinon.useFakeTimers({ now: DATE, toFake: ["Date"] });
  try {
    const credential = { getAk: () => AK, getSk: () => SK };
    const signed = AKSKSigner.sign(
      { endpoint: url, method, headers: { ...headers }, data, queryParams },
      credential as never,
    ) as Record<string, string>;
    return signed.Authorization;
  } finally {
    clock.restore();
  }
}

const CASES: {
  name: string;
  url: string;
  method: string;
  headers: Record<string, string>;
  data?: object;
  query?: Record<string, string | string[]>;
}[] = [
  {
    name: "the batch-status call",
    url: "https://drs.cn-north-4.myhuaweicloud.com/v3/054ba152d480d55b2f5dc0069e7ddef0/jobs/batch-status",
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Language": "en-us",
      "X-Project-Id": "054ba152d480d55b2f5dc0069e7ddef0",
    },
    data: {
      jobs: ["9a470239-2308-4bb5-a6bc-1040402fjb21"],
      page_req: { cur_page: 1, per_page: 1 },
    },
  },
  {
    name: "a loopback port and an empty body",
    url: "http://127.0.0.1:8443/v3/p/jobs",
    method: "GET",
    headers: { "Content-Type": "application/json" },
  },
  {
    name: "a query with sorting and repeated keys",
    url: "https://drs.eu-west-101.myhuaweicloud.eu/v3/p/jobs",
    method: "GET",
    headers: { "Content-Type": "application/json" },
    query: { zeta: "1", alpha: ["b", "a"], "with space": "x y/z", tilde: "~._-" },
  },
  {
    name: "reserved characters in path segments and a Unicode body",
    url: "https://drs.example.test/v3/p:x/jobs@1/a,b!/ünï",
    method: "PUT",
    headers: { "Content-Type": "application/json;charset=UTF-8", "X-Language": "zh-cn" },
    data: { name: "迁移任务", list: [1, 2, 3] },
  },
  {
    name: "a trailing slash",
    url: "https://drs.example.test/v3/p/jobs/",
    method: "DELETE",
    headers: { "Content-Type": "application/json" },
  },
];

function withQuery(url: string, query?: Record<string, string | string[]>): string {
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) for (const one of [v].flat()) params.append(k, one);
  return `${url}?${params.toString()}`;
}

describe("api/auth/signer", () => {
  for (const c of CASES) {
    it(`signs ${c.name} exactly as the official AKSKSigner`, () => {
      const expected = oracle(
        c.url,
        c.method,
        c.headers,
        c.data,
        c.query ? JSON.parse(JSON.stringify(c.query)) : undefined,
      );
      const body = c.data ? JSON.stringify(c.data) : "";
      const ours = signRequest(
        { method: c.method, url: withQuery(c.url, c.query), headers: c.headers, body },
        { accessKey: AK, secretKey: SK },
        DATE,
      );
      assert.equal(ours.Authorization, expected);
      assert.equal(ours["X-Sdk-Date"], "20250304T050607Z");
    });
  }

  it("adds and signs X-Security-Token for temporary keys", () => {
    const headers = { "Content-Type": "application/json" };
    const url = "https://drs.example.test/v3/p/jobs/batch-status";
    const ours = signRequest(
      { method: "POST", url, headers, body: "{}" },
      { accessKey: AK, secretKey: SK, securityToken: "temp-token" },
      DATE,
    );
    assert.equal(ours["X-Security-Token"], "temp-token");
    assert.match(
      ours.Authorization,
      /SignedHeaders=content-type;host;x-sdk-date;x-security-token,/,
    );
    assert.equal(
      ours.Authorization,
      oracle(url, "POST", { ...headers, "X-Security-Token": "temp-token" }, {}),
    );
  });

  it("signs what the simulator's own verifier accepts, and no changed body, date or key", () => {
    const request = {
      method: "POST",
      url: "http://127.0.0.1:9/v3/p/jobs/batch-status",
      headers: { "Content-Type": "application/json" },
      body: '{"jobs":["a"]}',
    };
    const added = signRequest(request, { accessKey: AK, secretKey: SK }, DATE);
    const headers = Object.fromEntries(
      Object.entries({ ...request.headers, ...added, host: "127.0.0.1:9" }).map(([k, v]) => [
        k.toLowerCase(),
        v,
      ]),
    );
    const received = { method: "POST", rawPath: "/v3/p/jobs/batch-status", rawQuery: "" };
    const verify = (changes: { body?: string; headers?: Record<string, string>; sk?: string }) =>
      verifyAksk(
        {
          ...received,
          headers: { ...headers, ...changes.headers },
          body: changes.body ?? request.body,
        },
        () => changes.sk ?? SK,
        DATE.getTime(),
      );
    assert.deepEqual(verify({}), { ok: true, accessKey: AK });
    assert.equal(verify({ body: '{"jobs":["b"]}' }).ok, false);
    assert.equal(verify({ headers: { "x-sdk-date": "20250304T050608Z" } }).ok, false);
    assert.equal(verify({ sk: `${SK}x` }).ok, false);
  });

  it("formats X-Sdk-Date", () => {
    assert.equal(formatSdkDate(DATE), "20250304T050607Z");
  });

  it("escapes path segments per RFC 3986 and always ends with a slash", () => {
    assert.equal(canonicalUri("/v3/a b/c~d"), "/v3/a%20b/c~d/");
    assert.equal(canonicalUri("/v3/a%20b"), "/v3/a%20b/");
  });
});
