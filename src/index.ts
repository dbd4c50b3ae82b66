// The main entry, `pulumi-drs-jobs`: the Pulumi resources and everything in ./client. Every
// name here is a promise to users, recorded in docs/api/main.api.md.
export * from "./client";
export {
  JobStatus,
  JobWaiter,
  type JobStatusArgs,
  type JobWaiterArgs,
  type ConnectionArgs,
} from "./pulumi";
