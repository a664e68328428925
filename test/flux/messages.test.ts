import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { oneLine, shortenDigests } from "../../src/flux/messages.ts";

describe("messages", () => {
  it("shortens digests the way flux get prints them", () => {
    assert.equal(
      shortenDigests("Applied revision: refs/heads/main@sha1:3f9c2d7e1a8b4c6d5e0f1a2b3c4d5e6f7a8b9c0d"),
      "Applied revision: refs/heads/main@sha1:3f9c2d7e",
    );
    const digest = "sha256:5d3c1e0a9b7f00112233445566778899aabbccddeeff00112233445566778899";
    assert.equal(shortenDigests(`1.19.1@${digest}`), "1.19.1@sha256:5d3c1e0a");
  });

  it("makes one bounded line, cut between sentences or fields, never inside a name", () => {
    assert.equal(oneLine("a\n\n  b\tc ", 100), "a b c");
    const long = oneLine(`upgrade failed: ${"detail ".repeat(40)}field is immutable`, 60);
    assert.ok(long.length <= 60, long);
    assert.ok(long.startsWith("upgrade failed: … "), long);
    assert.ok(long.endsWith("field is immutable"), long);

    const helm = [
      "Helm install failed for release apps/podinfo with chart podinfo@6.9.2: values don't meet the specifications of the schema(s) in the following chart(s):",
      "podinfo:",
      "- at '/image/tag': got number, want string",
      "- at '/replicaCount': got string, want integer",
    ].join("\n");
    const words = new Set(helm.split(/\s+/));
    for (const max of [60, 120, 200]) {
      const short = oneLine(helm, max);
      assert.ok(short.length <= max, short);
      for (const word of short.split(" ")) {
        if (word !== "…") assert.ok(words.has(word), `"${word}" is a whole word of the message: ${short}`);
      }
    }
    assert.match(
      oneLine(helm, 120),
      /^Helm install failed for release apps\/podinfo with chart podinfo@6\.9\.2: … /,
    );
  });
});
