/** Exit codes of `drs-jobs`, shared by every subcommand. */
export const EXIT = {
  ok: 0,
  /** a job failed, was stopped or does not exist */
  jobFailed: 1,
  /** bad usage or settings */
  usage: 2,
  /** timed out */
  timeout: 3,
  /** an API or transport error that retries did not overcome */
  api: 4,
  /** a bug in drs-jobs itself (EX_SOFTWARE): please report it */
  internal: 70,
  /** interrupted by SIGINT */
  interrupted: 130,
  /** stopped by SIGTERM (what CI systems send when a job is cancelled) */
  terminated: 143,
} as const;
