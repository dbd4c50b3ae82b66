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
    const value = longEnough(secret);
    if (value === undefined) continue;
    if (out.includes(value)) out = out.split(value).join(REDACTED);
    // As it appears inside a JSON string, for bodies that could not be parsed and are quoted raw.
    const escaped = jsonEscaped(secret!, value);
    if (escaped !== value && out.includes(escaped)) out = out.split(escaped).join(REDACTED);
  }
  return out;
}

/** The value, unless it is too short to redact: short values would redact ordinary words. */
function longEnough(secret: Secret | undefined): string | undefined {
  const value = secret?.reveal();
  return value !== undefined && value.length >= 6 ? value : undefined;
}

const escapedSecrets = new WeakMap<Secret, string>();

/** `value` with `"`, `\` and control characters JSON-escaped; computed once per secret. */
function jsonEscaped(secret: Secret, value: string): string {
  let escaped = escapedSecrets.get(secret);
  if (escaped === undefined) {
    escaped = JSON.stringify(value).slice(1, -1);
    escapedSecrets.set(secret, escaped);
  }
  return escaped;
}

/**
 * `scheme://user:password@` in a URL, parseable or not. The user info runs to the LAST `@`
 * before whitespace: a password may hold `@`, `/` or `:` unescaped (`root:P@ssw0rd@host`,
 * `app:s3/cr3t@host`), and redacting a path's `@` too is the cheaper mistake.
 */
const URL_USER_INFO = /\b([a-z][a-z0-9+.-]{0,30}:\/\/)\S*@/gi;

/** A URL (or text holding one) with its user info replaced: for messages that echo a URL. */
export function redactUrlUserInfo(text: string): string {
  return text.replace(URL_USER_INFO, `$1${REDACTED}@`);
}

/**
 * `password=...`, `Pwd=...;`, `?token=...&`, `client_secret=...` in connection strings and
 * query strings: the value runs to `;`, `&`, a quote or whitespace.
 */
const CREDENTIAL_PARAMETER =
  /([\w.-]{0,40}(?:password|passwd|pwd|token|secret)[\w.-]{0,40}\s{0,3}=\s{0,3})[^;&\s"'<>]+/gi;

/**
 * Longer service text is cut (after secrets are redacted, at a word boundary so no half of a
 * URL or parameter is left to escape the patterns): no message needs more, and it keeps the
 * patterns above linear in what they scan.
 */
export const MAX_SERVICE_TEXT_CHARS = 8192;

// C0 and C1 control characters (ESC, BEL, CR, LF, ...), DEL, and the Unicode line and
// paragraph separators, which some terminals and log viewers break lines on.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

// Invisible characters that reorder or hide text: bidi embeddings, overrides and isolates
// (U+202A-202E, U+2066-2069), zero-width spaces, joiners and marks (U+200B-200F), the Arabic
// letter mark and the byte-order mark. Text that shows one thing and says another.
const INVISIBLE_CHARACTERS = /[\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** One cheap test for "anything above could apply"; most service text fails it. */
const NEEDS_CLEANING =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]|:\/\/|pass|pwd|token|secret/i;

/**
 * Anything the service says (error bodies, a job's error message, its status), made safe to
 * show: secrets it echoes are redacted, URL user info and credential parameters too, invisible
 * characters go, and control characters become a space, so that no answer can forge a line,
 * move the cursor or reorder what a terminal or a log shows. Apply it to PARSED strings: in
 * raw JSON an ESC is still the six characters `\u001b` and a secret holding `"` is escaped.
 *
 * Text with nothing to clean (nearly every status and message) is returned as it is, without
 * allocating: this runs on every field of every result.
 */
export function cleanServiceText(text: string, secrets: readonly (Secret | undefined)[]): string {
  if (!NEEDS_CLEANING.test(text) && !holdsSecret(text, secrets)) return text;
  const visible = cut(redactSecrets(text, secrets))
    .replace(INVISIBLE_CHARACTERS, "")
    .replace(CONTROL_CHARACTERS, " ");
  return redactUrlUserInfo(visible).replace(CREDENTIAL_PARAMETER, `$1${REDACTED}`);
}

function cut(text: string): string {
  if (text.length <= MAX_SERVICE_TEXT_CHARS) return text;
  const head = text.slice(0, MAX_SERVICE_TEXT_CHARS);
  // Drop the last, possibly partial, word: it could be the front half of a URL's user info.
  const lastSpace = head.search(/\s\S*$/);
  return `${lastSpace > 0 ? head.slice(0, lastSpace) : ""} …[cut: ${text.length} characters]`;
}

function holdsSecret(text: string, secrets: readonly (Secret | undefined)[]): boolean {
  for (const secret of secrets) {
    const value = longEnough(secret);
    if (value !== undefined && (text.includes(value) || text.includes(jsonEscaped(secret!, value))))
      return true;
  }
  return false;
}

/**
 * A JSON value with every string in it (keys too) cleaned, for quoting an answer whose shape
 * we do not know: cleaned after parsing, then written back as JSON.
 */
export function cleanJsonValue(value: unknown, secrets: readonly (Secret | undefined)[]): unknown {
  if (typeof value === "string") return cleanServiceText(value, secrets);
  if (Array.isArray(value)) return value.map((item) => cleanJsonValue(item, secrets));
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      cleanServiceText(key, secrets),
      cleanJsonValue(item, secrets),
    ]),
  );
}
