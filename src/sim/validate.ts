// The simulator's collector for validation problems, each named by the field's path
// (`jobs[1].timeline[0].at: ...`), shared by the scenario parser and the admin API: the one
// `Problems` collector, with the checks a scenario needs.
import { parseDuration } from "../util/duration";
import { Problems } from "../util/input-error";

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export class Issues extends Problems {
  /** One line per problem, its field first: what the simulator's errors list. */
  lines(): string[] {
    return this.list.map((p) => `${p.field}: ${p.reason}`);
  }

  unknownKeys(field: string, value: Record<string, unknown>, known: string[]): void {
    for (const key of Object.keys(value)) {
      // A typo ("statsu") would otherwise be silently ignored and the test would lie.
      if (!known.includes(key))
        this.add(
          field === "(root)" ? key : `${field}.${key}`,
          `unknown field; expected one of ${known.join(", ")}`,
        );
    }
  }

  duration(field: string, value: unknown): number | undefined {
    if (typeof value !== "string" && typeof value !== "number") {
      this.add(field, `must be a duration like "20s" or a number of seconds`);
      return undefined;
    }
    return this.attempt(() => parseDuration(value, field));
  }

  optionalString(field: string, value: unknown): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value === "string" && value !== "") return value;
    this.add(field, "must be a non-empty string");
    return undefined;
  }

  requiredString(field: string, value: unknown): string | undefined {
    if (value === undefined) {
      this.add(field, "is required");
      return undefined;
    }
    return this.optionalString(field, value);
  }

  /** Throws `make`'s error over the lines, if there is any problem. */
  throwAs(make: (lines: string[]) => Error): void {
    if (!this.empty) throw make(this.lines());
  }
}
