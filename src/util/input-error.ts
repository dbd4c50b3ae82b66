// The one error for input a caller got wrong: a setting, a wait option, a resource input, a
// command-line argument. Each problem names the field and says why, so every front end (the
// CLI's exit 2, Pulumi's `check` failures, a library caller's catch) reports it the same way.

export interface InputProblem {
  /** The input as the caller named it: `timeout`, `jobIds[3]`, `HW_DRS_ENDPOINT`, `--target`. */
  field: string;
  reason: string;
}

export class InputError extends Error {
  override readonly name: string = "InputError";
  readonly problems: readonly InputProblem[];
  /** What the problems are about, e.g. "DRS settings"; the message starts with it. */
  readonly heading?: string;

  constructor(problems: InputProblem | readonly InputProblem[], heading?: string) {
    const list = Array.isArray(problems) ? [...problems] : [problems as InputProblem];
    // A reason that already names its field (settings do: "HW_ACCESS_KEY is set without ...")
    // is not prefixed with it again.
    const lines = list.map((p) =>
      p.field && !p.reason.includes(p.field) ? `${p.field}: ${p.reason}` : p.reason,
    );
    super(
      heading === undefined
        ? lines.join("\n")
        : lines.length === 1
          ? `${heading}: ${lines[0]}`
          : `${heading}:\n${lines.map((line) => `  - ${line}`).join("\n")}`,
    );
    this.problems = list;
    this.heading = heading;
  }

  /** The first problem's field: what to fix first. */
  get field(): string {
    return this.problems[0]?.field ?? "";
  }

  get reason(): string {
    return this.problems[0]?.reason ?? "";
  }

  /** The same problems under other field names, e.g. `timeout` → `--timeout`. */
  renamed(rename: (field: string) => string): InputError {
    return new InputError(
      this.problems.map((p) => ({ field: rename(p.field), reason: p.reason })),
      this.heading,
    );
  }
}

/**
 * The problems of several checks, collected so that one error names every bad field: the wait's
 * options, a resource's inputs, the credential sources, the simulator's scenario.
 */
export class Problems {
  readonly list: InputProblem[] = [];

  add(field: string, reason: string): void {
    this.list.push({ field, reason });
  }

  /** Runs `check`: its value, or undefined with the problems of the InputError it threw. */
  attempt<T>(check: () => T): T | undefined {
    try {
      return check();
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      this.list.push(...err.problems);
      return undefined;
    }
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  /** Throws one InputError naming every problem, if there is any. */
  throwIfAny(heading?: string): void {
    if (this.list.length > 0) throw new InputError(this.list, heading);
  }
}

/** A value as a message shows it: NaN as NaN, not `null`; long text cut. */
export function showValue(value: unknown): string {
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (typeof value === "string") {
    const shown = JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
    return shown;
  }
  if (value === undefined) return "undefined";
  try {
    const json = JSON.stringify(value);
    return json === undefined ? typeof value : json.length > 60 ? `${json.slice(0, 60)}…` : json;
  } catch {
    return typeof value;
  }
}

/** The closest candidate to a word, and the edit distance: for "did you mean" hints. */
export { closest, distance } from "fastest-levenshtein";
