// The legacy HTTP+SSE transport (MCP 2024-11-05), still used by VS Code setups and the reference's
// Helm chart: `GET /sse` opens an event stream whose first event names the URL to POST messages to
// (`/message?sessionId=…`); every server message goes down the stream. SDK v2 ships only the client
// side of it, so the server side lives here.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  isJSONRPCRequest,
  isJSONRPCResponse,
  parseJSONRPCMessage,
  type JSONRPCMessage,
  type Transport,
} from "@modelcontextprotocol/server";
import { readBody } from "./http-body.ts";
import type { InFlight } from "./in-flight.ts";
import type { SessionSlots } from "./session-slots.ts";
import { buildMcpServer, type ServerDefinition } from "./mcp-server.ts";

const KEEP_ALIVE_MS = 15_000;

export const SSE_PATH = "/sse";
export const SSE_MESSAGE_PATH = "/message";

class SseServerTransport implements Transport {
  readonly sessionId = randomUUID();
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  #response: ServerResponse;
  #exchanges: InFlight;
  /** Requests answered over the stream, so shutdown waits until their answers are written. */
  #open = new Map<string | number, () => void>();
  #keepAlive: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(response: ServerResponse, exchanges: InFlight) {
    this.#response = response;
    this.#exchanges = exchanges;
    response.on("close", () => void this.close());
  }

  async start(): Promise<void> {
    this.#response.writeHead(200, {
      "Content-Type": "text/event-stream",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
    });
    this.#write(`event: endpoint\ndata: ${SSE_MESSAGE_PATH}?sessionId=${this.sessionId}\n\n`);
    this.#keepAlive = setInterval(() => this.#write(": keep-alive\n\n"), KEEP_ALIVE_MS).unref();
  }

  receive(message: JSONRPCMessage): void {
    if (isJSONRPCRequest(message)) this.#open.set(message.id, this.#exchanges.begin());
    this.onmessage?.(message);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.#closed) throw new Error("the SSE stream is closed");
    this.#write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
    if (isJSONRPCResponse(message) && message.id !== undefined) {
      this.#open.get(message.id)?.();
      this.#open.delete(message.id);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#keepAlive);
    for (const done of this.#open.values()) done();
    this.#open.clear();
    this.#response.end();
    this.onclose?.();
  }

  #write(chunk: string): void {
    if (!this.#response.writableEnded) this.#response.write(chunk);
  }
}

export interface LegacySseEndpoint {
  open(request: IncomingMessage, response: ServerResponse): Promise<void>;
  post(request: IncomingMessage, response: ServerResponse, maxBodyBytes: number): Promise<void>;
  close(): Promise<void>;
}

export function createLegacySseEndpoint(
  definition: ServerDefinition,
  exchanges: InFlight,
  slots: SessionSlots,
): LegacySseEndpoint {
  const transports = new Map<string, SseServerTransport>();
  return {
    async open(_request, response) {
      const release = slots.take();
      if (!release) {
        response
          .writeHead(503, { "Content-Type": "text/plain; charset=utf-8" })
          .end(`too many sessions (${slots.max}, --max-sessions): close unused ones or try again later\n`);
        return;
      }
      // The session ends with its stream: a client that goes away frees its slot.
      response.once("close", release);
      const transport = new SseServerTransport(response, exchanges);
      const session = { id: transport.sessionId, state: { context: undefined }, stateless: false };
      const server = buildMcpServer(definition, session);
      transports.set(transport.sessionId, transport);
      await server.connect(transport);
      server.server.onclose = () => transports.delete(transport.sessionId);
    },
    async post(request, response, maxBodyBytes) {
      const body = await readBody(request, response, maxBodyBytes);
      if (body === undefined) return;
      const sessionId = new URL(request.url ?? "", "http://localhost").searchParams.get("sessionId");
      const transport = sessionId ? transports.get(sessionId) : undefined;
      if (!transport) {
        response
          .writeHead(404, { "Content-Type": "text/plain" })
          .end(`unknown SSE session "${sessionId ?? ""}"`);
        return;
      }
      let message: JSONRPCMessage;
      try {
        message = parseJSONRPCMessage(JSON.parse(body));
      } catch {
        response.writeHead(400, { "Content-Type": "text/plain" }).end("the body is not a JSON-RPC message");
        return;
      }
      response.writeHead(202, { "Content-Type": "text/plain" }).end("Accepted");
      transport.receive(message);
    },
    async close() {
      await Promise.all([...transports.values()].map((transport) => transport.close()));
    },
  };
}
