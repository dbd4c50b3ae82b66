// The waiting engine: no Pulumi here, so the component, the CLI and library users share it.
export {
  waitForJobs,
  DEFAULT_TIMEOUT,
  DEFAULT_POLL_INTERVAL,
  type WaitOptions,
  type WaitResult,
} from "./wait-for-jobs";
export { planWait, MIN_POLL_INTERVAL_MS, type WaitPlan } from "./plan";
export { JobsFailedError, WaitTimeoutError, WaitAbortedError, describeJob } from "./errors";
export { summarize, type WaitProgress } from "./progress";
export {
  BatchPoller,
  sharedPoller,
  isPermanent,
  DEFAULT_TUNING,
  type Subscriber,
  type PollerTuning,
} from "./poller";
export type { StatusSource, Fetcher, Need, Observed, Tick } from "./observations";
export { acceptorsFor, assess, type Acceptor, type Assessment } from "./readiness";
