// A reference for the handshake, not a server that answers questions: the smallest MCP server on
// the official SDK (bench/startup-floor/sdk-server.ts), bundled by esbuild as flux-mcp is.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleLikeFluxMcp } from "../bundle.ts";
import packageJson from "../../package.json" with { type: "json" };
import { cleanEnvironment, type HandshakeReference } from "./server.ts";

const SOURCE = fileURLToPath(new URL("../startup-floor/sdk-server.ts", import.meta.url));

/** Bundles the floor server into `directory` and says how to start it. */
export async function sdkFloor(directory: string): Promise<HandshakeReference> {
  const bundle = join(directory, "sdk-floor.js");
  await bundleLikeFluxMcp(SOURCE, bundle);
  const sdkVersion = packageJson.devDependencies["@modelcontextprotocol/server"].replace(/^\^/, "");
  return {
    id: "sdk-floor",
    label: `Node + MCP SDK ${sdkVersion}, one tool (floor)`,
    unavailable: () => undefined,
    firstCall: { tool: "echo", args: { text: "ready" } },
    launch: (_kubeconfigPath, home) => ({
      command: process.execPath,
      args: [bundle],
      env: cleanEnvironment(home),
    }),
  };
}
