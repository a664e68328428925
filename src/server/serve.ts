// Starts flux-mcp on the chosen transport: the tool catalogue filtered for the mode, the shared
// call runtime (lazy Kubernetes provider, timeout, size limit, masking, call log), and stdio or
// the HTTP server.
import type { KubeProvider } from "../kube/types.ts";
import type { Tool } from "../tools/tool.ts";
import { createCallLog } from "./call-log.ts";
import type { EarlyHandshake } from "./early-handshake.ts";
import type { HttpOptions } from "./http-server.ts";
import { createInFlight } from "./in-flight.ts";
import { defineServer, type ServerDefinition } from "./mcp-server.ts";
import type { CallRuntime } from "./tool-call.ts";
import { DocsShelf } from "./tool-context.ts";

export type TransportName = "stdio" | "sse" | "http";

export interface ServeOptions {
  transport: TransportName;
  http: Omit<HttpOptions, "drainTimeoutMs">;
  tools: readonly Tool[];
  readOnly: boolean;
  inCluster: boolean;
  maskSecrets: boolean;
  timeoutMs: number;
  responseLimit: number;
  callLogFile?: string;
  /** --docs-dir: Markdown searched beside the bundled knowledge base. */
  docsDir?: string;
  /** Creates the Kubernetes provider; called on the first tool call, not at startup. */
  createProvider(): Promise<KubeProvider>;
  version: string;
  log(message: string): void;
  /** Over stdio, the handshake answered while the server loaded; it hands its input over. */
  earlyHandshake?: EarlyHandshake;
}

export interface RunningMcpServer {
  definition: ServerDefinition;
  /** The HTTP base URL; undefined on stdio. */
  url?: string;
  /** Resolves when the client went away (stdin closed); never for HTTP. */
  ended: Promise<void>;
  /** Graceful stop: calls in flight finish and are answered first. */
  close(): Promise<void>;
}

export async function startMcpServer(options: ServeOptions): Promise<RunningMcpServer> {
  const callLog =
    options.callLogFile === undefined ? undefined : createCallLog(options.callLogFile, options.log);
  const runtime: CallRuntime = {
    provider: lazyProvider(options.createProvider),
    docs: new DocsShelf(options.docsDir),
    maskSecrets: options.maskSecrets,
    timeoutMs: options.timeoutMs,
    responseLimit: options.responseLimit,
    ...(callLog && { callLog }),
    calls: createInFlight(),
    log: options.log,
  };
  const mode = { readOnly: options.readOnly, inCluster: options.inCluster };
  const definition = defineServer(options.tools, mode, runtime, options.version);
  const flushLog = async () => callLog?.flush();

  // Each transport's code loads only when it is chosen: stdio starts without the HTTP stack.
  if (options.transport === "stdio") {
    const { serveStdio } = await import("./stdio.ts");
    const earlier = options.earlyHandshake?.handOver();
    const stdio = serveStdio(definition, {
      input: process.stdin,
      output: process.stdout,
      ...(earlier && { earlier }),
    });
    return {
      definition,
      ended: stdio.closed,
      async close() {
        await stdio.close();
        await flushLog();
      },
    };
  }
  const { startHttpServer } = await import("./http-server.ts");
  const http = await startHttpServer(definition, {
    ...options.http,
    drainTimeoutMs: options.timeoutMs + 5_000,
  });
  return {
    definition,
    url: http.url,
    ended: new Promise(() => {}),
    async close() {
      await http.close();
      await flushLog();
    },
  };
}

/** One provider for the process, made on first use; a failed attempt is retried on the next call. */
function lazyProvider(create: () => Promise<KubeProvider>): () => Promise<KubeProvider> {
  let pending: Promise<KubeProvider> | undefined;
  return () => {
    pending ??= create().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
