// The HTTP side: Streamable HTTP at /mcp, legacy SSE at /sse + /message, health at /healthz and
// /readyz, behind the Host/Origin and bearer-token checks and a request body cap. Shutdown drains:
// no new work is accepted, calls in flight finish and are answered, then connections close.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { toNodeHandler } from "@modelcontextprotocol/node";
import { bearerCheck, hostPolicy, hostProblem, malformedHost } from "./http-guards.ts";
import { createInFlight } from "./in-flight.ts";
import { createLegacySseEndpoint, SSE_MESSAGE_PATH, SSE_PATH } from "./legacy-sse.ts";
import type { ServerDefinition } from "./mcp-server.ts";
import { SessionSlots } from "./session-slots.ts";
import { createStreamableHttpEndpoint, MCP_PATH } from "./streamable-http.ts";

export interface HttpOptions {
  host: string;
  port: number;
  /** Extra hostnames the Host and Origin headers may name. */
  allowedHosts: readonly string[];
  /** When set, every MCP request must carry `Authorization: Bearer <token>`. */
  authToken?: string;
  maxBodyBytes: number;
  /** Most HTTP sessions (Streamable HTTP and legacy SSE) open at once. */
  maxSessions: number;
  /** A Streamable HTTP session unused for this long is closed. */
  sessionIdleMs: number;
  /** How long a shutdown waits for calls in flight before closing anyway. */
  drainTimeoutMs: number;
}

export interface RunningHttpServer {
  /** Base URL, e.g. http://127.0.0.1:8080 */
  url: string;
  /** Stops accepting work, lets calls in flight finish, closes every connection. */
  close(): Promise<void>;
}

export async function startHttpServer(
  definition: ServerDefinition,
  options: HttpOptions,
): Promise<RunningHttpServer> {
  const policy = hostPolicy(options.host, options.allowedHosts);
  const authorized = options.authToken === undefined ? () => true : bearerCheck(options.authToken);
  // Exchanges whose answer is still to be written: POSTs, and requests answered over an SSE stream.
  const exchanges = createInFlight();
  const slots = new SessionSlots(options.maxSessions);
  const streamable = createStreamableHttpEndpoint(definition, {
    maxBodyBytes: options.maxBodyBytes,
    slots,
    sessionIdleMs: options.sessionIdleMs,
  });
  const streamableNode = toNodeHandler(streamable, {
    maxRequestBodySize: options.maxBodyBytes,
    onerror: (error) => definition.runtime.log(`http: ${error.message}`),
  });
  const sse = createLegacySseEndpoint(definition, exchanges, slots);
  let draining = false;

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    if (path === "/healthz") return text(response, 200, "ok");
    if (path === "/readyz")
      return draining ? text(response, 503, "shutting down") : text(response, 200, "ok");
    if (path !== MCP_PATH && path !== SSE_PATH && path !== SSE_MESSAGE_PATH)
      return text(response, 404, "not found");
    const malformed = malformedHost(request);
    if (malformed) return text(response, 400, malformed);
    const refused = hostProblem(request, policy);
    if (refused) return text(response, 403, refused);
    if (!authorized(request)) {
      response.setHeader("WWW-Authenticate", 'Bearer realm="flux-mcp"');
      return text(response, 401, "missing or wrong bearer token");
    }
    if (draining) {
      response.setHeader("Connection", "close");
      return text(response, 503, "shutting down");
    }
    if (path === MCP_PATH) return streamableNode(request, response);
    if (path === SSE_PATH && request.method === "GET") return sse.open(request, response);
    if (path === SSE_MESSAGE_PATH && request.method === "POST")
      return sse.post(request, response, options.maxBodyBytes);
    response.setHeader("Allow", path === SSE_PATH ? "GET" : "POST");
    return text(response, 405, "method not allowed");
  }

  const server = createServer((request, response) => {
    // Long-lived GET streams carry no exchange of their own; everything else must be answered.
    if (request.method !== "GET") response.once("close", exchanges.begin());
    route(request, response).catch((error: unknown) => {
      definition.runtime.log(`http: ${(error as Error).message}`);
      if (!response.headersSent) text(response, 500, "internal error");
      else response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    url: `http://${hostForUrl}:${address.port}`,
    async close() {
      draining = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const drained = Promise.all([definition.runtime.calls.idle(), exchanges.idle()]);
      await Promise.race([drained, delay(options.drainTimeoutMs)]);
      await Promise.all([streamable.close(), sse.close()]);
      server.closeAllConnections();
      await stopped;
    },
  };
}

function text(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" }).end(`${body}\n`);
}

function delay(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds).unref());
}
