// Verifies Huawei's SDK-HMAC-SHA256 signatures (what the SDKs send instead of a token).
// Written from Huawei's description of the algorithm rather than borrowed from the client, so
// a signer bug on the client side cannot be mirrored here and pass unnoticed; tests prove it against the official
// AKSKSigner of @huaweicloud/huaweicloud-sdk-core.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export const ALGORITHM = "SDK-HMAC-SHA256";
/** Headers a signature must cover, so a replay cannot retarget or re-date the request. */
export const REQUIRED_SIGNED_HEADERS = ["host", "x-sdk-date"] as const;
export const MAX_SKEW_MS = 15 * 60 * 1000;
const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

/** RFC 3986: everything but unreserved characters is %XX-escaped (upper-case hex). */
export function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The path with each segment re-escaped and a trailing slash always present. */
export function canonicalUri(rawPath: string): string {
  const path = rawPath
    .split("/")
    .map((segment) => rfc3986(safeDecode(segment)))
    .join("/");
  return path.endsWith("/") ? path : `${path}/`;
}

export function canonicalQuery(rawQuery: string): string {
  const pairs = [...new URLSearchParams(rawQuery)].map(([k, v]) => [rfc3986(k), rfc3986(v)]);
  pairs.sort(([ka, va], [kb, vb]) => (ka === kb ? cmp(va, vb) : cmp(ka, kb)));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface SignableRequest {
  method: string;
  /** The path as sent, before `?`. */
  rawPath: string;
  rawQuery: string;
  /** Lower-case names, as node:http presents them. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer | string;
}

export function canonicalRequest(req: SignableRequest, signedHeaders: string[]): string {
  const headerLines = signedHeaders
    .map((name) => {
      const value = req.headers[name];
      const text = Array.isArray(value) ? value.join(",") : (value ?? "");
      return `${name}:${text.trim()}\n`;
    })
    .join("");
  const declared = req.headers["x-sdk-content-sha256"];
  const payloadHash = declared === UNSIGNED_PAYLOAD ? UNSIGNED_PAYLOAD : sha256Hex(req.body);
  return [
    req.method.toUpperCase(),
    canonicalUri(req.rawPath),
    canonicalQuery(req.rawQuery),
    headerLines,
    signedHeaders.join(";"),
    payloadHash,
  ].join("\n");
}

export function stringToSign(sdkDate: string, canonical: string): string {
  return `${ALGORITHM}\n${sdkDate}\n${sha256Hex(canonical)}`;
}

export function signature(secretKey: string, toSign: string): string {
  return createHmac("sha256", secretKey).update(toSign).digest("hex");
}

function sha256Hex(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

export interface ParsedAuthorization {
  accessKey: string;
  signedHeaders: string[];
  signature: string;
}

/** Reads `SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex`; undefined if not that. */
export function parseAuthorization(header: string): ParsedAuthorization | undefined {
  const match = /^SDK-HMAC-SHA256\s+(.*)$/s.exec(header.trim());
  if (!match) return undefined;
  const fields = new Map<string, string>();
  for (const part of match[1].split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const accessKey = fields.get("Access");
  const signedHeaders = fields.get("SignedHeaders");
  const sig = fields.get("Signature");
  if (!accessKey || !signedHeaders || !sig) return undefined;
  return { accessKey, signedHeaders: signedHeaders.split(";"), signature: sig };
}

/** `YYYYMMDDTHHMMSSZ` to epoch ms, or undefined when it is not that. */
export function parseSdkDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  return Number.isNaN(ms) ? undefined : ms;
}

export type AkskVerdict =
  | { ok: true; accessKey: string }
  | {
      ok: false;
      reason: "malformed" | "unknown-key" | "unsigned-header" | "bad-date" | "expired" | "mismatch";
      detail: string;
      accessKey?: string;
    };

export function verifyAksk(
  req: SignableRequest,
  secretKeyOf: (accessKey: string) => string | undefined,
  nowMs: number,
): AkskVerdict {
  const header = req.headers["authorization"];
  const parsed = typeof header === "string" ? parseAuthorization(header) : undefined;
  if (!parsed) return { ok: false, reason: "malformed", detail: "Authorization header malformed" };
  const { accessKey } = parsed;
  const secretKey = secretKeyOf(accessKey);
  if (secretKey === undefined) {
    return { ok: false, reason: "unknown-key", detail: "access key not found", accessKey };
  }
  const sorted = [...parsed.signedHeaders].sort();
  const names = parsed.signedHeaders;
  if (names.some((name, i) => name !== name.toLowerCase() || name !== sorted[i])) {
    return {
      ok: false,
      reason: "malformed",
      detail: "SignedHeaders must be sorted lower-case names",
      accessKey,
    };
  }
  const missing = REQUIRED_SIGNED_HEADERS.filter((name) => !names.includes(name));
  if (missing.length > 0) {
    return {
      ok: false,
      reason: "unsigned-header",
      detail: `header ${missing.join(", ")} must be signed`,
      accessKey,
    };
  }
  const sdkDate = String(req.headers["x-sdk-date"] ?? "");
  const signedAt = parseSdkDate(sdkDate);
  if (signedAt === undefined) {
    return {
      ok: false,
      reason: "bad-date",
      detail: "X-Sdk-Date must be YYYYMMDDTHHMMSSZ",
      accessKey,
    };
  }
  if (Math.abs(nowMs - signedAt) > MAX_SKEW_MS) {
    return {
      ok: false,
      reason: "expired",
      detail: "signature expired (X-Sdk-Date more than 15 minutes off)",
      accessKey,
    };
  }
  const expected = signature(secretKey, stringToSign(sdkDate, canonicalRequest(req, names)));
  const given = Buffer.from(parsed.signature);
  const wanted = Buffer.from(expected);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    return { ok: false, reason: "mismatch", detail: "verify aksk signature fail", accessKey };
  }
  return { ok: true, accessKey };
}
