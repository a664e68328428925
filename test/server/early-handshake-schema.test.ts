// The early answer is a shortcut, never a second validator's say: whatever initialize the early
// check answers, the SDK's own schemas (the JSON-RPC request and the initialize request) accept;
// and whatever tools/list it answers after one, the SDK's schemas accept, with the initialized
// notification before it.
// Generated messages put valid values, missing fields and any JSON at every field the SDK's
// initialize schema types, so that a field the early check is more lenient about than the SDK
// shows up as an answered message the SDK refuses.
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  isInitializeRequest,
  isJSONRPCNotification,
  isJSONRPCRequest,
  isSpecType,
  SUPPORTED_PROTOCOL_VERSIONS,
} from "@modelcontextprotocol/server";
import { EarlyHandshake } from "../../src/server/early-handshake.ts";

/** Mostly a valid value, else no field at all or any JSON. */
function field<T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 30, arbitrary: valid }, fc.constant(undefined), fc.jsonValue({ maxDepth: 2 }));
}

/** Mostly nothing, sometimes this. */
function rarely<T>(value: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, value);
}

/** An object of these fields, each maybe left out, sometimes with a key the schema does not know. */
function object(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  return fc
    .record({ ...fields, extra: rarely(fc.jsonValue({ maxDepth: 1 })) })
    .map((value) => JSON.parse(JSON.stringify(value)) as unknown);
}

const text = fc.oneof(fc.string(), fc.constantFrom("https://example.com", "data:image/png;base64,AA", ""));
const icon = object({
  src: field(text),
  mimeType: field(text),
  sizes: field(fc.array(text, { maxLength: 2 })),
  theme: field(fc.constantFrom("light", "dark", "dim")),
});
const clientInfo = object({
  name: field(text),
  version: field(text),
  title: field(text),
  websiteUrl: field(text),
  description: field(text),
  icons: field(fc.array(icon, { maxLength: 2 })),
});
const nested = field(object({ listChanged: field(fc.boolean()), context: field(object({})) }));
const capabilities = object({
  experimental: field(fc.dictionary(fc.string(), object({}), { maxKeys: 2 })),
  extensions: field(fc.dictionary(fc.string(), object({}), { maxKeys: 2 })),
  sampling: field(object({ context: field(object({})), tools: field(object({})) })),
  elicitation: field(
    object({ form: field(object({ applyDefaults: field(fc.boolean()) })), url: field(object({})) }),
  ),
  roots: nested,
  tasks: rarely(object({})),
});
const meta = object({
  progressToken: field(fc.oneof(fc.string(), fc.integer())),
  "io.modelcontextprotocol/related-task": rarely(object({})),
});
const initialize = object({
  jsonrpc: field(fc.constant("2.0")),
  id: field(fc.oneof(fc.integer(), fc.string(), fc.double())),
  method: field(fc.constant("initialize")),
  params: field(
    object({
      protocolVersion: field(fc.constantFrom(...SUPPORTED_PROTOCOL_VERSIONS)),
      capabilities: field(capabilities),
      clientInfo: field(clientInfo),
      _meta: field(meta),
    }),
  ),
});

const params = field(object({ _meta: field(meta), cursor: rarely(fc.string()) }));
const initialized = object({
  jsonrpc: field(fc.constant("2.0")),
  id: rarely(fc.integer()),
  method: field(fc.constant("notifications/initialized")),
  params,
});
const toolsList = object({
  jsonrpc: field(fc.constant("2.0")),
  id: field(fc.oneof(fc.integer(), fc.string(), fc.double())),
  method: field(fc.constant("tools/list")),
  params,
});

const PLAIN_INITIALIZE = {
  jsonrpc: "2.0",
  id: 0,
  method: "initialize",
  params: {
    protocolVersion: SUPPORTED_PROTOCOL_VERSIONS[0],
    capabilities: {},
    clientInfo: { name: "a", version: "1" },
  },
};

/** How many of these messages the early check answered (each answer is a line). */
async function answeredEarly(...messages: unknown[]): Promise<number> {
  const input = new PassThrough();
  const output = new PassThrough();
  let written = "";
  output.on("data", (chunk: Buffer) => (written += chunk.toString("utf8")));
  const handshake = new EarlyHandshake({
    input,
    output,
    recorded: { versions: [...SUPPORTED_PROTOCOL_VERSIONS], result: { capabilities: {} }, toolsList: "{}" },
    maxHeldBytes: 1 << 20,
  });
  input.write(messages.map((message) => `${JSON.stringify(message)}\n`).join(""));
  await handshake.firstLine;
  await handshake.readArrived();
  handshake.handOver();
  return written.split("\n").length - 1;
}

describe("the early handshake check against the SDK's schemas", () => {
  it("answers only initialize requests the SDK accepts", async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(initialize, async (message) => {
        if ((await answeredEarly(message)) === 0) return;
        answered++;
        assert.ok(isJSONRPCRequest(message), `not a JSON-RPC request to the SDK: ${JSON.stringify(message)}`);
        assert.ok(isInitializeRequest(message), `an initialize the SDK refuses: ${JSON.stringify(message)}`);
      }),
      { numRuns: 3000 },
    );
    // The generator reaches the answered case often enough for the property to mean something.
    assert.ok(answered > 100, `only ${answered} of 3000 generated messages were answered early`);
  });

  it("answers only a tools/list the SDK accepts, after an initialized notification it accepts", async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(fc.option(initialized, { nil: undefined }), toolsList, async (notification, list) => {
        const lines = notification === undefined ? [list] : [notification, list];
        if ((await answeredEarly(PLAIN_INITIALIZE, ...lines)) < 2) return;
        answered++;
        if (notification !== undefined) {
          const shown = JSON.stringify(notification);
          assert.ok(isJSONRPCNotification(notification), `not a JSON-RPC notification to the SDK: ${shown}`);
          assert.ok(
            isSpecType.InitializedNotification(notification),
            `a notification the SDK refuses: ${shown}`,
          );
        }
        assert.ok(isJSONRPCRequest(list), `not a JSON-RPC request to the SDK: ${JSON.stringify(list)}`);
        assert.ok(isSpecType.ListToolsRequest(list), `a tools/list the SDK refuses: ${JSON.stringify(list)}`);
      }),
      { numRuns: 3000 },
    );
    assert.ok(answered > 100, `only ${answered} of 3000 generated tools/list were answered early`);
  });
});
