// `flux-mcp serve`: the MCP server, with the reference's flags and defaults (so existing client
// configs work unchanged) plus our own. Reads argv, env and files; the server layer does the rest.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { parseArgs } from "node:util";
import type { KubeProviderOptions } from "../kube/provider.ts";
import type { KubeProvider } from "../kube/types.ts";
import { DEFAULT_MAX_BODY_BYTES } from "../server/http-body.ts";
import { DEFAULT_RESPONSE_LIMIT } from "../server/response-guard.ts";
import { startMcpServer, type ServeOptions, type TransportName } from "../server/serve.ts";
import { ALL_TOOLS } from "../tools/index.ts";
import { parseDuration } from "../tools/input/duration.ts";
import { UsageError } from "./usage-error.ts";
import packageJson from "../../package.json" with { type: "json" };

export const SERVE_HELP = `Usage: flux-mcp serve [flags]

Serves the Model Context Protocol for Kubernetes clusters run by Flux, over stdio (default) or
HTTP. Reads the kubeconfig like kubectl (KUBECONFIG, else ~/.kube/config), or the pod's service
account when running in a cluster.

Flags:
  --transport stdio|sse|http  how clients connect (default stdio); over HTTP, Streamable HTTP is
                              at /mcp and legacy SSE at /sse whichever of sse or http is named
  --port N                    HTTP port (default 8080)
  --host ADDRESS              HTTP bind address (default 127.0.0.1; 0.0.0.0 for every interface)
  --allowed-host NAME         also accept this hostname in Host and Origin headers (repeatable)
  --auth-token-file FILE      require "Authorization: Bearer <token>" on HTTP, token read from FILE
  --read-only                 offer no tool that changes the cluster (default false)
  --mask-secrets              mask Secret values in every answer (default true; --mask-secrets=false)
  --kubeconfig FILE           kubeconfig to use instead of KUBECONFIG or ~/.kube/config
  --kube-context NAME         context to start in (default: the kubeconfig's current context)
  --kube-as USER              impersonate a user or system:serviceaccount:NAMESPACE:NAME
  --kube-as-group GROUP       impersonate a group (repeatable)
  --timeout DURATION          limit per tool call, like 30s, 2m or 1m30s (default 1m)
  --response-limit N          longest answer in characters; longer reads get advice on narrowing
                              them (default ${DEFAULT_RESPONSE_LIMIT})
  --tool-call-log-file FILE   append one JSON line per tool call (secrets masked)
  --docs-dir DIR              also search the Markdown files under DIR with search_flux_docs
                              (for example a local copy of the Flux website's docs)
  --demo                      serve the built-in demo clusters "staging" and "production":
                              no cluster or kubeconfig needed
  -h, --help                  show this help`;

const BOOLEAN_FLAGS = ["read-only", "mask-secrets", "demo", "help"];

export async function runServeCommand(args: string[]): Promise<void> {
  const values = parseFlags(args);
  if (values.help) {
    console.log(SERVE_HELP);
    return;
  }
  const transport = parseTransport(values.transport ?? "stdio");
  if (values.demo && values.kubeconfig !== undefined) {
    throw new UsageError("serve: --demo brings its own clusters; it cannot be combined with --kubeconfig");
  }
  const authToken =
    values["auth-token-file"] === undefined ? undefined : await readToken(values["auth-token-file"]);
  const timeoutMs = parseTimeout(values.timeout ?? "1m");
  const port = parseNumber("--port", values.port ?? "8080", 0, 65535);
  const responseLimit = parseNumber(
    "--response-limit",
    values["response-limit"] ?? String(DEFAULT_RESPONSE_LIMIT),
    1000,
  );
  const log = (message: string) => console.error(`flux-mcp: ${message}`);
  const docsDir = values["docs-dir"];
  if (docsDir !== undefined) {
    // The library reads the directory on the first search, so a missing one is reported there.
    const { createDocsLibrary, useDocsLibrary } = await import("../docs/library.ts");
    useDocsLibrary(createDocsLibrary({ docsDir }));
  }
  const demo = values.demo ? await startDemoCluster() : undefined;
  const kubeconfigPaths = demo
    ? [demo.kubeconfigPath]
    : values.kubeconfig !== undefined
      ? [values.kubeconfig]
      : (process.env.KUBECONFIG ?? "").split(delimiter).filter(Boolean);
  // In a pod with no kubeconfig given, the service account is used, as kubectl does.
  const serviceHost = process.env.KUBERNETES_SERVICE_HOST;
  const inCluster = kubeconfigPaths.length === 0 && Boolean(serviceHost);
  const readOnly = values["read-only"] ?? false;
  const user = values["kube-as"];
  const groups = values["kube-as-group"] ?? [];
  const providerOptions: KubeProviderOptions = {
    kubeconfigPaths,
    ...(values["kube-context"] !== undefined && { context: values["kube-context"] }),
    ...((user !== undefined || groups.length > 0) && {
      impersonate: { ...(user !== undefined && { user }), groups },
    }),
    readOnly,
    maskSecrets: values["mask-secrets"] ?? true,
    warn: log,
    ...(inCluster &&
      serviceHost && {
        inCluster: { host: serviceHost, port: process.env.KUBERNETES_SERVICE_PORT ?? "443" },
      }),
  };

  const options: ServeOptions = {
    transport,
    http: {
      host: values.host ?? "127.0.0.1",
      port,
      allowedHosts: values["allowed-host"] ?? [],
      ...(authToken !== undefined && { authToken }),
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
    },
    tools: ALL_TOOLS,
    readOnly,
    inCluster,
    maskSecrets: values["mask-secrets"] ?? true,
    timeoutMs,
    responseLimit,
    ...(values["tool-call-log-file"] !== undefined && { callLogFile: values["tool-call-log-file"] }),
    createProvider: () => createProvider(providerOptions),
    version: packageJson.version,
    log,
  };

  const server = await startMcpServer(options).catch(async (error: unknown) => {
    await demo?.close();
    throw error;
  });
  if (server.url) {
    const endpoint = transport === "sse" ? "/sse" : "/mcp";
    log(`serving MCP at ${server.url}${endpoint} (Streamable HTTP at /mcp, legacy SSE at /sse)`);
  }
  if (options.readOnly || inCluster) {
    log(`${inCluster ? "in-cluster, " : ""}read-only ${options.readOnly}`);
  }

  const stop = await new Promise<"signal" | "ended">((resolve) => {
    process.once("SIGINT", () => resolve("signal"));
    process.once("SIGTERM", () => resolve("signal"));
    server.ended.then(() => resolve("ended"));
  });
  // Calls in flight get to finish; a second signal does not wait for them.
  const impatient = () => process.exit(1);
  process.once("SIGINT", impatient);
  process.once("SIGTERM", impatient);
  await server.close();
  await demo?.close();
  // Whatever the stdio transport wrote must reach the client before the process ends.
  await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
  log(stop === "ended" ? "client closed stdin; stopped" : "stopped");
  process.exit(0);
}

