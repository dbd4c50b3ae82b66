import type { Secret } from "../secret";
import type { SignableRequest } from "./signer";

/** What the service answered to a refused request. */
export interface RejectedAnswer {
  body: string;
}

/**
 * How a request gets its credentials. One implementation per auth mode; the client calls
 * `authorize` on every attempt (so AK/SK signatures carry a fresh date).
 */
export interface Authenticator {
  readonly kind: "token" | "password" | "aksk";
  /** The headers to add to `request` (which already has every other header it will carry). */
  authorize(request: SignableRequest, signal?: AbortSignal): Promise<Record<string, string>>;
  /**
   * DRS answered 401 to a request authorized with `headers`. Returns true when a fresh
   * credential may help (a cached IAM token that may have been revoked, temporary keys that
   * expired), so the caller retries once; false when asking again would only repeat the failure.
   */
  credentialRejected(headers: Readonly<Record<string, string>>, answer?: RejectedAnswer): boolean;
  /** Secrets obtained at run time (temporary keys), for redaction. */
  secrets?(): Secret[];
}
