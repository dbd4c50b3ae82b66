// The public API of pulumi-drs-jobs. Each layer exports what users may rely on.
export { parseDuration, formatDuration, type Duration } from "./util/duration";
export * from "./api/wire";
export * from "./api";
export * from "./sim";
