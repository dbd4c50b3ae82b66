// Base URLs: the regional defaults and the one check every configured URL goes through.
import { redactUrlUserInfo } from "./secret";
import type { InputProblem } from "../util/input-error";

/** Regions whose endpoints live under a different domain. */
const REGION_DOMAINS: Readonly<Record<string, string>> = { "eu-west-101": "myhuaweicloud.eu" };

/** IAM's global endpoint, what the official SDKs use when no region is known. */
export const GLOBAL_IAM_ENDPOINT = "https://iam.myhuaweicloud.com";

export function regionEndpoint(service: "drs" | "iam", region: string): string {
  return `https://${service}.${region}.${REGION_DOMAINS[region] ?? "myhuaweicloud.com"}`;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * https everywhere; plain http only to this machine (the simulator, tests), or to the hosts
 * in `plainHttpHosts` (the ECS metadata service, which only speaks http).
 */
export function checkBaseUrl(
  text: string,
  what: string,
  problems: InputProblem[],
  plainHttpHosts: readonly string[] = [],
): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    problems.push({
      field: what,
      reason: `${what} "${redactUrlUserInfo(text)}" is not a URL; use e.g. https://drs.cn-north-4.myhuaweicloud.com`,
    });
    return undefined;
  }
  if (url.username || url.password || url.search || url.hash) {
    problems.push({
      field: what,
      reason: `${what} must not carry user info, a query or a fragment`,
    });
    return undefined;
  }
  if (
    url.protocol === "http:" &&
    !LOOPBACK.test(url.hostname) &&
    !plainHttpHosts.includes(url.hostname)
  ) {
    problems.push({
      field: what,
      reason: `${what} ${url.origin} must use https (plain http is allowed only for loopback hosts)`,
    });
    return undefined;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    problems.push({ field: what, reason: `${what} must be an https:// URL` });
    return undefined;
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}
