// The public API of pulumi-drs-jobs: the Pulumi resources and everything in ./client.
export * from "./client";
export * from "./pulumi";
