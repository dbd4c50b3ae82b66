// The waiting engine: no Pulumi here, so the component, the CLI and library users share it.
export {
  waitForJobs,
  planWait,
  DEFAULT_TIMEOUT,
  DEFAULT_POLL_INTERVAL,
  MIN_POLL_INTERVAL_MS,
  type WaitOptions,
  type WaitResult,
  type WaitPlan,
} from "./wait-for-jobs";
export { JobsFailedError, WaitTimeoutError, WaitAbortedError, describeJob } from "./errors";
export { summarize, type WaitProgress } from "./progress";
export {
  BatchPoller,
  sharedPoller,
  isPermanent,
  DEFAULT_TUNING,
  type StatusSource,
  type Subscriber,
  type PollerTuning,
} from "./poller";
