// The public API of pulumi-drs-jobs. Each layer exports what users may rely on.
export { parseDuration, formatDuration, type Duration } from "./util/duration";
export * from "./api";
export * from "./wait";
export * from "./pulumi";
export * from "./sim";
