// Records, at build time, what the SDK answers an `initialize` and the `tools/list` after it with,
// in every serving mode and for every protocol version it accepts, by asking it over the same stdio
// stack `serve` runs, so that early-handshake.ts can give those answers before the SDK has loaded.
import { PassThrough } from "node:stream";
import { SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/server";
import type { KubeProvider } from "../kube/types.ts";
import type { Tool } from "../tools/tool.ts";
import {
  handshakeModeKey,
  type HandshakeMode,
  type HandshakeTable,
  type RecordedHandshake,
} from "./early-handshake.ts";
import { createInFlight } from "./in-flight.ts";
import { defineServer } from "./mcp-server.ts";
import { serveStdio } from "./stdio.ts";
import type { CallRuntime } from "./tool-call.ts";
import { DocsShelf } from "./tool-context.ts";

const MODES: readonly HandshakeMode[] = [false, true].flatMap((readOnly) =>
  [false, true].flatMap((inCluster) =>
    [true, false].map((maskSecrets) => ({ readOnly, inCluster, maskSecrets })),
  ),
);

/** An initialize as a client sends it; the answer does not depend on who the client is. */
function initializeRequest(id: number, protocolVersion: string): object {
  return {
    jsonrpc: "2.0",
    id,
    method: "initialize",
    params: { protocolVersion, capabilities: {}, clientInfo: { name: "flux-mcp-build", version: "0" } },
  };
}

export async function recordHandshakes(tools: readonly Tool[], version: string): Promise<HandshakeTable> {
  const table: HandshakeTable = { modes: {}, toolsLists: [] };
  for (const mode of MODES) {
    const versions: string[] = [];
    let common: Omit<RecordedHandshake, "versions"> | undefined;
    for (const protocolVersion of SUPPORTED_PROTOCOL_VERSIONS) {
      const { initialize, toolsList } = await askHandshake(tools, version, mode, protocolVersion);
      const { protocolVersion: answered, ...result } = initialize;
      if (answered !== protocolVersion) continue;
      // One answer for every version, or the recording would need more than it holds.
      const answers = { result, toolsList: JSON.stringify(toolsList) };
      if (common !== undefined && JSON.stringify(common) !== JSON.stringify(answers)) {
        throw new Error(`the SDK's handshake answers differ between protocol versions (${protocolVersion})`);
      }
      common = answers;
      versions.push(protocolVersion);
    }
    if (common === undefined) continue;
    const { result, toolsList } = common;
    if (!table.toolsLists.includes(toolsList)) table.toolsLists.push(toolsList);
    table.modes[handshakeModeKey(mode)] = {
      versions,
      result,
      toolsList: table.toolsLists.indexOf(toolsList),
    };
  }
  return table;
}

const TOOLS_LIST_ID = 2;

/** The SDK's initialize and tools/list results, from a server on the stdio stack `serve` runs. */
async function askHandshake(
  tools: readonly Tool[],
  version: string,
  mode: HandshakeMode,
  protocolVersion: string,
): Promise<{ initialize: Record<string, unknown>; toolsList: Record<string, unknown> }> {
  const definition = defineServer(tools, mode, handshakeOnlyRuntime(mode.maskSecrets), version);
  const input = new PassThrough();
  const output = new PassThrough();
  const server = serveStdio(definition, { input, output });
  const answers = new Promise<string[]>((resolve) => {
    let text = "";
    output.on("data", (chunk: Buffer) => {
      text += chunk.toString("utf8");
      const lines = text.split("\n");
      if (lines.length > 2) resolve(lines.slice(0, 2));
    });
  });
  input.write(`${JSON.stringify(initializeRequest(1, protocolVersion))}\n`);
  input.write(`${JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" })}\n`);
  input.write(`${JSON.stringify({ jsonrpc: "2.0", id: TOOLS_LIST_ID, method: "tools/list" })}\n`);
  const [initialize, toolsList] = (await answers).map(
    (line) => JSON.parse(line) as { id?: unknown; result?: Record<string, unknown>; error?: unknown },
  );
  input.end();
  await server.close();
  if (!initialize?.result)
    throw new Error(`the SDK refused initialize ${protocolVersion}: ${JSON.stringify(initialize?.error)}`);
  if (toolsList?.id !== TOOLS_LIST_ID || !toolsList.result)
    throw new Error(`the SDK answered tools/list with ${JSON.stringify(toolsList)}`);
  return { initialize: initialize.result, toolsList: toolsList.result };
}

/** Enough of a runtime for a server that is asked nothing but initialize (and ping). */
export function handshakeOnlyRuntime(maskSecrets: boolean): CallRuntime {
  return {
    provider: (): Promise<KubeProvider> =>
      Promise.reject(new Error("no cluster while recording the handshake")),
    docs: new DocsShelf(),
    maskSecrets,
    timeoutMs: 60_000,
    responseLimit: 100_000,
    calls: createInFlight(),
    log: () => {},
  };
}
