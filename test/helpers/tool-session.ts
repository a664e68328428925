// Tool tests call tools the way a client does: through the real server (buildMcpServer) and the
// official MCP client over an in-memory linked transport, so argument aliases, the size guard,
// masking, the call log and the timeout all apply. A call that needs its own cancellation signal
// goes through the pipeline the server itself runs (runToolCall), with the same server and session.
import { Client } from "@modelcontextprotocol/client";
import { InMemoryTransport } from "@modelcontextprotocol/server";
import { createKubeProvider } from "../../src/kube/provider.ts";
import type { Impersonation } from "../../src/kube/transport.ts";
import type { KubeProvider } from "../../src/kube/types.ts";
import type { CallLog } from "../../src/server/call-log.ts";
import { createInFlight } from "../../src/server/in-flight.ts";
import { buildMcpServer, defineServer, type ServerDefinition } from "../../src/server/mcp-server.ts";
import { DEFAULT_RESPONSE_LIMIT } from "../../src/server/response-guard.ts";
import { runToolCall, type McpSession } from "../../src/server/tool-call.ts";
import { DocsShelf } from "../../src/server/tool-context.ts";
import { ALL_TOOLS } from "../../src/tools/index.ts";

export interface ToolSessionOptions {
  /** The session's kubeconfig context; default: the kubeconfig's current context. */
  context?: string;
  /** --mask-secrets; default true. */
  maskSecrets?: boolean;
  /** --response-limit; default: the server's default. */
  responseLimit?: number;
  /** --timeout in milliseconds; default: the server's default (one minute). */
  timeoutMs?: number;
  /** --docs-dir. */
  docsDir?: string;
  /** Acts as this user (and groups), the way --kube-as does. */
  impersonate?: Impersonation;
  /** --read-only: write tools are not offered, and the Kubernetes layer refuses writes. */
  readOnly?: boolean;
  /** --tool-call-log-file. */
  callLog?: CallLog;
  /** A provider the test built itself (e.g. read-only below a server that offers every tool). */
  provider?: KubeProvider;
}

export interface ToolAnswer {
  text: string;
  isError: boolean;
}

export interface RunOptions {
  /** The client's cancellation. */
  signal?: AbortSignal;
  /** Receives every progress notification. */
  progress?: (message: string, progress: number, total?: number) => void;
}

/** What a cluster-less session needs of a test API server: a kubeconfig. */
type KubeconfigSource = { kubeconfigPath: string };

/** Calls longer than the server's own timeout are the server's to end, not the client's. */
const CLIENT_TIMEOUT_MS = 10 * 60_000;

/** One MCP session with the real server, over the official client. */
export class ToolSession {
  readonly #client: Client;
  readonly #definition: ServerDefinition;
  readonly #session: McpSession;

  private constructor(client: Client, definition: ServerDefinition, session: McpSession) {
    this.#client = client;
    this.#definition = definition;
    this.#session = session;
  }

  static async open(definition: ServerDefinition, context: string | undefined): Promise<ToolSession> {
    const session: McpSession = { state: { context }, stateless: false };
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await buildMcpServer(definition, session).connect(serverSide);
    const client = new Client({ name: "flux-mcp-tests", version: "1.0.0" });
    await client.connect(clientSide);
    return new ToolSession(client, definition, session);
  }

  /** tools/call by the tool's MCP name; a JSON-RPC error (unknown or withheld tool) rejects. */
  async call(name: string, args: Record<string, unknown> = {}): Promise<ToolAnswer> {
    const result = await this.#client.callTool({ name, arguments: args }, { timeout: CLIENT_TIMEOUT_MS });
    const content = (result.content ?? []) as { type: string; text?: string }[];
    const text = content.map((part) => (part.type === "text" ? (part.text ?? "") : "")).join("");
    return { text, isError: result.isError === true };
  }

  /** The server's own call pipeline, for a call the test cancels or whose progress it records. */
  run(name: string, args: Record<string, unknown>, options: RunOptions = {}): Promise<ToolAnswer> {
    const offered = this.#definition.offered.get(name);
    if (!offered) throw new Error(`tool ${name} is not offered`);
    return runToolCall(this.#definition.runtime, this.#session, offered, {
      arguments: args,
      signal: options.signal ?? new AbortController().signal,
      ...(options.progress && { progress: options.progress }),
    });
  }

  /** Another MCP session with the same server (and so the same provider). */
  another(context?: string): Promise<ToolSession> {
    return ToolSession.open(this.#definition, context);
  }

  async close(): Promise<void> {
    await this.#client.close();
  }
}

/** A server over the test API server's kubeconfig, built as `serve` builds it, and one session with it. */
export async function connectTools(
  api: KubeconfigSource,
  options: ToolSessionOptions = {},
): Promise<ToolSession> {
  const maskSecrets = options.maskSecrets ?? true;
  const readOnly = options.readOnly ?? false;
  const provider =
    options.provider ??
    createKubeProvider({
      kubeconfigPaths: [api.kubeconfigPath],
      readOnly,
      maskSecrets,
      ...(options.impersonate && { impersonate: options.impersonate }),
    });
  const definition = defineServer(
    ALL_TOOLS,
    { readOnly, inCluster: false },
    {
      provider: () => Promise.resolve(provider),
      docs: new DocsShelf(options.docsDir),
      maskSecrets,
      timeoutMs: options.timeoutMs ?? 60_000,
      responseLimit: options.responseLimit ?? DEFAULT_RESPONSE_LIMIT,
      ...(options.callLog && { callLog: options.callLog }),
      calls: createInFlight(),
      log: () => {},
    },
    "0.0.0-test",
  );
  const session = await ToolSession.open(definition, options.context);
  // The server warms the default context up in the background after the handshake; a session
  // starts once that is over, so what a test observes of the cluster is the calls' own doing.
  await provider.warmUp().catch(() => {});
  return session;
}

/** One call in a session of its own, closed afterwards. */
export async function callOnce(
  api: KubeconfigSource,
  options: ToolSessionOptions,
  name: string,
  args: Record<string, unknown> = {},
): Promise<ToolAnswer> {
  const session = await connectTools(api, options);
  try {
    return await session.call(name, args);
  } finally {
    await session.close();
  }
}
