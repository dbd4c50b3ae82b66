// Everything but the Pulumi resources: the client, the waiting engine and the simulator,
// for pipeline code that should not load @pulumi/pulumi (about 50 MiB and a second of start).
export { parseDuration, formatDuration, type Duration } from "./util/duration";
export * from "./api";
export * from "./wait";
export * from "./sim";
