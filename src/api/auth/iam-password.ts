// IAM user/password: exchanged for a token at POST {IAM}/v3/auth/tokens, cached until shortly
// before it expires, one exchange in flight shared by every caller, and refreshed once when
// DRS says the token was rejected (tokens can be revoked early).
import { inspect } from "node:util";
import type { Http } from "../http";
import { DrsApiError } from "../errors";
import { credentialsResponseError, send } from "../http";
import { withRetries, type RetryOptions } from "../retry";
import { Secret } from "../secret";
import { IAM_TOKENS_PATH, SUBJECT_TOKEN_HEADER } from "../wire";
import type { Authenticator } from "./authenticator";
import type { PasswordSettingNames } from "./credentials";
import { HW_NAMES } from "./sources/classic";
import { ExpiringCache, parseExpiry, type Expiring } from "./keys";
import { AUTH_TOKEN_HEADER } from "./token";

/** Refresh this long before `expires_at`, so a token never expires mid-poll. */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;

export interface IamPasswordOptions {
  iamEndpoint: string;
  userName: string;
  password: Secret;
  domainName: string;
  /** How the credentials' source names them, for the hints; the HW_* names by default. */
  names?: PasswordSettingNames;
  /** Scope: the project id when known, else the project named after the region. */
  projectId?: string;
  region?: string;
  http: Http;
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

export class IamPasswordAuthenticator implements Authenticator {
  readonly kind = "password";
  readonly #options: IamPasswordOptions;
  readonly #token: ExpiringCache<Secret>;
  /** How many exchanges were made (attempts included); for diagnostics and tests. */
  exchanges = 0;

  constructor(options: IamPasswordOptions) {
    this.#options = options;
    this.#token = new ExpiringCache(() => this.#exchange(), {
      marginMs: TOKEN_REFRESH_MARGIN_MS,
      now: options.now,
    });
  }

  async authorize(_request: unknown, signal?: AbortSignal): Promise<Record<string, string>> {
    const token = await this.#token.get(signal);
    return { [AUTH_TOKEN_HEADER]: token.reveal() };
  }

  credentialRejected(headers: Readonly<Record<string, string>>): boolean {
    // Only forget the token that was rejected: concurrent 401s then share one new exchange.
    this.#token.forget((token) => token.reveal() === headers[AUTH_TOKEN_HEADER]);
    return true;
  }

  async #exchange(): Promise<Expiring<Secret>> {
    const o = this.#options;
    const n = o.names ?? HW_NAMES;
    const secrets = [o.password];
    const operation = "IAM token request";
    return withRetries(async () => {
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
          `Check ${n.userName}, ${n.password}, ${n.domainName} (the account name) and that the user may access the project.`,
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
          hint: `Check ${n.iamEndpoint} points at IAM.`,
        });
      }
      return { value: new Secret(token), expiresAt: expiryOf(response.body) };
    }, o.retry);
  }

  /** When the token in use expires, as IAM said; for `drs-jobs auth`. */
  get tokenExpiresAt(): number | undefined {
    return this.#token.current?.expiresAt;
  }

  [inspect.custom](): string {
    return `IamPasswordAuthenticator(${this.#options.userName}@${this.#options.domainName})`;
  }
}

/** IAM's `token.expires_at`, as epoch ms; undefined when the body does not say. */
function expiryOf(body: string): number | undefined {
  try {
    const parsed = JSON.parse(body) as { token?: { expires_at?: unknown } };
    return parseExpiry(parsed.token?.expires_at);
  } catch {
    // An unreadable body still came with a token; the cache trusts it for an hour.
    return undefined;
  }
}
