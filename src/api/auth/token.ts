import { inspect } from "node:util";
import type { Secret } from "../secret";
import type { Authenticator } from "./authenticator";

export const AUTH_TOKEN_HEADER = "X-Auth-Token";

/** A ready IAM token (HW_AUTH_TOKEN). A 401 cannot be cured: we cannot get another one. */
export class StaticTokenAuthenticator implements Authenticator {
  readonly kind = "token";
  readonly #token: Secret;

  constructor(token: Secret) {
    this.#token = token;
  }

  async authorize(): Promise<Record<string, string>> {
    return { [AUTH_TOKEN_HEADER]: this.#token.reveal() };
  }

  credentialRejected(): boolean {
    return false;
  }

  [inspect.custom](): string {
    return "StaticTokenAuthenticator([redacted])";
  }
}
