// Streamable HTTP at /mcp, for every protocol revision in use: 2026-07-28 requests (which carry
// their protocol version in `_meta`) are served statelessly by the SDK's per-request handler;
// 2025-era clients (2025-03-26 … 2025-11-25, and 2024-11-05 clients trying it) get a real session
// (Mcp-Session-Id), so the context they switch to stays theirs.
import { randomUUID } from "node:crypto";
import {
  createMcpHandler,
  isLegacyRequest,
  WebStandardStreamableHTTPServerTransport,
  type McpServer,
} from "@modelcontextprotocol/server";
import { buildMcpServer, type ServerDefinition } from "./mcp-server.ts";
import type { SessionSlots } from "./session-slots.ts";
import type { McpSession } from "./tool-call.ts";

export const MCP_PATH = "/mcp";

/** How often idle sessions are looked for, at most. */
const SWEEP_INTERVAL_MS = 60_000;

interface LegacySession {
  transport: WebStandardStreamableHTTPServerTransport;
  server: McpServer;
  lastUsed: number;
}

export interface StreamableHttpEndpoint {
  fetch(request: Request): Promise<Response>;
  readonly sessionCount: number;
  close(): Promise<void>;
}

export interface StreamableHttpOptions {
  maxBodyBytes: number;
  /** Shared with legacy SSE: a new session is refused (503) once they are all taken. */
  slots: SessionSlots;
  /** A 2025-era session nobody used for this long is closed (--session-idle-timeout). */
  sessionIdleMs: number;
}

export function createStreamableHttpEndpoint(
  definition: ServerDefinition,
  { maxBodyBytes, slots, sessionIdleMs }: StreamableHttpOptions,
): StreamableHttpEndpoint {
  const log = (error: Error) => definition.runtime.log(`http: ${error.message}`);
  const modern = createMcpHandler(
    () => buildMcpServer(definition, { state: { context: undefined }, stateless: true }),
    { legacy: "reject", onerror: log, maxRequestBodySize: maxBodyBytes },
  );
  const sessions = new Map<string, LegacySession>();
  const sweeper = setInterval(
    () => {
      const now = Date.now();
      for (const entry of sessions.values()) {
        if (now - entry.lastUsed > sessionIdleMs) void entry.server.close();
      }
    },
    Math.min(SWEEP_INTERVAL_MS, sessionIdleMs),
  ).unref();

  async function openSession(
    request: Request,
    parsed: { parsedBody: unknown } | undefined,
  ): Promise<Response> {
    const release = slots.take();
    if (!release) {
      return jsonRpcError(
        503,
        -32000,
        `too many sessions (${slots.max}, --max-sessions): close unused ones or try again later`,
      );
    }
    const session: McpSession = { state: { context: undefined }, stateless: false };
    const server = buildMcpServer(definition, session);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      maxRequestBodySize: maxBodyBytes,
      onsessioninitialized: (id) => {
        session.id = id;
        sessions.set(id, { transport, server, lastUsed: Date.now() });
      },
    });
    await server.connect(transport);
    server.server.onclose = () => {
      if (session.id !== undefined) sessions.delete(session.id);
      release();
    };
    const response = await transport.handleRequest(request, parsed);
    // Anything but a successful initialize leaves no session behind.
    if (session.id === undefined) {
      await server.close();
      release();
    }
    return response;
  }

  return {
    async fetch(request) {
      // The body is read and parsed once, here, and handed on parsed: routing on the protocol
      // revision and the transport would each read (a clone) and parse it again.
      const body = await parseBody(request);
      const parsed = body.parsed === undefined ? undefined : { parsedBody: body.parsed };
      if (!(await isLegacyRequest(body.request, body.parsed, { maxRequestBodySize: maxBodyBytes }))) {
        return modern.fetch(body.request, parsed);
      }
      const id = body.request.headers.get("mcp-session-id");
      if (id === null) return openSession(body.request, parsed);
      const entry = sessions.get(id);
      if (!entry) return jsonRpcError(404, -32001, "Session not found: start a new one with initialize");
      entry.lastUsed = Date.now();
      return entry.transport.handleRequest(body.request, parsed);
    },
    get sessionCount() {
      return sessions.size;
    },
    async close() {
      clearInterval(sweeper);
      await modern.close();
      await Promise.all([...sessions.values()].map((entry) => entry.server.close()));
    },
  };
}

/**
 * A POST's body parsed as JSON, the request left to serve it. A body that is not JSON (or empty) is
 * not parsed: the request is rebuilt around the text read, for the SDK to answer as it always does.
 */
async function parseBody(request: Request): Promise<{ request: Request; parsed?: unknown }> {
  if (request.method !== "POST") return { request };
  const text = await request.text();
  try {
    return { request, parsed: JSON.parse(text) as unknown };
  } catch {
    const { url, method, headers, signal } = request;
    return { request: new Request(url, { method, headers, signal, body: text }) };
  }
}

function jsonRpcError(status: number, code: number, message: string): Response {
  return Response.json({ jsonrpc: "2.0", id: null, error: { code, message } }, { status });
}
