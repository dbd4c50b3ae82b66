// What keeps a web page out of the admin API. A page the developer has open can POST to
// localhost without a CORS preflight when the body is text/plain or a form, and through DNS
// rebinding (a hostile name re-resolved to 127.0.0.1) it can even read the answers. So the
// admin API answers only requests addressed to a loopback name, from no origin or a loopback
// one, and only JSON bodies, which a page cannot send cross-origin without a preflight that
// the simulator never grants. The DRS routes are not guarded: SDKs send the real Host.
import type { IncomingMessage } from "node:http";
import { isIPv4 } from "node:net";

export interface Refusal {
  status: 403 | 415;
  message: string;
}

const LOOPBACK_NAMES = "localhost, 127.x.x.x or [::1]";

/** localhost, 127.0.0.0/8 or [::1], as a URL's hostname spells them. */
export function isLoopbackHostname(hostname: string): boolean {
  const name = hostname.toLowerCase();
  return name === "localhost" || name === "[::1]" || (isIPv4(name) && name.startsWith("127."));
}

/** A Host header value, `name` or `name:port`, naming a loopback host. */
function isLoopbackHostHeader(value: string): boolean {
  const match = /^(\[[0-9a-f:.]+\]|[^[\]:]+)(?::\d{1,5})?$/i.exec(value);
  return match !== null && isLoopbackHostname(match[1]);
}

function isLoopbackOrigin(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false; // "null" (sandboxed frames, file: pages) and garbage
  }
  return (
    (url.protocol === "http:" || url.protocol === "https:") && isLoopbackHostname(url.hostname)
  );
}

function isJson(contentType: string | undefined): boolean {
  return contentType?.split(";")[0].trim().toLowerCase() === "application/json";
}

/** Why the request may not use the admin API, or undefined when it may. */
export function refuseAdmin(req: IncomingMessage): Refusal | undefined {
  const host = req.headers.host ?? "";
  if (!isLoopbackHostHeader(host)) {
    return {
      status: 403,
      message: `the admin API answers only requests addressed to ${LOOPBACK_NAMES} (Host: ${JSON.stringify(host)})`,
    };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !isLoopbackOrigin(origin)) {
    return {
      status: 403,
      message: `the admin API refuses requests from another site (Origin: ${JSON.stringify(origin)})`,
    };
  }
  if ((req.method === "POST" || req.method === "PUT") && !isJson(req.headers["content-type"])) {
    return {
      status: 415,
      message: "admin requests with a body must be Content-Type: application/json",
    };
  }
  return undefined;
}
