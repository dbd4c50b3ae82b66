// The Pulumi adapters: thin, no HTTP; the provider code they load lives in provider.ts.
export { JobStatus, type JobStatusArgs, type ConnectionArgs } from "./job-status";
export { JobWaiter, type JobWaiterArgs } from "./job-waiter";
