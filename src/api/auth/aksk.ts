import { inspect } from "node:util";
import type { Secret } from "../secret";
import type { Authenticator, RejectedAnswer } from "./authenticator";
import { StaticKeys, type KeySource } from "./keys";
import { signRequest, type SignableRequest } from "./signer";

export type AkSkAuthenticatorOptions = (
  { keys: KeySource } | { accessKey: string; secretKey: Secret; securityToken?: Secret }
) & {
  /** Sent (and signed) as X-Project-Id; none for calls outside a project (IAM). */
  projectId?: string;
  /** For tests: the signing clock. */
  now?: () => Date;
};

/**
 * AK/SK: each attempt is signed with the current time and the current keys. A 401 is cured
 * only when the keys are temporary and the service says they expired: then fetch new ones once.
 */
export class AkSkAuthenticator implements Authenticator {
  readonly kind = "aksk";
  readonly #keys: KeySource;
  readonly #projectId?: string;
  readonly #now?: () => Date;

  constructor(options: AkSkAuthenticatorOptions) {
    this.#keys =
      "keys" in options
        ? options.keys
        : new StaticKeys({
            accessKey: options.accessKey,
            secretKey: options.secretKey,
            securityToken: options.securityToken,
          });
    this.#projectId = options.projectId;
    this.#now = options.now;
  }

  async authorize(request: SignableRequest, signal?: AbortSignal): Promise<Record<string, string>> {
    const keys = await this.#keys.keys(signal);
    // The SDKs send (and sign) the project id as a header for project-scoped AK/SK calls.
    const project: Record<string, string> = this.#projectId
      ? { "X-Project-Id": this.#projectId }
      : {};
    const signed = signRequest(
      { ...request, headers: { ...request.headers, ...project } },
      {
        accessKey: keys.accessKey,
        secretKey: keys.secretKey.reveal(),
        securityToken: keys.securityToken?.reveal(),
      },
      this.#now?.() ?? new Date(),
    );
    return { ...project, ...signed };
  }

  credentialRejected(headers: Readonly<Record<string, string>>, answer?: RejectedAnswer): boolean {
    if (!this.#keys.temporary || !answer || !saysKeyExpired(answer.body)) return false;
    const accessKey = accessKeyOf(headers.Authorization);
    if (accessKey !== undefined) this.#keys.expired(accessKey);
    return true;
  }

  secrets(): Secret[] {
    return this.#keys.secrets();
  }

  [inspect.custom](): string {
    return `AkSkAuthenticator(${this.#keys.temporary ? "temporary keys" : "static keys"})`;
  }
}

/**
 * The gateway's word that a temporary key or its security token expired. APIG.0303 is a clock
 * more than 15 minutes off: new keys would not cure that.
 */
export function saysKeyExpired(body: string): boolean {
  return /expire/i.test(body) && !body.includes("APIG.0303");
}

/** The key a request was signed with, from its `SDK-HMAC-SHA256 Access=AK, ...` header. */
function accessKeyOf(authorization: string | undefined): string | undefined {
  return authorization === undefined ? undefined : /\bAccess=([^,\s]+)/.exec(authorization)?.[1];
}
