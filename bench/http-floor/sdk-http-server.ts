// The floor of the HTTP load (bench/http-load.ts): the least a Node MCP server on the official SDK
// does to answer the standard questions over Streamable HTTP. Served as flux-mcp serves it (node:http,
// the SDK's Node adapter, a session per 2025-era client, the SDK's per-request handler for
// 2026-07-28 requests, the POST body read and parsed once), with one tool per question that sends
// exactly the question's raw Kubernetes API requests (its `floor` in bench/questions.ts, the ones
// `npm run bench`'s raw API floor sends) over a keep-alive https agent per context, JSON-parses each
// answer (any real server must) and answers a short line of counts. No masking, no formatting, no
// argument checks beyond the SDK's: what it serves a second is the most a Node + SDK server reading
// the same data serves on this machine. Bundled by esbuild as flux-mcp is (bench/bundle.ts).
//
//   node sdk-http-server.js --port 0 --kubeconfig FILE --questions FILE
//     (FILE of --questions: JSON [{ id, context, paths }]; prints "serving MCP at URL/mcp" on stderr)
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { toNodeHandler } from "@modelcontextprotocol/node";
import {
  createMcpHandler,
  isLegacyRequest,
  McpServer,
  WebStandardStreamableHTTPServerTransport,
} from "@modelcontextprotocol/server";
import { z } from "zod";
import { RawApiClient } from "../floor.ts";

export interface FloorQuestion {
  id: string;
  context: string;
  paths: string[];
}

const MCP_PATH = "/mcp";
const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    kubeconfig: { type: "string" },
    questions: { type: "string" },
  },
});
if (values.kubeconfig === undefined || values.questions === undefined)
  throw new Error("--kubeconfig and --questions are required");
const questions = JSON.parse(readFileSync(values.questions, "utf8")) as FloorQuestion[];

/** The bench's raw API client: one keep-alive agent per context, the TLS material decoded once. */
const client = new RawApiClient(readFileSync(values.kubeconfig, "utf8"));

/** GETs a path; a JSON answer parsed, any other (a log) as text. */
async function get(contextName: string, path: string): Promise<unknown> {
  const { body, json } = await client.get(contextName, path);
  const text = body.toString("utf8");
  return json ? (JSON.parse(text) as unknown) : text;
}

/** What a body holds, in a word: a list's item count, an object's kind and name, a log's line count. */
function describe(body: unknown): string {
  if (typeof body === "string") return `${body.split("\n").length} log lines`;
  const object = body as { kind?: string; items?: unknown[]; metadata?: { name?: string } };
  if (Array.isArray(object.items)) return `${object.items.length} ${object.kind ?? "items"}`;
  return `${object.kind ?? "object"} ${object.metadata?.name ?? ""}`;
}

function buildServer(): McpServer {
  const server = new McpServer({ name: "sdk-http-floor", version: "1.0.0" }, { capabilities: { tools: {} } });
  for (const question of questions) {
    server.registerTool(
      question.id,
      { description: `The raw API requests of the question ${question.id}`, inputSchema: z.object({}) },
      async () => {
        const bodies = await Promise.all(question.paths.map((path) => get(question.context, path)));
        return { content: [{ type: "text", text: bodies.map(describe).join("; ") }] };
      },
    );
  }
  return server;
}

const modern = createMcpHandler(() => buildServer(), { legacy: "reject" });
const sessions = new Map<string, WebStandardStreamableHTTPServerTransport>();

async function openSession(request: Request, parsed: { parsedBody: unknown } | undefined): Promise<Response> {
  const server = buildServer();
  const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (id) => {
      sessions.set(id, transport);
    },
  });
  await server.connect(transport);
  server.server.onclose = () => {
    if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
  };
  return transport.handleRequest(request, parsed);
}

const endpointHandler = {
  async fetch(request: Request): Promise<Response> {
    let parsedBody: unknown;
    if (request.method === "POST") parsedBody = JSON.parse(await request.text()) as unknown;
    const parsed = parsedBody === undefined ? undefined : { parsedBody };
    if (!(await isLegacyRequest(request, parsedBody))) return modern.fetch(request, parsed);
    const id = request.headers.get("mcp-session-id");
    if (id === null) return openSession(request, parsed);
    const transport = sessions.get(id);
    if (!transport)
      return Response.json(
        { jsonrpc: "2.0", id: null, error: { code: -32001, message: "no session" } },
        { status: 404 },
      );
    return transport.handleRequest(request, parsed);
  },
};
const handle = toNodeHandler(endpointHandler, {
  onerror: (error) => process.stderr.write(`${error.message}\n`),
});

const httpServer = createServer((request, response) => {
  if (new URL(request.url ?? "/", "http://localhost").pathname !== MCP_PATH) {
    response.writeHead(404).end();
    return;
  }
  void handle(request, response);
});
httpServer.listen(Number(values.port), "127.0.0.1", () => {
  const { port } = httpServer.address() as AddressInfo;
  process.stderr.write(`serving MCP at http://127.0.0.1:${port}${MCP_PATH}\n`);
});
process.on("SIGTERM", () => {
  httpServer.closeAllConnections();
  httpServer.close(() => process.exit(0));
});
