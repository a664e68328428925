// Long loops over what the API returned (thousands of objects to mask, project or format) give the
// event loop a turn every few milliseconds, so the other sessions' requests, pings and timers are
// served in between instead of waiting for the whole list. One home for it: loops anywhere in the
// product (kube/, format/, flux/, tools/) use this class.

/** How long a loop runs before it lets others have a turn. */
const SLICE_MS = 10;

export class TimeSlice {
  #since = performance.now();

  /** Whether the loop has had its time: then `await slice.yield()` before the next item. */
  get due(): boolean {
    return performance.now() - this.#since >= SLICE_MS;
  }

  /** Resolves on a later turn of the event loop, after the I/O and timers that are waiting. */
  async yield(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.#since = performance.now();
  }
}
