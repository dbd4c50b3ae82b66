// The client's signer against Huawei's official AKSKSigner over random query strings: keys
// and values with reserved, percent, plus and non-ASCII characters, repeated keys, empty
// values, and keys whose order differs raw and escaped (`Z` < `[` but `%5B` < `Z`).
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { canonicalQuery, signRequest } from "../../../src/api/auth/signer";
import {
  encodeQuery,
  officialCanonicalQuery,
  officialSign,
  queryEncoding,
  queryPairs,
} from "../../support/signing";

const AK = "HPUAEXAMPLEACCESSKEY";
const SK = "eXaMpLeSeCrEtKeY0123456789abcdefghijklmn";
const DATE = new Date("2025-03-04T05:06:07.890Z");
const ENDPOINT = "https://drs.cn-north-4.myhuaweicloud.com/v3/p/jobs";
const HEADERS = { "Content-Type": "application/json" };

describe("api/auth/signer: query strings against the official signer", () => {
  it("sorts keys as sent, not as escaped: Z=1&[=2 is Z=1&%5B=2", () => {
    const pairs: [string, string][] = [
      ["[", "2"],
      ["Z", "1"],
    ];
    assert.equal(officialCanonicalQuery(pairs), "Z=1&%5B=2");
    assert.equal(canonicalQuery(`?${encodeQuery(pairs, "uri")}`), "Z=1&%5B=2");
  });

  it("builds the official canonical query string for any query", () => {
    fc.assert(
      fc.property(queryPairs, queryEncoding, (pairs, encoding) => {
        const search = encodeQuery(pairs, encoding);
        assert.equal(canonicalQuery(search ? `?${search}` : ""), officialCanonicalQuery(pairs));
      }),
      { numRuns: 1000 },
    );
  });

  it("signs any query exactly as the official signer", () => {
    fc.assert(
      fc.property(queryPairs, queryEncoding, (pairs, encoding) => {
        const search = encodeQuery(pairs, encoding);
        const ours = signRequest(
          {
            method: "GET",
            url: search ? `${ENDPOINT}?${search}` : ENDPOINT,
            headers: HEADERS,
            body: "",
          },
          { accessKey: AK, secretKey: SK },
          DATE,
        );
        const official = officialSign(
          { endpoint: ENDPOINT, method: "GET", headers: HEADERS, query: pairs },
          { accessKey: AK, secretKey: SK },
          DATE,
        );
        assert.equal(ours.Authorization, official.Authorization);
      }),
      { numRuns: 300 },
    );
  });
});
