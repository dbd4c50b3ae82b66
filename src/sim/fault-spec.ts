// Parses a fault as written in a scenario or posted to the admin API.
import { Issues, isRecord } from "./validate";
import type { BodyFaultKind, DataFaultKind, Fault, FaultRoute } from "./types";

const BODY_KINDS: readonly BodyFaultKind[] = ["malformed", "truncated", "empty"];
const DATA_KINDS: readonly DataFaultKind[] = [
  "missing",
  "duplicate",
  "count-mismatch",
  "unknown-status",
];
const KNOWN = [
  "status",
  "retryAfter",
  "errorCode",
  "errorMessage",
  "html",
  "delay",
  "drop",
  "hang",
  "body",
  "data",
  "unknownStatus",
  "count",
  "times",
  "from",
  "until",
  "path",
  "route",
];
const ROUTES: readonly FaultRoute[] = ["batch-status", "batch-progress", "compare"];

export function parseFault(
  input: unknown,
  field: string,
  issues: Issues,
): Omit<Fault, "id"> | undefined {
  if (!isRecord(input)) {
    issues.add(field, 'must be an object like {"status": 429, "times": 2}');
    return undefined;
  }
  const before = issues.list.length;
  issues.unknownKeys(field, input, KNOWN);
  const effects = (["status", "drop", "hang", "body", "data"] as const).filter(
    (key) => input[key] !== undefined && input[key] !== false,
  );
  if (effects.length > 1) {
    issues.add(field, `choose one effect, not ${effects.join(" and ")}`);
  }
  const fault: Omit<Fault, "id"> = { effect: effects[0] ?? "delay", delayMs: 0 };
  if (input.delay !== undefined)
    fault.delayMs = issues.duration(`${field}.delay`, input.delay) ?? 0;
  if (effects.length === 0 && input.delay === undefined) {
    issues.add(field, "needs an effect: status, drop, hang, body, data or delay");
  }
  if (input.status !== undefined) {
    const status = input.status;
    if (typeof status !== "number" || !Number.isInteger(status) || status < 400 || status > 599) {
      issues.add(`${field}.status`, "must be an HTTP error status, 400-599");
    } else fault.status = status;
  }
  for (const flag of ["drop", "hang"] as const) {
    if (input[flag] !== undefined && typeof input[flag] !== "boolean") {
      issues.add(`${field}.${flag}`, "must be true or false");
    }
  }
  if (input.body !== undefined) {
    if (BODY_KINDS.includes(input.body as BodyFaultKind)) fault.body = input.body as BodyFaultKind;
    else issues.add(`${field}.body`, `must be one of ${BODY_KINDS.join(", ")}`);
  }
  if (input.data !== undefined) {
    if (DATA_KINDS.includes(input.data as DataFaultKind)) fault.data = input.data as DataFaultKind;
    else issues.add(`${field}.data`, `must be one of ${DATA_KINDS.join(", ")}`);
  }
  fault.unknownStatus = issues.optionalString(`${field}.unknownStatus`, input.unknownStatus);
  fault.errorCode = issues.optionalString(`${field}.errorCode`, input.errorCode);
  fault.errorMessage = issues.optionalString(`${field}.errorMessage`, input.errorMessage);
  if ((fault.errorCode || fault.errorMessage) && fault.effect !== "status") {
    issues.add(field, "errorCode and errorMessage go with a status");
  }
  if (input.html !== undefined) {
    const html = input.html;
    if (html === true || (typeof html === "string" && html !== "")) fault.html = html;
    else issues.add(`${field}.html`, "must be true (a gateway's error page) or the page's text");
    if (fault.effect !== "status") issues.add(`${field}.html`, "goes with a status");
    if (fault.errorCode || fault.errorMessage) {
      issues.add(`${field}.html`, "replaces the JSON body: give errorCode/errorMessage or html");
    }
  }
  if (input.count !== undefined) {
    const count = input.count;
    if (typeof count === "number" && Number.isInteger(count) && count >= 0) fault.count = count;
    else issues.add(`${field}.count`, "must be an integer >= 0");
    if (fault.data !== "count-mismatch")
      issues.add(`${field}.count`, 'goes with data "count-mismatch"');
  }
  if (input.retryAfter !== undefined) {
    const value = input.retryAfter;
    if (typeof value === "number" && Number.isInteger(value) && value >= 0) {
      fault.retryAfter = String(value);
    } else if (typeof value === "string" && value.trim() !== "" && !/[\r\n]/.test(value)) {
      fault.retryAfter = value.trim();
    } else {
      issues.add(`${field}.retryAfter`, 'must be seconds (e.g. "1") or an HTTP date');
    }
    if (fault.effect !== "status") issues.add(`${field}.retryAfter`, "goes with a status");
  }
  if (input.times !== undefined) {
    const times = input.times;
    if (typeof times !== "number" || !Number.isInteger(times) || times < 1) {
      issues.add(`${field}.times`, "must be an integer >= 1");
    } else fault.remaining = times;
  }
  if (input.from !== undefined) fault.fromMs = issues.duration(`${field}.from`, input.from);
  if (input.until !== undefined) fault.untilMs = issues.duration(`${field}.until`, input.until);
  if (fault.fromMs !== undefined && fault.untilMs !== undefined && fault.untilMs <= fault.fromMs) {
    issues.add(`${field}.until`, "must be later than from");
  }
  if (input.path !== undefined) {
    const path = issues.optionalString(`${field}.path`, input.path);
    if (path !== undefined && !path.startsWith("/"))
      issues.add(`${field}.path`, "must start with /");
    else fault.path = path;
  }
  if (input.route !== undefined) {
    if (ROUTES.includes(input.route as FaultRoute)) fault.route = input.route as FaultRoute;
    else issues.add(`${field}.route`, `must be one of ${ROUTES.join(", ")}`);
  }
  return issues.list.length > before ? undefined : fault;
}
