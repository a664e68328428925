// The stdio handshake answered before the SDK loads: which first lines get the recorded answer,
// which tools/list after them does, that every byte read meanwhile reaches the framing, and that
// the SDK's own answers to those requests are the ones left out.
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { describe, it } from "node:test";
import { EarlyHandshake, type RecordedHandshake } from "../../src/server/early-handshake.ts";
import { StdioFraming } from "../../src/server/stdio-framing.ts";

const RECORDED: RecordedHandshake = {
  versions: ["2025-11-25", "2025-06-18"],
  result: {
    capabilities: { tools: { listChanged: true } },
    serverInfo: { name: "flux-mcp" },
    instructions: "x",
  },
  toolsList: '{"tools":[{"name":"get_flux_instance","inputSchema":{"type":"object"}}]}',
};

function initializeLine(params: object, id: unknown = 7): string {
  return `${JSON.stringify({ jsonrpc: "2.0", id, method: "initialize", params })}\n`;
}

const PLAIN = { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "c", version: "1" } };

function earlyHandshake(maxHeldBytes = 1 << 20) {
  const input = new PassThrough();
  const output = new PassThrough();
  const written: string[] = [];
  output.on("data", (chunk: Buffer) => written.push(chunk.toString("utf8")));
  const handshake = new EarlyHandshake({ input, output, recorded: RECORDED, maxHeldBytes });
  return { input, handshake, written };
}

describe("EarlyHandshake", () => {
  it("answers a plain initialize of a recorded version with the recorded result, and keeps every byte", async () => {
    const { input, handshake, written } = earlyHandshake();
    const line = initializeLine(PLAIN);
    const rest = '{"jsonrpc":"2.0","method":"notifications/initialized"}\n{"jsonrpc":"2.0","id":8,"me';
    input.write(line.slice(0, 20));
    input.write(line.slice(20) + rest);
    await handshake.firstLine;
    assert.deepEqual(
      written.map((text) => JSON.parse(text) as unknown),
      [{ result: { protocolVersion: "2025-06-18", ...RECORDED.result }, jsonrpc: "2.0", id: 7 }],
    );
    const { chunks, answeredIds } = handshake.handOver();
    assert.deepEqual(answeredIds, [7]);
    assert.equal(Buffer.concat(chunks).toString("utf8"), line + rest);
  });

  const unanswered: [string, string][] = [
    [
      "a protocol version the build did not record",
      initializeLine({ ...PLAIN, protocolVersion: "2099-01-01" }),
    ],
    ["no clientInfo", initializeLine({ protocolVersion: "2025-06-18", capabilities: {} })],
    ["capabilities that are not an object", initializeLine({ ...PLAIN, capabilities: [] })],
    ["a null id", initializeLine(PLAIN, null)],
    ["a fractional id", initializeLine(PLAIN, 1.5)],
    ["another method first", '{"jsonrpc":"2.0","id":1,"method":"ping"}\n'],
    ["a batch", `[${initializeLine(PLAIN).trim()}]\n`],
    ["a line that is not JSON", "initialize please\n"],
  ];
  for (const [what, line] of unanswered) {
    it(`leaves ${what} to the SDK, and keeps it`, async () => {
      const { input, handshake, written } = earlyHandshake();
      input.write(line);
      await handshake.firstLine;
      assert.deepEqual(written, []);
      const { chunks, answeredIds } = handshake.handOver();
      assert.deepEqual(answeredIds, []);
      assert.equal(Buffer.concat(chunks).toString("utf8"), line);
    });
  }

  const INITIALIZED = '{"jsonrpc":"2.0","method":"notifications/initialized"}\n';
  const toolsListLine = (request: object = {}) =>
    `${JSON.stringify({ jsonrpc: "2.0", id: 8, method: "tools/list", ...request })}\n`;
  const listAnswer = { result: JSON.parse(RECORDED.toolsList) as unknown, jsonrpc: "2.0", id: 8 };

  it("answers the tools/list after the initialized notification, however the lines are cut", async () => {
    for (const text of [
      INITIALIZED + toolsListLine(),
      toolsListLine({ params: {} }),
      INITIALIZED + toolsListLine({ params: { _meta: { progressToken: 3 } } }),
    ]) {
      const { input, handshake, written } = earlyHandshake();
      input.write(initializeLine(PLAIN) + text.slice(0, 30));
      await handshake.firstLine;
      input.write(text.slice(30));
      await handshake.readArrived();
      assert.deepEqual(
        written.map((answer) => JSON.parse(answer) as { id: number }).map(({ id }) => id),
        [7, 8],
        text,
      );
      assert.deepEqual(JSON.parse(written[1] ?? ""), listAnswer);
      const { chunks, answeredIds } = handshake.handOver();
      assert.deepEqual(answeredIds, [7, 8]);
      assert.equal(Buffer.concat(chunks).toString("utf8"), initializeLine(PLAIN) + text);
    }
  });

  const listsLeftToTheSdk: [string, string][] = [
    ["a tools/list with a cursor", toolsListLine({ params: { cursor: "next" } })],
    ["a tools/list with a key beside the request's", toolsListLine({ extra: 1 })],
    ["a tools/list with params that are not an object", toolsListLine({ params: [] })],
    ["a tools/list of a fractional id", toolsListLine({ id: 8.5 })],
    [
      "another request before the tools/list",
      '{"jsonrpc":"2.0","id":"p","method":"ping"}\n' + toolsListLine(),
    ],
    ["an initialized notification with an id", INITIALIZED.replace("{", '{"id":3,') + toolsListLine()],
    ["a line that is not JSON before it", "hello\n" + toolsListLine()],
  ];
  for (const [what, text] of listsLeftToTheSdk) {
    it(`leaves ${what} to the SDK`, async () => {
      const { input, handshake, written } = earlyHandshake();
      input.write(initializeLine(PLAIN));
      await handshake.firstLine;
      input.write(text);
      await handshake.readArrived();
      assert.equal(written.length, 1, "only the initialize answered");
      assert.deepEqual(handshake.handOver().answeredIds, [7]);
    });
  }

  it("answers no tools/list after an initialize it did not answer", async () => {
    const { input, handshake, written } = earlyHandshake();
    input.write(initializeLine({ ...PLAIN, protocolVersion: "2099-01-01" }) + INITIALIZED + toolsListLine());
    await handshake.firstLine;
    await handshake.readArrived();
    assert.deepEqual(written, []);
    assert.deepEqual(handshake.handOver().answeredIds, []);
  });

  it("stops reading once it holds more than the limit, and the framing reads the rest", async () => {
    const { input, handshake } = earlyHandshake(64);
    const lines = Array.from({ length: 20 }, (_, index) => `{"jsonrpc":"2.0","method":"n${index}"}\n`);
    input.write(initializeLine(PLAIN));
    await handshake.firstLine;
    for (const line of lines) input.write(line);
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(input.isPaused(), "reading stopped");
    const earlier = handshake.handOver();
    const held = Buffer.concat(earlier.chunks).length;
    assert.ok(held < initializeLine(PLAIN).length + lines.join("").length, `${held} bytes held, not all`);
    const output = new PassThrough();
    const framed = new StdioFraming({ input, output, maxMessageBytes: 1 << 20, log: () => {}, earlier });
    const methods: string[] = [];
    framed.toTransport.on("data", (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").trim().split("\n")) {
        methods.push((JSON.parse(line) as { method: string }).method);
      }
    });
    input.end();
    await new Promise((resolve) => framed.toTransport.once("end", resolve));
    assert.deepEqual(methods, ["initialize", ...lines.map((_, index) => `n${index}`)]);
  });

  it("stops waiting for a first line longer than the limit, and for input that ends", async () => {
    const long = earlyHandshake(16);
    long.input.write("x".repeat(10));
    long.input.write("x".repeat(10));
    await long.handshake.firstLine;
    assert.equal(Buffer.concat(long.handshake.handOver().chunks).length, 20);

    const empty = earlyHandshake();
    empty.input.end();
    await empty.handshake.firstLine;
    assert.deepEqual(empty.handshake.handOver().chunks, []);
  });
});

