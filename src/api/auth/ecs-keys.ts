// ECS agency keys at run time, from the instance metadata service: a session token first
// (IMDSv2 style; older hosts have no token service and are asked without one), then the
// security key. Only ever used when the user opted in (see sources/ecs-metadata.ts).
import type { Http } from "../http";
import { DrsApiError } from "../errors";
import { responseError, send, type HttpResponse } from "../http";
import { withRetries, type RetryOptions } from "../retry";
import { Secret } from "../secret";
import { METADATA_TOKEN_PATH, SECURITY_KEY_PATH } from "../wire";
import { parseCredential } from "./federation-keys";
import type { AccessKeys } from "./keys";

/** As the official SDKs: the metadata service is on the host, or it is not there at all. */
export const METADATA_TIMEOUT_MS = 3_000;
/** Session tokens are asked for this long, and renewed 5 minutes before. */
export const SESSION_TOKEN_SECONDS = 21_600;
const NO_AGENCY = "Please configure Cloud Service Agency first";
const OPERATION = "ECS metadata security key request";

export interface EcsMetadataOptions {
  metadataEndpoint: string;
  http: Http;
  retry: RetryOptions;
  /** The configured request timeout (HW_DRS_REQUEST_TIMEOUT): it bounds these requests too. */
  requestTimeoutMs?: number;
  now?: () => number;
}

export class EcsMetadataKeys {
  /** null: this host has no token service; ask without one. */
  #session?: { token: Secret | null; renewAt: number };

  constructor(private readonly o: EcsMetadataOptions) {}

  /** The metadata service's own 3 s, or the configured request timeout when it is shorter. */
  get #timeoutMs(): number {
    return Math.min(METADATA_TIMEOUT_MS, this.o.requestTimeoutMs ?? METADATA_TIMEOUT_MS);
  }

  fetch(): Promise<AccessKeys> {
    return withRetries(async () => {
      let response = await this.#securityKey(false);
      if (response.status === 401 && !response.body.includes(NO_AGENCY)) {
        // A session token the service no longer takes: one new one, one more try.
        response = await this.#securityKey(true);
      }
      const secrets = this.#secrets();
      if (response.status === 401 && response.body.includes(NO_AGENCY)) {
        throw new DrsApiError({
          operation: OPERATION,
          httpStatus: 401,
          serviceMessage: "no agency is bound to this ECS instance",
          requestId: response.requestId,
          retryable: false,
          hint: "Bind an agency with DRS permissions to the instance (ECS console: the instance's Management Information, Agency), or use other credentials.",
        });
      }
      if (response.status < 200 || response.status >= 300)
        throw responseError(response, OPERATION, secrets);
      const keys = parseCredential(response.body);
      if (!keys) {
        throw new DrsApiError({
          operation: OPERATION,
          httpStatus: response.status,
          requestId: response.requestId,
          serviceMessage: "the answer has no credential.access/secret/securitytoken",
          retryable: false,
          hint: "Check HW_ECS_METADATA_ENDPOINT (if set) points at the ECS metadata service.",
        });
      }
      return keys;
    }, this.o.retry);
  }

  async #securityKey(renewSession: boolean): Promise<HttpResponse> {
    const session = await this.#sessionToken(renewSession);
    return send(
      this.o.http,
      {
        method: "GET",
        url: `${this.o.metadataEndpoint}${SECURITY_KEY_PATH}`,
        headers: session ? { "X-Metadata-Token": session.reveal() } : {},
        body: "",
      },
      { operation: OPERATION, timeoutMs: this.#timeoutMs, secrets: this.#secrets() },
    );
  }

  async #sessionToken(renew: boolean): Promise<Secret | null> {
    const now = this.o.now?.() ?? Date.now();
    if (!renew && this.#session && now < this.#session.renewAt) return this.#session.token;
    const operation = "ECS metadata session token request";
    const response = await send(
      this.o.http,
      {
        method: "PUT",
        url: `${this.o.metadataEndpoint}${METADATA_TOKEN_PATH}`,
        headers: { "X-Metadata-Token-Ttl-Seconds": String(SESSION_TOKEN_SECONDS) },
        body: "",
      },
      { operation, timeoutMs: this.#timeoutMs, secrets: this.#secrets() },
    );
    let token: Secret | null;
    if (response.status === 200 && response.body.trim() !== "")
      token = new Secret(response.body.trim());
    // No token service on this host (older images): ask for the key without one.
    else if ([404, 405, 503].includes(response.status) && !renew) token = null;
    else throw responseError(response, operation, this.#secrets());
    this.#session = { token, renewAt: now + (SESSION_TOKEN_SECONDS - 300) * 1000 };
    return token;
  }

  #secrets(): Secret[] {
    return this.#session?.token ? [this.#session.token] : [];
  }
}
