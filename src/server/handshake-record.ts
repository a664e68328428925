// Records, at build time, what the SDK answers an `initialize` with in every serving mode and for
// every protocol version it accepts, by asking it over the same stdio stack `serve` runs, so that
// early-handshake.ts can give that answer before the SDK has loaded.
import { PassThrough } from "node:stream";
import { SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/server";
import type { KubeProvider } from "../kube/types.ts";
import type { Tool } from "../tools/tool.ts";
import { handshakeModeKey, type HandshakeMode, type HandshakeTable } from "./early-handshake.ts";
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
  const table: HandshakeTable = {};
  for (const mode of MODES) {
    const versions: string[] = [];
    let common: Record<string, unknown> | undefined;
    for (const protocolVersion of SUPPORTED_PROTOCOL_VERSIONS) {
      const { protocolVersion: answered, ...result } = await askInitialize(
        tools,
        version,
        mode,
        protocolVersion,
      );
      if (answered !== protocolVersion) continue;
      // One result for every version, or the recording would need more than it holds.
      if (common !== undefined && JSON.stringify(common) !== JSON.stringify(result)) {
        throw new Error(`the SDK's initialize result differs between protocol versions (${protocolVersion})`);
      }
      common = result;
      versions.push(protocolVersion);
    }
    if (common !== undefined) table[handshakeModeKey(mode)] = { versions, result: common };
  }
  return table;
}

/** The SDK's initialize result, from a server on the stdio stack `serve` runs. */
async function askInitialize(
  tools: readonly Tool[],
  version: string,
  mode: HandshakeMode,
  protocolVersion: string,
): Promise<Record<string, unknown>> {
  const definition = defineServer(tools, mode, handshakeOnlyRuntime(mode.maskSecrets), version);
  const input = new PassThrough();
  const output = new PassThrough();
  const server = serveStdio(definition, { input, output });
  const answer = new Promise<string>((resolve) => {
    let text = "";
    output.on("data", (chunk: Buffer) => {
      text += chunk.toString("utf8");
      if (text.includes("\n")) resolve(text.slice(0, text.indexOf("\n")));
    });
  });
  input.write(`${JSON.stringify(initializeRequest(1, protocolVersion))}\n`);
  const message = JSON.parse(await answer) as { result?: Record<string, unknown>; error?: unknown };
  input.end();
  await server.close();
  if (!message.result)
    throw new Error(`the SDK refused initialize ${protocolVersion}: ${JSON.stringify(message.error)}`);
  return message.result;
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
