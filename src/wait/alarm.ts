// The poller's timers: each remembers when it will fire, so an earlier request replaces a later
// one instead of adding a second timer.
/** A timer that remembers when it will fire, so an earlier request can replace a later one. */
export class Alarm {
  at = Infinity;
  #handle?: NodeJS.Timeout;

  /** Fires `run` within `delayMs`, unless it is already due sooner. */
  within(delayMs: number, run: () => void): void {
    const at = Date.now() + delayMs;
    if (this.#handle && this.at <= at) return;
    this.clear();
    this.at = at;
    this.#handle = setTimeout(() => {
      this.#handle = undefined;
      this.at = Infinity;
      run();
    }, delayMs);
  }

  get pending(): boolean {
    return this.#handle !== undefined;
  }

  clear(): void {
    clearTimeout(this.#handle);
    this.#handle = undefined;
    this.at = Infinity;
  }
}
