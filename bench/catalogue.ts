// `node bench/catalogue.ts`: what a model reads before its first call, in tokens counted as the bench
// counts them (tools/list as JSON, and the initialize result's instructions), for flux-mcp and the
// peers; then flux-mcp's tools/list cut by tool and by part, to show where its tokens go.
//
//   node bench/catalogue.ts [--servers flux-mcp,kubernetes-mcp-server,mcp-server-kubernetes]
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchArguments } from "./arguments.ts";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { demoClusterSources, loadCluster, startApiServer } from "@flux-mcp/kube-emulator";
import { killAllServers, McpSession } from "./mcp-session.ts";
import { TOKENIZER, tokens } from "./numbers.ts";
import { fluxMcp } from "./servers/flux-mcp.ts";
import { kubernetesMcpServer } from "./servers/kubernetes-mcp-server.ts";
import { mcpServerKubernetes } from "./servers/mcp-server-kubernetes.ts";

const ALL_SERVERS = [fluxMcp, kubernetesMcpServer, mcpServerKubernetes];
const values = benchArguments(import.meta.url, { servers: { type: "string" } });
const wanted = values.servers?.split(",") ?? ALL_SERVERS.map((server) => server.id);
process.on("exit", killAllServers);

/** A tool's tokens split into its parts; `schema` is the input schema without parameter descriptions. */
function toolParts(tool: Tool): Record<string, number | string> {
  const properties = Object.values(
    (tool.inputSchema.properties ?? {}) as Record<string, { description?: string }>,
  );
  const parameterDescriptions = properties.reduce(
    (sum, property) => sum + tokens(JSON.stringify(property.description ?? "")),
    0,
  );
  return {
    tool: tool.name,
    total: tokens(JSON.stringify(tool)),
    description: tokens(JSON.stringify(tool.description ?? "")),
    parameters: properties.length,
    "parameter descriptions": parameterDescriptions,
    schema: tokens(JSON.stringify(tool.inputSchema)) - parameterDescriptions,
    annotations: tokens(JSON.stringify(tool.annotations ?? {})),
    title: tokens(JSON.stringify(tool.title ?? "")),
  };
}

const now = new Date();
const clusters = await Promise.all(demoClusterSources().map((source) => loadCluster(source, now)));
const apiServer = await startApiServer({ clusters, simulation: false });
const directory = await mkdtemp(join(tmpdir(), "flux-mcp-catalogue-"));
try {
  const kubeconfigPath = join(directory, "kubeconfig.yaml");
  await writeFile(kubeconfigPath, apiServer.kubeconfig(), { mode: 0o600 });
  const sizes = [];
  for (const server of ALL_SERVERS.filter((candidate) => wanted.includes(candidate.id))) {
    const unavailable = server.unavailable();
    if (unavailable) {
      process.stderr.write(`${server.id}: skipped, ${unavailable}\n`);
      continue;
    }
    const session = await McpSession.open(server.launch(kubeconfigPath, directory));
    try {
      const listTokens = tokens(JSON.stringify(session.tools));
      const instructionTokens = tokens(session.client.getInstructions() ?? "");
      sizes.push({
        server: server.id,
        tools: session.tools.length,
        "tools/list": listTokens,
        instructions: instructionTokens,
        sum: listTokens + instructionTokens,
      });
      if (server === fluxMcp) {
        const parts = session.tools.map(toolParts).sort((a, b) => Number(b.total) - Number(a.total));
        console.log(`flux-mcp tools/list by tool and part, ${TOKENIZER} tokens:`);
        console.table(parts);
      }
    } finally {
      await session.close();
    }
  }
  console.log(`What a model reads before its first call, ${TOKENIZER} tokens:`);
  console.table(sizes);
} finally {
  await apiServer.close();
  await rm(directory, { recursive: true, force: true });
}