/** The Kubernetes code (and its client library) is loaded on the first tool call, not before the handshake. */
async function createProvider(options: KubeProviderOptions): Promise<KubeProvider> {
  const { createKubeProvider } = await import("../kube/provider.ts");
  return createKubeProvider(options);
}

/** `serve --demo`: the in-memory API server with the demo fleet, in this process. */
async function startDemoCluster(): Promise<{ kubeconfigPath: string; close(): Promise<void> }> {
  const [{ demoClusterSources }, { loadCluster }, { startApiServer }] = await Promise.all([
    import("../apiserver/demo.ts"),
    import("../apiserver/loader.ts"),
    import("../apiserver/server.ts"),
  ]);
  const clusters = await Promise.all(demoClusterSources().map((source) => loadCluster(source)));
  const apiServer = await startApiServer({ clusters });
  const directory = await mkdtemp(join(tmpdir(), "flux-mcp-demo-"));
  const kubeconfigPath = join(directory, "kubeconfig.yaml");
  await writeFile(kubeconfigPath, apiServer.kubeconfig(), { mode: 0o600 });
  return {
    kubeconfigPath,
    async close() {
      await apiServer.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

function parseFlags(args: string[]) {
  try {
    return parseArgs({
      args: args.flatMap(goStyleBoolean),
      options: {
        transport: { type: "string" },
        port: { type: "string" },
        host: { type: "string" },
        "allowed-host": { type: "string", multiple: true },
        "auth-token-file": { type: "string" },
        "read-only": { type: "boolean" },
        "mask-secrets": { type: "boolean" },
        kubeconfig: { type: "string" },
        "kube-context": { type: "string" },
        "kube-as": { type: "string" },
        "kube-as-group": { type: "string", multiple: true },
        timeout: { type: "string" },
        "response-limit": { type: "string" },
        "tool-call-log-file": { type: "string" },
        "docs-dir": { type: "string" },
        demo: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
      allowNegative: true,
    }).values;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const message = (error as Error).message.replace(/\s*\n\s*/g, " ");
    throw new UsageError(`serve: ${message}; run 'flux-mcp serve --help'`);
  }
}

/** Go's flag syntax for booleans: `--mask-secrets=false`, `--read-only=true`. */
function goStyleBoolean(arg: string): string[] {
  const match = /^--([a-z-]+)=(.*)$/.exec(arg);
  if (!match?.[1] || !BOOLEAN_FLAGS.includes(match[1])) return [arg];
  const [, name, value = ""] = match;
  if (["true", "1", "t", "TRUE", "True", "T"].includes(value)) return [`--${name}`];
  if (["false", "0", "f", "FALSE", "False", "F"].includes(value)) return [`--no-${name}`];
  throw new UsageError(`serve: invalid value "${value}" for --${name}: expected true or false`);
}

function parseTransport(value: string): TransportName {
  if (value === "stdio" || value === "sse" || value === "http") return value;
  throw new UsageError(`serve: unknown transport "${value}": expected stdio, sse or http`);
}

function parseTimeout(value: string): number {
  const milliseconds = parseDuration(value);
  if (milliseconds === undefined || milliseconds <= 0) {
    throw new UsageError(`serve: invalid --timeout "${value}": expected a duration like 30s, 2m or 1m30s`);
  }
  return milliseconds;
}

function parseNumber(flag: string, value: string, min: number, max?: number): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || (max !== undefined && number > max)) {
    const range = max === undefined ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`serve: invalid ${flag} "${value}": expected a whole number ${range}`);
  }
  return number;
}

async function readToken(path: string): Promise<string> {
  let token: string;
  try {
    token = (await readFile(path, "utf8")).trim();
  } catch (error) {
    throw new UsageError(`serve: cannot read --auth-token-file: ${(error as Error).message}`);
  }
  if (!token) throw new UsageError(`serve: --auth-token-file ${path} is empty`);
  return token;
}
