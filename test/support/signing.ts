// Random query strings and Huawei's official AKSKSigner as the oracle, shared by the property
// tests of the client's signer and of the simulator's verifier.
import { AKSKSigner } from "@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner";
import fc from "fast-check";
import sinon from "sinon";

/** Characters that escape, sort or parse surprisingly: reserved, `+`, `%`, non-ASCII, astral. */
const AWKWARD = [..."Za0[]~-._!*'()%+&=#?/:@,;$ \tüé迁😀"];

/** Short, drawn mostly from a small pool so that keys repeat and sort against each other. */
const text = fc.oneof(
  fc.string({ unit: fc.constantFrom(...AWKWARD), maxLength: 4 }),
  fc.string({ unit: "binary", maxLength: 4 }),
  fc.constantFrom("", "a", "Z", "[", "A", "_", "~"),
);

/** Query parameters in the order they are sent; keys repeat, values may be empty. */
export type QueryPairs = [key: string, value: string][];

export const queryPairs: fc.Arbitrary<QueryPairs> = fc.array(fc.tuple(text, text), {
  maxLength: 8,
});

/**
 * How clients put pairs on the wire: form encoding (`+` for space, as URLSearchParams), RFC 3986
 * escapes, or those with a bare `key` for an empty value.
 */
export type QueryEncoding = "form" | "uri" | "bare";
export const queryEncoding: fc.Arbitrary<QueryEncoding> = fc.constantFrom("form", "uri", "bare");

export function encodeQuery(pairs: QueryPairs, encoding: QueryEncoding): string {
  if (encoding === "form") return new URLSearchParams(pairs).toString();
  return pairs
    .map(([k, v]) =>
      // An empty key needs its `=`: a bare empty segment is no parameter at all.
      encoding === "bare" && v === "" && k !== ""
        ? encodeURIComponent(k)
        : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`,
    )
    .join("&");
}

/** The pairs as the official signer takes them: one entry per key, an array when repeated. */
export function officialQueryParams(pairs: QueryPairs): Record<string, string | string[]> {
  const byKey = new Map<string, string[]>();
  for (const [k, v] of pairs) byKey.set(k, [...(byKey.get(k) ?? []), v]);
  return Object.fromEntries([...byKey].map(([k, vs]) => [k, vs.length === 1 ? vs[0] : vs]));
}

/** The official canonical query string. */
export function officialCanonicalQuery(pairs: QueryPairs): string {
  return (
    AKSKSigner as unknown as { CanonicalQueryString(r: { queryParams: object }): string }
  ).CanonicalQueryString({ queryParams: officialQueryParams(pairs) });
}

export interface OfficialRequest {
  /** Without a query. */
  endpoint: string;
  method: string;
  headers: Record<string, string>;
  data?: object;
  query?: QueryPairs;
}

/**
 * The headers the official signer adds (X-Sdk-Date, host, Authorization, and the given ones).
 * With `at`, the clock is frozen there: the SDK reads the date from Date.now.
 */
export function officialSign(
  request: OfficialRequest,
  credentials: { accessKey: string; secretKey: string },
  at?: Date,
): Record<string, string> {
  const clock = at ? sinon.useFakeTimers({ now: at, toFake: ["Date"] }) : undefined;
  try {
    const credential = { getAk: () => credentials.accessKey, getSk: () => credentials.secretKey };
    return AKSKSigner.sign(
      {
        endpoint: request.endpoint,
        method: request.method,
        headers: { ...request.headers },
        data: request.data,
        queryParams: request.query ? officialQueryParams(request.query) : undefined,
      },
      credential as never,
    ) as Record<string, string>;
  } finally {
    clock?.restore();
  }
}
