import { inspect } from "node:util";
import type { Secret } from "../secret";
import type { Authenticator } from "./authenticator";
import { signRequest, type SignableRequest } from "./signer";

export interface AkSkAuthenticatorOptions {
  accessKey: string;
  secretKey: Secret;
  securityToken?: Secret;
  projectId: string;
  /** For tests: the signing clock. */
  now?: () => Date;
}

/**
 * AK/SK: each attempt is signed with the current time. A 401 means the key or signature is
 * wrong, which signing again will not change, so it is never retried.
 */
export class AkSkAuthenticator implements Authenticator {
  readonly kind = "aksk";
  readonly #options: AkSkAuthenticatorOptions;

  constructor(options: AkSkAuthenticatorOptions) {
    this.#options = options;
  }

  async authorize(request: SignableRequest): Promise<Record<string, string>> {
    const { accessKey, secretKey, securityToken, projectId, now } = this.#options;
    // The SDKs send (and sign) the project id as a header for project-scoped AK/SK calls.
    const headers = { ...request.headers, "X-Project-Id": projectId };
    const signed = signRequest(
      { ...request, headers },
      { accessKey, secretKey: secretKey.reveal(), securityToken: securityToken?.reveal() },
      now?.() ?? new Date(),
    );
    return { "X-Project-Id": projectId, ...signed };
  }

  credentialRejected(): boolean {
    return false;
  }

  [inspect.custom](): string {
    return `AkSkAuthenticator(AK ${this.#options.accessKey.slice(0, 4)}…)`;
  }
}
