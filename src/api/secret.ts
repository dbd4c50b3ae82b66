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

/** `scheme://user:password@` in a URL, parseable or not. */
const URL_USER_INFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi;

/** A URL (or text holding one) with its user info replaced: for messages that echo a URL. */
export function redactUrlUserInfo(text: string): string {
  return text.replace(URL_USER_INFO, `$1${REDACTED}@`);
}

// C0 and C1 control characters (ESC, BEL, CR, LF, ...) and DEL.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]+/g;

/**
 * Anything the service says (error bodies, a job's error message, its status), made safe to
 * show: secrets it echoes are redacted, URL user info too, and control characters become a
 * space, so that no answer can forge a line or move the cursor in a terminal or a log.
 */
export function cleanServiceText(text: string, secrets: readonly (Secret | undefined)[]): string {
  return redactUrlUserInfo(redactSecrets(text, secrets)).replace(CONTROL_CHARACTERS, " ");
}
