// The simulator's AK/SK verifier against Huawei's official AKSKSigner over random query
// strings, through HTTP: what the official SDK signs is accepted, and a query changed after
// signing is refused.
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { startSimulator, type Simulator } from "../../src/sim";
import { canonicalQuery } from "../../src/sim/aksk";
import {
  encodeQuery,
  officialCanonicalQuery,
  officialSign,
  queryEncoding,
  queryPairs,
  type QueryEncoding,
  type QueryPairs,
} from "../support/signing";
import { JOB_A, PROJECT_ID, rawCall } from "./helpers";

const AK = "HPUAEXAMPLEACCESSKEY1";
const SK = "exampleSecretKeyOfTwentyCharactersPlus";
const BODY = { jobs: [JOB_A] };

type Tamper = "add" | "change" | "drop";

/** The pairs after a change that alters what was signed. */
function tampered(pairs: QueryPairs, how: Tamper): QueryPairs {
  if (how === "add" || pairs.length === 0) return [...pairs, ["tampered", "1"]];
  if (how === "drop") return pairs.slice(1);
  const [[key, value], ...rest] = pairs;
  return [[key, `${value}x`], ...rest];
}

describe("sim: AK/SK verification of query strings against the official signer", () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({
      scenario: {
        projectId: PROJECT_ID,
        auth: { keys: [{ accessKey: AK, secretKey: SK }] },
        jobs: [{ id: JOB_A, status: "INCRE_TRANSFER_STARTED" }],
      },
    });
  });
  after(() => sim.stop());

  /** Signs `signed` with the official signer and sends `sent` (the same unless tampering). */
  async function send(signed: QueryPairs, sent: QueryPairs, encoding: QueryEncoding) {
    const headers = officialSign(
      {
        endpoint: sim.batchStatusUrl,
        method: "POST",
        headers: { "content-type": "application/json" },
        data: BODY,
        query: signed,
      },
      { accessKey: AK, secretKey: SK },
    );
    const search = encodeQuery(sent, encoding);
    return rawCall(search ? `${sim.batchStatusUrl}?${search}` : sim.batchStatusUrl, {
      headers,
      body: JSON.stringify(BODY),
    });
  }

  it("canonicalises Z=1&[=2 in the order sent keys sort, as the official signer", () => {
    assert.equal(canonicalQuery("%5B=2&Z=1"), "Z=1&%5B=2");
    assert.equal(canonicalQuery("a=%5B&a=Z"), "a=Z&a=%5B");
  });

  it("builds the official canonical query string for any query", () => {
    fc.assert(
      fc.property(queryPairs, queryEncoding, (pairs, encoding) => {
        assert.equal(canonicalQuery(encodeQuery(pairs, encoding)), officialCanonicalQuery(pairs));
      }),
      { numRuns: 1000 },
    );
  });

  it("accepts any query the official signer signed", async () => {
    await fc.assert(
      fc.asyncProperty(queryPairs, queryEncoding, async (pairs, encoding) => {
        const answer = await send(pairs, pairs, encoding);
        assert.equal(answer.status, 200, answer.text);
      }),
      { numRuns: 100 },
    );
  });

  it("refuses a query changed after signing", async () => {
    const tamper = fc.constantFrom<Tamper>("add", "change", "drop");
    await fc.assert(
      fc.asyncProperty(queryPairs, queryEncoding, tamper, async (pairs, encoding, how) => {
        const answer = await send(pairs, tampered(pairs, how), encoding);
        assert.equal(answer.status, 401, answer.text);
        assert.equal(JSON.parse(answer.text).error_code, "APIG.0301");
      }),
      { numRuns: 100 },
    );
  });
});
