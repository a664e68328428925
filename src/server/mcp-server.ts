// Builds the McpServer one MCP session talks to: tools/list and tools/call from the filtered
// catalogue, the debugging prompts, and instructions written for the tools on offer. What does not
// change between sessions (listings, instructions) is computed once, in the ServerDefinition.
import {
  McpServer,
  ProtocolError,
  ProtocolErrorCode,
  type CallToolResult,
} from "@modelcontextprotocol/server";
import { z } from "zod";
import { quoted } from "../kube/errors.ts";
import { contextArgument, nameArgument, namespaceArgument } from "../params/bounds.ts";
import type { Tool } from "../tools/tool.ts";
import { serverInstructions } from "./instructions.ts";
import { DEBUG_PROMPTS, debugPlan } from "./prompts.ts";
import { runToolCall, type CallRuntime, type McpSession } from "./tool-call.ts";
import { offerTools, type CatalogueMode, type ListedTool, type OfferedTool } from "./tool-catalogue.ts";
import { warmUp } from "./warm-up.ts";

const SERVER_NAME = "flux-mcp";

export interface ServerDefinition {
  version: string;
  mode: CatalogueMode;
  offered: ReadonlyMap<string, OfferedTool>;
  listings: readonly ListedTool[];
  instructions: string;
  /** Tools of the catalogue this mode leaves out, so calling one gets an explanation. */
  withheld: ReadonlyMap<string, string>;
  runtime: CallRuntime;
}

export function defineServer(
  catalogue: readonly Tool[],
  mode: CatalogueMode,
  runtime: CallRuntime,
  version: string,
): ServerDefinition {
  const offered = offerTools(catalogue, mode);
  const withheld = new Map<string, string>();
  for (const tool of catalogue) {
    if (offered.some((entry) => entry.tool === tool)) continue;
    withheld.set(
      tool.name,
      mode.readOnly && tool.writes
        ? `tool "${tool.name}" is not available: the server runs with --read-only`
        : `tool "${tool.name}" is not available in a pod: it works on a local kubeconfig`,
    );
  }
  return {
    version,
    mode,
    offered: new Map(offered.map((entry) => [entry.tool.name, entry])),
    listings: offered.map((entry) => entry.listing),
    instructions: serverInstructions(
      offered.map((entry) => entry.tool),
      { maskSecrets: runtime.maskSecrets },
    ),
    withheld,
    runtime,
  };
}

export function buildMcpServer(definition: ServerDefinition, session: McpSession): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, title: "Flux MCP", version: definition.version },
    { capabilities: { tools: {} }, instructions: definition.instructions },
  );
  server.server.oninitialized = () => warmUp(definition.runtime);
  server.server.setRequestHandler("tools/list", () => ({ tools: [...definition.listings] }));
  server.server.setRequestHandler("tools/call", async (request, ctx) => {
    const { name, arguments: arguments_, _meta } = request.params;
    const offered = definition.offered.get(name);
    if (!offered) {
      const reason = definition.withheld.get(name) ?? `unknown tool ${quoted(name)}`;
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, reason);
    }
    const progressToken = _meta?.progressToken;
    const answer = await runToolCall(definition.runtime, session, offered, {
      arguments: arguments_,
      signal: ctx.mcpReq.signal,
      ...(progressToken !== undefined && {
        progress: (message: string, progress: number, total?: number) => {
          const params = { progressToken, progress, message, ...(total !== undefined && { total }) };
          ctx.mcpReq.notify({ method: "notifications/progress", params }).catch(() => {});
        },
      }),
    });
    const result: CallToolResult = {
      content: [{ type: "text", text: answer.text }],
      ...(answer.isError && { isError: true }),
    };
    return server.server.projectCallToolResult(result, undefined);
  });
  registerPrompts(server, definition);
  return server;
}

function registerPrompts(server: McpServer, definition: ServerDefinition): void {
  const offered = new Set(definition.offered.keys());
  const argsSchema = z.object({
    name: nameArgument().describe("Name of the Flux object."),
    namespace: namespaceArgument().describe("Namespace of the Flux object."),
    cluster: contextArgument()
      .optional()
      .describe("Kubeconfig context of its cluster; omit for the current one."),
  });
  for (const prompt of DEBUG_PROMPTS) {
    server.registerPrompt(
      prompt.name,
      { title: prompt.title, description: prompt.description, argsSchema },
      (args) => ({
        description: `Debugging plan for ${prompt.kind} ${args.namespace}/${args.name}`,
        messages: [{ role: "user", content: { type: "text", text: debugPlan(prompt, args, offered) } }],
      }),
    );
  }
}
