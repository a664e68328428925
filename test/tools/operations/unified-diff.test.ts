import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { unifiedDiff } from "../../../src/format/unified-diff.ts";

/** Both sides rebuilt from the hunks of a diff with unlimited context. */
function sides(diff: string[]): [string[], string[]] {
  const body = diff.filter((line) => !line.startsWith("@@"));
  return [
    body.filter((line) => !line.startsWith("+")).map((line) => line.slice(1)),
    body.filter((line) => !line.startsWith("-")).map((line) => line.slice(1)),
  ];
}

describe("unifiedDiff", () => {
  it("is empty for equal input", () => {
    assert.deepEqual(unifiedDiff(["a", "b"], ["a", "b"]), []);
  });

  it("keeps three lines of context and splits distant changes into hunks", () => {
    const before = "a b c d e f g h i j k l m n".split(" ");
    const after = "a b x d e f g h i j k l m n o".split(" ");
    assert.deepEqual(unifiedDiff(before, after), [
      "@@ -1,6 +1,6 @@",
      " a",
      " b",
      "-c",
      "+x",
      " d",
      " e",
      " f",
      "@@ -12,3 +12,4 @@",
      " l",
      " m",
      " n",
      "+o",
    ]);
  });

  it("shows a new object as all added", () => {
    assert.deepEqual(unifiedDiff([], ["x", "y"]), ["@@ -0,0 +1,2 @@", "+x", "+y"]);
  });

  it("finds a shortest edit script", () => {
    const diff = unifiedDiff("abcabba".split(""), "cbabac".split(""));
    assert.equal(diff.filter((line) => /^[-+]/.test(line)).length, 5);
  });

  it("always describes both sides exactly", () => {
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const lines = () =>
      Array.from({ length: Math.floor(random() * 14) }, () => "abc"[Math.floor(random() * 3)] ?? "");
    for (let round = 0; round < 500; round++) {
      const before = lines();
      const after = lines();
      const diff = unifiedDiff(before, after, 1000);
      if (diff.length === 0) assert.deepEqual(before, after);
      else assert.deepEqual(sides(diff), [before, after]);
    }
  });
});

describe("unifiedDiff past its edit budget", () => {
  it("says the lines were replaced, both sides still exact", () => {
    const before = Array.from({ length: 1500 }, (_, index) => `old-${index}`);
    const after = Array.from({ length: 1500 }, (_, index) => `new-${index}`);
    const diff = unifiedDiff(before, after);
    assert.equal(diff[0], "@@ -1,1500 +1,1500 @@");
    assert.deepEqual(sides(diff), [before, after]);
  });
});
