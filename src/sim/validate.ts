// A tiny collector for validation problems, each named by the field's path
// (`jobs[1].timeline[0].at: ...`), shared by the scenario parser and the admin API.
import { parseDuration } from "../util/duration";

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export class Issues {
  readonly list: string[] = [];

  add(field: string, problem: string): void {
    this.list.push(`${field}: ${problem}`);
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
    try {
      return parseDuration(value, field);
    } catch (err) {
      this.list.push((err as Error).message);
      return undefined;
    }
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

  throwIfAny(make: (issues: string[]) => Error): void {
    if (this.list.length > 0) throw make(this.list);
  }
}
