// Huawei Cloud SDK-HMAC-SHA256 request signing (AK/SK), as the official SDKs do it. Pure
// functions, and the client side only: the simulator verifies with its own code (sim/aksk.ts),
// and both are tested against the official signer, so neither can hide a bug in the other.
import { createHash, createHmac } from "node:crypto";

export const SIGNING_ALGORITHM = "SDK-HMAC-SHA256";
export const SDK_DATE_HEADER = "X-Sdk-Date";
export const SECURITY_TOKEN_HEADER = "X-Security-Token";

export interface SignableRequest {
  method: string;
  /** Absolute URL, including any query. */
  url: string;
  /** The headers to sign (host and X-Sdk-Date are added). */
  headers: Readonly<Record<string, string>>;
  /** The exact body bytes that will be sent, "" when none. */
  body: string;
}

export interface AkSkCredentials {
  accessKey: string;
  secretKey: string;
  /** Temporary keys only. */
  securityToken?: string;
}

/** `YYYYMMDDTHHMMSSZ` in UTC. */
export function formatSdkDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/** RFC 3986: everything but A-Z a-z 0-9 - _ . ~ is percent-encoded (UTF-8). */
export function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function hex256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * Path segments decoded then RFC 3986-escaped, trailing `/` always added. Decoding first means
 * `%20` in the URL signs as `%20`, as the Go SDK and the gateway see it (the Node SDK core would
 * sign it as `%2520`; the two agree on every path without percent-escapes).
 */
export function canonicalUri(pathname: string): string {
  const path = pathname
    .split("/")
    .map((segment) => rfc3986(safeDecode(segment)))
    .join("/");
  return path.endsWith("/") ? path : `${path}/`;
}

/**
 * Keys sorted, then values of a repeated key sorted, both as sent (UTF-16 code units, like the
 * official SDK's `sort()`), and only then escaped: `Z=1&%5B=2`, not `%5B=2&Z=1`.
 */
export function canonicalQuery(search: string): string {
  const byKey = new Map<string, string[]>();
  for (const [key, value] of new URLSearchParams(search)) {
    const values = byKey.get(key) ?? [];
    values.push(value);
    byKey.set(key, values);
  }
  return [...byKey.keys()]
    .sort()
    .flatMap((key) =>
      byKey
        .get(key)!
        .sort()
        .map((value) => `${rfc3986(key)}=${rfc3986(value)}`),
    )
    .join("&");
}

/** Lower-cased header map; later duplicates (by case) win. */
function lowerHeaders(headers: Readonly<Record<string, string>>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(headers))
    out.set(name.toLowerCase(), String(value).trim());
  return out;
}

/**
 * The canonical request. `headers` must contain every name in `signedHeaders` (host included);
 * names are matched case-insensitively.
 */
export function canonicalRequest(
  request: SignableRequest,
  signedHeaders: readonly string[],
): string {
  const url = new URL(request.url);
  const headers = lowerHeaders(request.headers);
  const names = [...new Set(signedHeaders.map((n) => n.toLowerCase()))].sort();
  const canonicalHeaders = names.map((name) => `${name}:${headers.get(name) ?? ""}\n`).join("");
  return [
    request.method.toUpperCase(),
    canonicalUri(url.pathname),
    canonicalQuery(url.search),
    canonicalHeaders,
    names.join(";"),
    hex256(request.body),
  ].join("\n");
}

export function stringToSign(sdkDate: string, canonical: string): string {
  return `${SIGNING_ALGORITHM}\n${sdkDate}\n${hex256(canonical)}`;
}

/** hex(HMAC-SHA256(SK, string to sign)) for a request whose headers include host and X-Sdk-Date. */
export function computeSignature(
  request: SignableRequest,
  signedHeaders: readonly string[],
  secretKey: string,
): string {
  const sdkDate = lowerHeaders(request.headers).get("x-sdk-date") ?? "";
  return createHmac("sha256", secretKey)
    .update(stringToSign(sdkDate, canonicalRequest(request, signedHeaders)))
    .digest("hex");
}

/**
 * Signs `request`: returns the headers to add (X-Sdk-Date, Authorization and, for temporary
 * keys, X-Security-Token, which is signed too). Every header in `request.headers` plus host is
 * signed, so send exactly those.
 */
export function signRequest(
  request: SignableRequest,
  credentials: AkSkCredentials,
  date: Date = new Date(),
): Record<string, string> {
  const added: Record<string, string> = { [SDK_DATE_HEADER]: formatSdkDate(date) };
  if (credentials.securityToken) added[SECURITY_TOKEN_HEADER] = credentials.securityToken;
  const headers = { ...request.headers, ...added, host: new URL(request.url).host };
  const signedHeaders = [...new Set(Object.keys(headers).map((n) => n.toLowerCase()))].sort();
  const signature = computeSignature({ ...request, headers }, signedHeaders, credentials.secretKey);
  added.Authorization = `${SIGNING_ALGORITHM} Access=${credentials.accessKey}, SignedHeaders=${signedHeaders.join(";")}, Signature=${signature}`;
  return added;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
