// Long loops give the event loop turns: work queued before a long loop runs before the loop ends.
import assert from "node:assert/strict";
import { test } from "node:test";
import { forEachInSlices } from "../../src/kube/time-slice.ts";

/** Keeps the thread busy for `ms`, as parsing or masking a big page does. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Spinning on purpose.
  }
}

test("forEachInSlices visits every item in order", async () => {
  const seen: [string, number][] = [];
  await forEachInSlices(["a", "b", "c"], (item, index) => seen.push([item, index]));
  assert.deepEqual(seen, [
    ["a", 0],
    ["b", 1],
    ["c", 2],
  ]);
});

test("forEachInSlices lets queued work run between long visits", async () => {
  const order: string[] = [];
  setImmediate(() => order.push("other work"));
  await forEachInSlices([1, 2, 3, 4], (item) => {
    busy(10);
    order.push(`item ${item}`);
  });
  assert.notEqual(order.indexOf("other work"), -1, "the other work ran");
  assert.ok(order.indexOf("other work") < order.indexOf("item 4"), order.join(", "));
});
