// How a waiting gate in the plugin learns that the update is being cancelled: one AbortSignal
// over every source the process can observe. The engine's Cancel call is one (see README
// "Cancelling an update" for when it arrives); stdin closing (the engine gone) is the other.
import { UPDATE_CANCELLED } from "../pulumi/operations";

export class Cancellation {
  readonly #cancelCall = new AbortController();
  readonly #engineGone = new AbortController();
  /** Aborts, with the first reason, when either source does. */
  readonly signal = AbortSignal.any([this.#cancelCall.signal, this.#engineGone.signal]);

  /** The engine's Cancel call. Idempotent. */
  cancel(): void {
    this.#cancelCall.abort(UPDATE_CANCELLED);
  }

  /** The engine is gone (stdin closed): nothing will call this process again. */
  engineGone(): void {
    this.#engineGone.abort(`${UPDATE_CANCELLED} (the pulumi engine went away)`);
  }
}
