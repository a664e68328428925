// The least a Node MCP server built on the official SDK does before it answers: Node starts, the
// SDK loads, one tool is registered, stdio is served. Bundled like flux-mcp (bench/servers/sdk-floor.ts)
// and measured beside it, it shows how much of flux-mcp's start is its own.
import { enableCompileCache } from "node:module";

enableCompileCache();
const { McpServer } = await import("@modelcontextprotocol/server");
const { StdioServerTransport } = await import("@modelcontextprotocol/server/stdio");
const { z } = await import("zod");

const server = new McpServer({ name: "sdk-floor", version: "1.0.0" });
server.registerTool(
  "echo",
  { description: "Answers its text", inputSchema: z.object({ text: z.string() }) },
  ({ text }) => ({ content: [{ type: "text", text }] }),
);
await server.connect(new StdioServerTransport());
