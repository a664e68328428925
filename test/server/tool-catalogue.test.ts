import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import { describeInvalidArguments, offerTools, selectTools } from "../../src/server/tool-catalogue.ts";
import { defineTool, type Tool } from "../../src/tools/tool.ts";

const readHints = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
const writeHints = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: false,
  openWorldHint: false,
};

function tool(name: string, fields: Partial<Tool> = {}): Tool {
  return defineTool({
    name,
    title: name,
    description: `test tool ${name}`,
    area: "reporting",
    input: { name: z.string().describe("Object name."), limit: z.number().int().min(1).optional() },
    annotations: readHints,
    writes: false,
    usesCluster: true,
    handler: async () => ({ text: "" }),
    ...fields,
  }) as Tool;
}

const reader = tool("read_things");
const writer = tool("change_things", { writes: true, annotations: writeHints });
const local = tool("use_kubeconfig", { kubeconfigOnly: true, usesCluster: false, input: {} });
const catalogue = [reader, writer, local];

describe("selectTools", () => {
  it("offers everything by default", () => {
    assert.deepEqual(selectTools(catalogue, { readOnly: false, inCluster: false }), catalogue);
  });
  it("drops tools that write in read-only mode", () => {
    assert.deepEqual(selectTools(catalogue, { readOnly: true, inCluster: false }), [reader, local]);
  });
  it("drops kubeconfig tools in a pod", () => {
    assert.deepEqual(selectTools(catalogue, { readOnly: false, inCluster: true }), [reader, writer]);
  });
});

describe("offerTools", () => {
  it("adds the optional context argument to tools that use a cluster", () => {
    const [offered] = offerTools([reader], { readOnly: false, inCluster: false });
    assert.deepEqual(offered?.listing.inputSchema, {
      type: "object",
      properties: {
        name: { type: "string", description: "Object name." },
        limit: { type: "integer", minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
        context: { type: "string", maxLength: 1024, description: "Kubeconfig context" },
      },
      required: ["name"],
    });
    assert.equal(offered?.listing.title, "read_things");
  });

  it("lists only the hints that differ from the MCP defaults and mean something for the tool", () => {
    const listed = offerTools(catalogue, { readOnly: false, inCluster: false }).map(
      (offered) => offered.listing.annotations,
    );
    // A reader's destructive and idempotent hints mean nothing; readOnlyHint false and destructiveHint
    // true are what a client assumes without them.
    assert.deepEqual(listed, [
      { readOnlyHint: true, openWorldHint: false },
      { openWorldHint: false },
      { readOnlyHint: true, openWorldHint: false },
    ]);
    const carefulWriter = tool("fix_things", {
      writes: true,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    });
    const [offered] = offerTools([carefulWriter], { readOnly: false, inCluster: false });
    assert.deepEqual(offered?.listing.annotations, { destructiveHint: false, idempotentHint: true });
  });

  it("leaves the context argument out in a pod, where there is one cluster", () => {
    const [offered] = offerTools([reader], { readOnly: false, inCluster: true });
    assert.deepEqual(Object.keys(offered?.listing.inputSchema.properties as object), ["name", "limit"]);
  });

  it("always lists properties, even for a tool without arguments", () => {
    const [offered] = offerTools([local], { readOnly: false, inCluster: false });
    assert.deepEqual(offered?.listing.inputSchema, {
      type: "object",
      properties: {},
    });
  });

  it("leaves out of the listing what the parser enforces anyway: unknown arguments, empty strings", () => {
    const [offered] = offerTools([reader], { readOnly: false, inCluster: false });
    assert.ok(offered);
    assert.equal(JSON.stringify(offered.listing).match(/additionalProperties|minLength/), null);
    assert.equal(offered.arguments.safeParse({ name: "x", context: "" }).success, false);
    assert.equal(offered.arguments.safeParse({ name: "x", other: 1 }).success, false);
    assert.equal(offered.arguments.safeParse({ name: "x", context: "staging" }).success, true);
  });
});

describe("describeInvalidArguments", () => {
  it("names every problem on one line, and the arguments a tool accepts", () => {
    const [offered] = offerTools([reader], { readOnly: false, inCluster: false });
    assert.ok(offered);
    const parsed = offered.arguments.safeParse({ name: 7, limit: 0, namspace: "x" });
    assert.equal(parsed.success, false);
    const message = describeInvalidArguments(offered, parsed.error);
    assert.equal(
      message,
      "invalid arguments for read_things: name: expected string, received number; " +
        'limit: too small: expected number to be >=1; unknown argument "namspace" (accepted: name, limit, context)',
    );
    assert.ok(!message.includes("\n"));
  });
});
