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

  it("makes one bounded line", () => {
    assert.equal(oneLine("a\n\n  b\tc ", 100), "a b c");
    const long = oneLine(`upgrade failed: ${"detail ".repeat(40)}field is immutable`, 60);
    assert.ok(long.length <= 60, long);
    assert.ok(long.startsWith("upgrade failed: detail"), long);
    assert.ok(long.endsWith("field is immutable"), long);
    assert.match(long, / … /);
  });
});
