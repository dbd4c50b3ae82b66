// How a waiting gate in the plugin learns that the update is being cancelled. The engine's
// Cancel call is one signal (see README "Cancelling an update" for when it arrives); the
// watchers below add what else the process can observe.
const CANCELLED = "the update was cancelled: stopped waiting for the DRS jobs";

export class Cancellation {
  private readonly controller = new AbortController();

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Idempotent: the first reason wins. `why`, when given, ends the error message. */
  cancel(why?: string): void {
    if (!this.controller.signal.aborted) this.controller.abort(why);
  }

  /** Rejects once cancelled, unless `done` fires first (the wait is over anyway). */
  cancelled(done: AbortSignal): Promise<never> {
    return new Promise((_resolve, reject) => {
      const signal = this.controller.signal;
      const why = () => (typeof signal.reason === "string" ? ` (${signal.reason})` : "");
      const fail = () => reject(new Error(`${CANCELLED}${why()}`));
      if (signal.aborted) return fail();
      signal.addEventListener("abort", fail, { once: true });
      done.addEventListener("abort", () => signal.removeEventListener("abort", fail), {
        once: true,
      });
    });
  }
}
