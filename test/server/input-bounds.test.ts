// Every argument a tool accepts is bounded by its schema, so oversized input is refused before any
// work: strings have a maxLength, arrays a maxItems, at every depth of every tool's input schema.
import assert from "node:assert/strict";
import { test } from "node:test";
import { describeInvalidArguments, offerTools } from "../../src/server/tool-catalogue.ts";
import { ALL_TOOLS } from "../../src/tools/index.ts";

/**
 * `grep` patterns are bounded by the masking work (filters that run on masked text with a
 * linear-time engine), which lands on its own branch; every other argument is checked here.
 */
const BOUNDED_ELSEWHERE = new Set(["grep"]);

type Schema = { type?: string; maxLength?: number; maxItems?: number; [keyword: string]: unknown };

function unbounded(schema: Schema, at: string): string[] {
  const found: string[] = [];
  // An enum is bounded by its values.
  if (schema.type === "string" && schema.maxLength === undefined && !schema.enum) found.push(at);
  if (schema.type === "array" && schema.maxItems === undefined) found.push(at);
  for (const [name, child] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
    if (!BOUNDED_ELSEWHERE.has(name)) found.push(...unbounded(child, `${at}.${name}`));
  }
  if (schema.items) found.push(...unbounded(schema.items as Schema, `${at}[]`));
  for (const keyword of ["anyOf", "oneOf", "allOf"]) {
    for (const [index, child] of ((schema[keyword] ?? []) as Schema[]).entries()) {
      found.push(...unbounded(child, `${at}|${index}`));
    }
  }
  return found;
}

test("every string and array argument of every tool has a bound", () => {
  for (const inCluster of [false, true]) {
    const offered = offerTools(ALL_TOOLS, { readOnly: false, inCluster });
    const found = offered.flatMap(({ listing }) => unbounded(listing.inputSchema as Schema, listing.name));
    assert.deepEqual(found, [], `unbounded arguments: ${found.join(", ")}`);
  }
});

test("an oversized kind is refused by the schema, and the error does not repeat it", () => {
  const [resources] = offerTools(ALL_TOOLS, { readOnly: false, inCluster: false }).filter(
    ({ tool }) => tool.name === "get_kubernetes_resources",
  );
  assert.ok(resources);
  const huge = "K".repeat(1_000_000);
  const parsed = resources.arguments.safeParse({ kind: huge, [huge]: 1 });
  assert.ok(!parsed.success);
  const message = describeInvalidArguments(resources, parsed.error);
  assert.match(message, /kind: too big/i);
  assert.match(message, /unknown argument "K{64}"… \(1000000 characters\)/);
  assert.ok(message.length < 1000, `the error is ${message.length} characters long`);
});
