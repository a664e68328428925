// Long loops give way to the event loop now and then, so that one big answer never freezes the
// server: other calls, pings and HTTP sessions are served in between. One home for it: masking,
// list reading and the tools that walk thousands of objects use the same slice.
import { setImmediate as nextTurn } from "node:timers/promises";

/** How long a loop may run before it lets the event loop serve others. */
const SLICE_MS = 8;

/**
 * The time a loop has run since it last gave way. In the loop: `if (slice.spent()) await
 * slice.giveWay();` — a check costs a clock read, giving way one turn of the event loop.
 */
export class TimeSlice {
  #started = performance.now();

  spent(): boolean {
    return performance.now() - this.#started >= SLICE_MS;
  }

  async giveWay(): Promise<void> {
    await nextTurn();
    this.#started = performance.now();
  }
}

/** Calls `visit` on each item, giving way to the event loop whenever a slice is spent. */
export async function forEachInSlices<Item>(
  items: Iterable<Item>,
  visit: (item: Item, index: number) => void,
  slice = new TimeSlice(),
): Promise<void> {
  let index = 0;
  for (const item of items) {
    visit(item, index++);
    if (slice.spent()) await slice.giveWay();
  }
}
