// IAM user/password: exchanged for a token at POST {IAM}/v3/auth/tokens, cached until shortly
// before it expires, one exchange in flight shared by every caller, and refreshed once when
// DRS says the token was rejected (tokens can be revoked early).
import { inspect } from "node:util";
import type { AxiosInstance } from "axios";
import { DrsApiError } from "../errors";
import { credentialsResponseError, send } from "../http";
import { withRetries, type RetryOptions } from "../retry";
import { Secret } from "../secret";
import { IAM_TOKENS_PATH, SUBJECT_TOKEN_HEADER } from "../wire";
import type { Authenticator } from "./authenticator";
import { abortable } from "./keys";
import { AUTH_TOKEN_HEADER } from "./token";

/** Refresh this long before `expires_at`, so a token never expires mid-poll. */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;
/** When IAM gives no usable expiry, trust a token this long. */
const FALLBACK_LIFETIME_MS = 60 * 60_000;

export interface IamPasswordOptions {
  iamEndpoint: string;
  userName: string;
  password: Secret;
  domainName: string;
  /** Scope: the project id when known, else the project named after the region. */
  projectId?: string;
  region?: string;
  http: AxiosInstance;
  retry: RetryOptions;
  timeoutMs: number;
  now?: () => number;
}

/** The body IAM expects for a password exchange. */
export function passwordAuthBody(
  options: Pick<IamPasswordOptions, "userName" | "domainName" | "projectId" | "region">,
  password: string,
): object {
  const project = options.projectId ? { id: options.projectId } : { name: options.region };
  return {
    auth: {
      identity: {
        methods: ["password"],
        password: {
          user: { name: options.userName, password, domain: { name: options.domainName } },
        },
      },
      scope: { project },
    },
  };
}

interface CachedToken {
  token: Secret;
  refreshAt: number;
  /** As IAM said, when it did. */
  expiresAt?: number;
}

export class IamPasswordAuthenticator implements Authenticator {
  readonly kind = "password";
  readonly #options: IamPasswordOptions;
  #cached?: CachedToken;
  #inFlight?: Promise<CachedToken>;
  /** How many exchanges were made; for diagnostics and tests. */
  exchanges = 0;

  constructor(options: IamPasswordOptions) {
    this.#options = options;
  }

  async authorize(_request: unknown, signal?: AbortSignal): Promise<Record<string, string>> {
    const now = this.#options.now?.() ?? Date.now();
    let cached = this.#cached;
    if (!cached || now >= cached.refreshAt) {
      // The shared exchange ignores any one caller's signal; each caller stops waiting alone.
      this.#inFlight ??= this.#exchange().finally(() => (this.#inFlight = undefined));
      cached = await abortable(this.#inFlight, signal);
    }
    return { [AUTH_TOKEN_HEADER]: cached.token.reveal() };
  }

  credentialRejected(headers: Readonly<Record<string, string>>): boolean {
    // Only forget the token that was rejected: concurrent 401s then share one new exchange.
    if (this.#cached && this.#cached.token.reveal() === headers[AUTH_TOKEN_HEADER]) {
      this.#cached = undefined;
    }
    return true;
  }

  async #exchange(): Promise<CachedToken> {
    const o = this.#options;
    const secrets = [o.password];
    const operation = "IAM token request";
    const cached = await withRetries(async () => {
      this.exchanges += 1;
      const response = await send(
        o.http,
        {
          method: "POST",
          url: `${o.iamEndpoint}${IAM_TOKENS_PATH}`,
          headers: { "Content-Type": "application/json;charset=utf8" },
          body: JSON.stringify(passwordAuthBody(o, o.password.reveal())),
        },
        { operation, timeoutMs: o.timeoutMs, secrets },
      );
      if (response.status < 200 || response.status >= 300) {
        throw credentialsResponseError(
          response,
          operation,
          secrets,
          "Check HW_USER_NAME, HW_USER_PASSWORD, HW_DOMAIN_NAME (the account name) and that the user may access the project.",
        );
      }
      const token = response.headers[SUBJECT_TOKEN_HEADER];
      if (!token) {
        throw new DrsApiError({
          operation,
          httpStatus: response.status,
          requestId: response.requestId,
          serviceMessage: `IAM answered without an ${SUBJECT_TOKEN_HEADER} header`,
          retryable: false,
          hint: "Check HW_AUTH_URL points at IAM.",
        });
      }
      return { token: new Secret(token), ...this.#expiry(response.body) };
    }, o.retry);
    this.#cached = cached;
    return cached;
  }

  /** When the token in use expires, as IAM said; for `drs-jobs auth`. */
  get tokenExpiresAt(): number | undefined {
    return this.#cached?.expiresAt;
  }

  #expiry(body: string): { refreshAt: number; expiresAt?: number } {
    const now = this.#options.now?.() ?? Date.now();
    let expiresAt = Number.NaN;
    try {
      const parsed = JSON.parse(body) as { token?: { expires_at?: unknown } };
      if (typeof parsed.token?.expires_at === "string")
        expiresAt = Date.parse(parsed.token.expires_at);
    } catch {
      // An unreadable body still came with a token; use the fallback lifetime.
    }
    if (Number.isNaN(expiresAt)) return { refreshAt: now + FALLBACK_LIFETIME_MS };
    // Short-lived tokens: refresh halfway rather than immediately.
    const refreshAt = Math.max(expiresAt - TOKEN_REFRESH_MARGIN_MS, now + (expiresAt - now) / 2);
    return { refreshAt, expiresAt };
  }

  [inspect.custom](): string {
    return `IamPasswordAuthenticator(${this.#options.userName}@${this.#options.domainName})`;
  }
}
