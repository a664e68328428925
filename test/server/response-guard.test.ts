import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import { guardResponseSize } from "../../src/server/response-guard.ts";
import { defineTool, type Tool } from "../../src/tools/tool.ts";

const hints = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
const lister = defineTool({
  name: "list_things",
  title: "List things",
  description: "lists",
  area: "reporting",
  input: { namespace: z.string().optional(), selector: z.string().optional(), limit: z.number().optional() },
  annotations: hints,
  writes: false,
  usesCluster: true,
  handler: async () => ({ text: "" }),
}) as Tool;
const writer = { ...lister, name: "apply_things", writes: true } as Tool;

describe("guardResponseSize", () => {
  it("lets an answer within the limit through untouched", () => {
    const result = { text: "a".repeat(100) };
    assert.equal(guardResponseSize(lister, result, 100), result);
  });

  it("replaces an oversized read with advice built from the tool's own arguments", () => {
    const result = guardResponseSize(lister, { text: "a".repeat(101) }, 100);
    assert.deepEqual(result, {
      isError: true,
      text:
        "The answer of list_things is 101 characters, over the 100-character limit: call list_things again " +
        "with a namespace, a label selector, a smaller limit.",
    });
  });

  it("never turns a write into a failure: it cuts the answer and says so", () => {
    const result = guardResponseSize(writer, { text: "b".repeat(500) }, 200);
    assert.equal(result.isError, undefined);
    assert.equal(result.text.length, 200);
    assert.match(
      result.text,
      /^b+\n\[answer cut at 200 of 500 characters; the operation itself completed\]$/,
    );
  });
});
