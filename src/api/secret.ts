import { inspect } from "node:util";

const REDACTED = "[redacted]";

/**
 * Holds a credential so that it cannot leak by accident: `util.inspect`, `JSON.stringify`,
 * template strings and `console.log` all show `[redacted]`. Only `reveal()` gives the value,
 * so every place that puts a secret on the wire is easy to find.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

/**
 * Replaces every occurrence of the given secrets in `text`. Used on anything the service sent
 * back (error bodies, proxies that echo requests) before it reaches a message or a log.
 */
export function redactSecrets(text: string, secrets: readonly (Secret | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    const value = secret?.reveal();
    // Very short values would redact ordinary words; real credentials are long.
    if (value && value.length >= 6) out = out.split(value).join(REDACTED);
  }
  return out;
}
