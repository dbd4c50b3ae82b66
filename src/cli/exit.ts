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
  /** interrupted by SIGINT */
  interrupted: 130,
} as const;
