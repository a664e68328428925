// MCP clients for end-to-end tests, built on the official SDK client and pinned to one protocol
// revision each, so a test names the revision it proves.
import { Client, SSEClientTransport, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { selectTools } from "../../src/server/tool-catalogue.ts";
import { ALL_TOOLS } from "../../src/tools/index.ts";
import { CLI_PATH } from "./run-cli.ts";

/** Every revision clients speak today, oldest first. 2026-07-28 is the stateless one. */
export const REVISIONS = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28"] as const;
export type Revision = (typeof REVISIONS)[number];
export const MODERN_REVISION: Revision = "2026-07-28";

export function clientFor(revision: Revision): Client {
  const options =
    revision === MODERN_REVISION
      ? { versionNegotiation: { mode: { pin: revision } } }
      : { supportedProtocolVersions: [revision] };
  return new Client({ name: "flux-mcp-tests", version: "1.0.0" }, options);
}

/** The environment the server runs with: ours, minus anything that would make it think it is in a pod or a container. */
export function serverEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  const ignored = new Set(["KUBERNETES_SERVICE_HOST", "KUBECONFIG", "FLUX_MCP_HOST"]);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !ignored.has(name)) env[name] = value;
  }
  return { ...env, ...extra };
}

export interface StdioConnection {
  client: Client;
  transport: StdioClientTransport;
  stderr(): string;
}

/** Spawns `node dist/cli.js serve ARGS` and connects over stdio. */
export async function connectStdio(
  args: string[],
  revision: Revision,
  env: Record<string, string> = serverEnvironment(),
): Promise<StdioConnection> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI_PATH, "serve", ...args],
    env,
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const client = clientFor(revision);
  await client.connect(transport);
  return { client, transport, stderr: () => stderr };
}

export async function connectStreamableHttp(
  baseUrl: string,
  revision: Revision,
  headers: Record<string, string> = {},
): Promise<Client> {
  const client = clientFor(revision);
  await client.connect(
    new StreamableHTTPClientTransport(new URL("/mcp", baseUrl), { requestInit: { headers } }),
  );
  return client;
}

export async function connectSse(baseUrl: string, revision: Revision = "2024-11-05"): Promise<Client> {
  const client = clientFor(revision);
  // The deprecated SSE transport on purpose: the server still serves clients that speak only it.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  await client.connect(new SSEClientTransport(new URL("/sse", baseUrl)));
  return client;
}

/** The text of a tools/call result (every flux-mcp tool answers with one text item). */
export function textOf(result: unknown): string {
  const content = ((result as { content?: unknown }).content ?? []) as { type: string; text?: string }[];
  return content.map((item) => item.text ?? "").join("");
}

/** Names tools/list shows in a mode, straight from the catalogue. */
export function catalogueNames(mode: { readOnly: boolean; inCluster: boolean }): string[] {
  return selectTools(ALL_TOOLS, mode).map((tool) => tool.name);
}