describe("StdioFraming after an early handshake", () => {
  function framing(earlierText: string, answeredIds: number[], inputEnded: boolean) {
    const input = new PassThrough();
    const output = new PassThrough();
    if (inputEnded) {
      input.end();
      input.resume();
    }
    const sent: string[] = [];
    output.on("data", (chunk: Buffer) => sent.push(chunk.toString("utf8")));
    const toTransport: string[] = [];
    const framed = new StdioFraming({
      input,
      output,
      maxMessageBytes: 1 << 20,
      log: () => {},
      earlier: { chunks: [Buffer.from(earlierText)], answeredIds },
    });
    framed.toTransport.on("data", (chunk: Buffer) => toTransport.push(chunk.toString("utf8")));
    return { input, framed, sent, toTransport };
  }

  it("passes what was read on to the SDK and leaves out the SDK's answer to the answered initialize, once", async () => {
    const { input, framed, sent, toTransport } = framing(initializeLine(PLAIN), [7], false);
    input.write('{"jsonrpc":"2.0","id":8,"method":"ping"}\n');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(
      toTransport
        .join("")
        .trim()
        .split("\n")
        .map((line) => (JSON.parse(line) as { method: string }).method),
      ["initialize", "ping"],
    );
    const write = (message: object) =>
      new Promise<void>((resolve) =>
        framed.fromTransport.write(`${JSON.stringify(message)}\n`, () => resolve()),
      );
    await write({ result: { protocolVersion: "2025-06-18" }, jsonrpc: "2.0", id: 7 });
    await write({ result: {}, jsonrpc: "2.0", id: 8 });
    await write({ result: {}, jsonrpc: "2.0", id: 7 });
    assert.deepEqual(
      sent.map((text) => (JSON.parse(text) as { id: number }).id),
      [8, 7],
    );
  });

  it("leaves out the SDK's answers to an early initialize and tools/list, each once, whatever their order", async () => {
    const { framed, sent } = framing(initializeLine(PLAIN), [7, 8], false);
    const write = (message: object) =>
      new Promise<void>((resolve) =>
        framed.fromTransport.write(`${JSON.stringify(message)}\n`, () => resolve()),
      );
    await write({ result: { tools: [] }, jsonrpc: "2.0", id: 8 });
    await write({ method: "notifications/message", jsonrpc: "2.0", params: { id: 7 } });
    await write({ result: {}, jsonrpc: "2.0", id: 7 });
    await write({ result: {}, jsonrpc: "2.0", id: 9 });
    await write({ result: {}, jsonrpc: "2.0", id: 8 });
    assert.deepEqual(
      sent
        .map((text) => JSON.parse(text) as { id?: number; method?: string })
        .map(({ id, method }) => id ?? method),
      ["notifications/message", 9, 8],
    );
  });

  it("ends the SDK's input when the client's input ended before the SDK loaded", async () => {
    const { framed, toTransport } = framing(initializeLine(PLAIN), [7], true);
    await new Promise((resolve) => framed.toTransport.once("end", resolve));
    assert.equal(toTransport.length, 1);
  });
});
