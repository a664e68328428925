import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import { durationArgument } from "../../src/params/bounds.ts";
import { durationSeconds, parseDuration } from "../../src/params/duration.ts";

describe("parseDuration", () => {
  it("reads Go durations", () => {
    assert.equal(parseDuration("30s"), 30_000);
    assert.equal(parseDuration("5m"), 300_000);
    assert.equal(parseDuration("1h30m"), 5_400_000);
    assert.equal(parseDuration("1.5h"), 5_400_000);
    assert.equal(parseDuration("500ms"), 500);
    assert.equal(parseDuration("2m3.5s"), 123_500);
    assert.equal(parseDuration("1500us"), 1.5);
    assert.equal(parseDuration("0"), 0);
    assert.equal(parseDuration("-1m"), -60_000);
  });

  it("reads days, which Go does not but models write", () => {
    assert.equal(parseDuration("2d"), 172_800_000);
    assert.equal(parseDuration("1d12h"), 129_600_000);
  });

  it("refuses what is not a duration", () => {
    for (const text of ["", "5", "m", "5 m", "five minutes", "1h 30m", "1w", "30sec", "-", ".s"]) {
      assert.equal(parseDuration(text), undefined, text);
    }
  });
});

describe("durationSeconds", () => {
  it("rounds up to whole seconds, as sinceSeconds needs", () => {
    assert.equal(durationSeconds("1m"), 60);
    assert.equal(durationSeconds("500ms"), 1);
    assert.equal(durationSeconds("1.2s"), 2);
  });

  it("refuses zero and negative durations", () => {
    assert.equal(durationSeconds("0"), undefined);
    assert.equal(durationSeconds("0s"), undefined);
    assert.equal(durationSeconds("-5m"), undefined);
  });
});

describe("durationArgument", () => {
  const schema = z.object({ since: durationArgument().optional().describe("Only lines newer than this") });

  it("accepts durations and says what it expects otherwise", () => {
    assert.deepEqual(schema.parse({ since: "1h30m" }), { since: "1h30m" });
    const failed = schema.safeParse({ since: "yesterday" });
    assert.equal(failed.success, false);
    assert.match(failed.error?.issues[0]?.message ?? "", /positive duration such as "30s"/);
  });

  it("shows as a described string in JSON Schema", () => {
    const json = z.toJSONSchema(schema, { io: "input" }) as { properties: Record<string, unknown> };
    assert.deepEqual(json.properties.since, {
      type: "string",
      maxLength: 32,
      description: "Only lines newer than this",
    });
  });
});
