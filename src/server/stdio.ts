// MCP over stdin/stdout: one session for the life of the process. The SDK's entry picks the
// protocol era from the client's opening message (2025-era initialize, or 2026-07-28 discover).
import type { Readable, Writable } from "node:stream";
import { serveStdio as serveStdioEntry, StdioServerTransport } from "@modelcontextprotocol/server/stdio";
import type { EarlyInput } from "./early-handshake.ts";
import { DEFAULT_MAX_BODY_BYTES } from "./http-body.ts";
import { buildMcpServer, type ServerDefinition } from "./mcp-server.ts";
import { StdioFraming } from "./stdio-framing.ts";

export interface StdioStreams {
  input: Readable;
  output: Writable;
  /** What was read, and maybe answered, before the SDK loaded (early-handshake.ts). */
  earlier?: EarlyInput;
}

export interface StdioServer {
  /** Resolves when the client closes its end of the input. */
  closed: Promise<void>;
  /** Waits for calls in flight, then closes the connection. */
  close(): Promise<void>;
}

export function serveStdio(definition: ServerDefinition, streams: StdioStreams): StdioServer {
  const state = { context: undefined };
  const { input } = streams;
  const closed = new Promise<void>((resolve) => {
    if (input.readableEnded || input.destroyed) return resolve();
    input.once("end", resolve);
    input.once("close", resolve);
  });
  // Messages pass through our framing first: no input (too large, not JSON, a batch) goes unanswered.
  const framing = new StdioFraming({
    ...streams,
    maxMessageBytes: DEFAULT_MAX_BODY_BYTES,
    log: definition.runtime.log,
  });
  const handle = serveStdioEntry(() => buildMcpServer(definition, { state, stateless: false }), {
    transport: new StdioServerTransport(framing.toTransport, framing.fromTransport),
    onerror: (error) => definition.runtime.log(`stdio: ${error.message}`),
  });
  return {
    closed,
    async close() {
      await definition.runtime.calls.idle();
      // The answers of those calls are sent once their handlers' promises settle: let that happen.
      await new Promise((resolve) => setImmediate(resolve));
      await handle.close();
    },
  };
}
