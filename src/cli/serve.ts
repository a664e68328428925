// `flux-mcp serve`: the MCP server, with the reference's flags and defaults (so existing client
// configs work unchanged) plus our own. Reads argv, env and files; the server layer does the rest.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { parseArgs } from "node:util";
import type { ConnectionOverrides } from "../kube/kubeconfig.ts";
import { SERVICE_ACCOUNT_DIRECTORY } from "../kube/service-account.ts";
import type { KubeProviderOptions } from "../kube/provider.ts";
import type { KubeProvider } from "../kube/types.ts";
import { DEFAULT_MAX_BODY_BYTES } from "../server/http-body.ts";
import { isLoopbackHost } from "../server/http-guards.ts";
import { DEFAULT_RESPONSE_LIMIT } from "../server/response-guard.ts";
import { EarlyHandshake, recordedHandshake } from "../server/early-handshake.ts";
import type { ServeOptions, TransportName } from "../server/serve.ts";
import { parseDuration } from "../params/duration.ts";
import { fromGoSyntax, SERVE_OPTIONS } from "./serve-flags.ts";
import { UsageError } from "./usage-error.ts";
import { kubeconfigPathsFrom } from "./kubeconfig-paths.ts";
import packageJson from "../../package.json" with { type: "json" };

/** The defaults of the flags that have one, as written on the command line: the help says these. */
const SERVE_DEFAULTS = {
  transport: "stdio",
  port: "8080",
  timeout: "1m",
  "max-sessions": "1000",
  "session-idle-timeout": "30m",
  "response-limit": String(DEFAULT_RESPONSE_LIMIT),
} as const;

export const SERVE_HELP = `Usage: flux-mcp serve [flags]

Serves the Model Context Protocol for Kubernetes clusters run by Flux, over stdio (default) or
HTTP. Reads the kubeconfig like kubectl (KUBECONFIG, else ~/.kube/config), or the pod's service
account when running in a cluster. Flags may also come before 'serve'; booleans take =true/=false.

Transport:
  --transport stdio|sse|http  how clients connect (default ${SERVE_DEFAULTS.transport}); over HTTP, Streamable HTTP is
                              at /mcp and legacy SSE at /sse whichever of sse or http is named
  --port N                    HTTP port (default ${SERVE_DEFAULTS.port})
  --host ADDRESS              HTTP bind address (default $FLUX_MCP_HOST if set, else 0.0.0.0 in a
                              pod, else 127.0.0.1); 0.0.0.0 listens on every interface
  --allowed-host NAME         Host and Origin names to accept (repeatable); on loopback, in addition
                              to localhost; elsewhere, the only ones (default: any)
  --auth-token-file FILE      require "Authorization: Bearer <token>" on HTTP, token read from FILE

Tools:
  --read-only                 offer no tool that changes the cluster (default false)
  --mask-secrets              mask Secret values in every answer (default true; --mask-secrets=false)
  --timeout DURATION          limit per tool call, like 30s, 2m or 1m30s (default ${SERVE_DEFAULTS.timeout})
  --max-sessions N            most HTTP sessions open at once; more are refused (default ${SERVE_DEFAULTS["max-sessions"]})
  --session-idle-timeout DURATION
                              close an HTTP session unused for this long (default ${SERVE_DEFAULTS["session-idle-timeout"]})
  --response-limit N          longest answer in characters; longer reads get advice on narrowing
                              them (default ${SERVE_DEFAULTS["response-limit"]})
  --tool-call-log-file FILE   append one JSON line per tool call (secrets masked)
  --docs-dir DIR              also search the Markdown files under DIR with search_flux_docs
                              (for example a local copy of the Flux website's docs)
  --demo                      serve the built-in demo clusters "staging" and "production":
                              no cluster or kubeconfig needed
  --snapshot FILE             serve a support bundle written by 'flux-mcp snapshot', read-only,
                              as a context named after its cluster

Kubernetes (kubectl's flags of the same names, with "kube-" added; they apply to every context):
  --kubeconfig FILE           kubeconfig to use instead of KUBECONFIG or ~/.kube/config
  --kube-context NAME         context to start in (default: the kubeconfig's current context)
  -n, --namespace NAME        namespace of calls that name none (default: the context's, else default)
  --kube-server URL           API server address, e.g. https://10.0.0.1:6443 (no kubeconfig needed)
  --kube-token TOKEN          bearer token, instead of the kubeconfig user's credentials
  --kube-client-certificate FILE
                              client certificate (PEM) for TLS client authentication
  --kube-client-key FILE      the client certificate's private key (PEM)
  --kube-certificate-authority FILE
                              CA certificate(s) (PEM) to verify the API server with
  --kube-tls-server-name NAME name to verify the server certificate against, when it differs
                              from the host of the server URL
  --kube-insecure-skip-tls-verify
                              do not verify the API server's certificate (insecure; default false)
  --kube-as USER              impersonate a user or system:serviceaccount:NAMESPACE:NAME
  --kube-as-group GROUP       impersonate a group (repeatable)
  --kube-as-uid UID           impersonate a UID (with --kube-as)

  -h, --help                  show this help

Environment:
  KUBECONFIG                  kubeconfig files, separated by '${delimiter}' (merged as kubectl does)
  KUBERNETES_SERVICE_HOST/PORT
                              set in a pod: the API server reached with the service account
  FLUX_MCP_HOST               default of --host (the container image sets 0.0.0.0)`;

export async function runServeCommand(args: string[]): Promise<void> {
  const values = parseServeFlags(args);
  if (values.help) {
    console.log(SERVE_HELP);
    return;
  }
  const { transport, port, maskSecrets, timeoutMs, maxSessions, sessionIdleMs, responseLimit } =
    serveSettings(values);
  const connectionFlag = [
    "kubeconfig",
    "kube-server",
    "kube-token",
    "kube-client-certificate",
    "kube-client-key",
    "kube-certificate-authority",
    "kube-tls-server-name",
    "kube-insecure-skip-tls-verify",
  ].find((name) => {
    const value = values[name as keyof typeof values];
    // --kubeconfig "" is no kubeconfig given (kubeconfigPathsFrom).
    return value !== undefined && value !== false && !(name === "kubeconfig" && value === "");
  });
  if (values.snapshot !== undefined && (values.demo || connectionFlag !== undefined)) {
    throw new UsageError(
      `serve: --snapshot brings its own cluster; it cannot be combined with --${values.demo ? "demo" : connectionFlag}`,
    );
  }
  if (values.demo && connectionFlag !== undefined) {
    throw new UsageError(
      `serve: --demo brings its own clusters; it cannot be combined with --${connectionFlag}`,
    );
  }
  const authToken =
    values["auth-token-file"] === undefined ? undefined : await readToken(values["auth-token-file"]);
  const log = (message: string) => console.error(`flux-mcp: ${message}`);
  // The library reads --docs-dir on the first search, so a missing directory is reported there.
  const docsDir = values["docs-dir"];
  const overrides = connectionOverrides(values);
  const namespace = values.namespace === undefined ? undefined : parseNamespace(values.namespace);
  const bringsCluster = values.demo || values.snapshot !== undefined;
  const configuredKubeconfigs = bringsCluster
    ? []
    : kubeconfigPathsFrom(values.kubeconfig, process.env.KUBECONFIG);
  // In a pod with no kubeconfig given, the service account is used, as kubectl does.
  const serviceHost = process.env.KUBERNETES_SERVICE_HOST;
  const inCluster = !bringsCluster && configuredKubeconfigs.length === 0 && Boolean(serviceHost);
  // A snapshot is a record of a cluster: nothing in it is there to change.
  const readOnly = values.snapshot !== undefined || (values["read-only"] ?? false);

  // Every flag is good: a stdio client gets its handshake answered while the rest loads.
  const recorded =
    transport === "stdio" ? recordedHandshake({ readOnly, inCluster, maskSecrets }) : undefined;
  const earlyHandshake =
    recorded &&
    new EarlyHandshake({
      input: process.stdin,
      output: process.stdout,
      recorded,
      maxHeldBytes: DEFAULT_MAX_BODY_BYTES,
    });
  await earlyHandshake?.firstLine;
  const clusters = bringsCluster ? await import("./in-memory-clusters.ts") : undefined;
  const demo = values.demo
    ? await clusters?.startDemoCluster()
    : values.snapshot !== undefined
      ? await clusters?.startSnapshotCluster(values.snapshot)
      : undefined;
  const kubeconfigPaths = demo ? [demo.kubeconfigPath] : configuredKubeconfigs;
  // The directory is movable only so tests can play a pod; in a pod it is always the same.
  const accountDirectory = process.env.FLUX_MCP_SERVICE_ACCOUNT_DIR || SERVICE_ACCOUNT_DIRECTORY;
  const inPod = Boolean(serviceHost) && existsSync(join(accountDirectory, "token"));
  const user = values["kube-as"];
  const groups = values["kube-as-group"] ?? [];
  const uid = values["kube-as-uid"];
  const providerOptions: KubeProviderOptions = {
    kubeconfigPaths,
    ...(values["kube-context"] !== undefined && { context: values["kube-context"] }),
    ...((user !== undefined || groups.length > 0 || uid !== undefined) && {
      impersonate: { ...(user !== undefined && { user }), groups, ...(uid !== undefined && { uid }) },
    }),
    overrides,
    ...(namespace !== undefined && { namespace }),
    readOnly,
    maskSecrets,
    warn: log,
    ...(inCluster &&
      serviceHost && {
        inCluster: {
          host: serviceHost,
          port: process.env.KUBERNETES_SERVICE_PORT ?? "443",
          tokenFile: join(accountDirectory, "token"),
          caFile: join(accountDirectory, "ca.crt"),
          namespaceFile: join(accountDirectory, "namespace"),
        },
      }),
  };
  // A client whose initialize was answered is there to ask: reading its kubeconfig and opening the
  // connection for discovery and the Secret index start before the server loads, so their requests
  // are out while it loads and the first call finds more of them done (the oninitialized warm-up
  // would start them only after the load).
  // Input gets its turn before the warm-up's answers take the event loop: the tools/list a client
  // sends the moment its initialize is answered is answered early too.
  let earlyProvider = earlyHandshake?.answered
    ? warmedProvider(providerOptions, () => earlyHandshake.readArrived())
    : undefined;
  // Not failing here: what went wrong is the first call's to report.
  await earlyProvider?.catch(() => undefined);
  const [{ startMcpServer }, { ALL_TOOLS }] = await Promise.all([
    import("../server/serve.ts"),
    import("../tools/index.ts"),
  ]);

  // Reached through a Service or a published container port, a pod or a container listens on
  // every interface, as the reference does; a workstation keeps the server to itself.
  const host = values.host ?? (process.env.FLUX_MCP_HOST || (inPod ? "0.0.0.0" : "127.0.0.1"));

  const options: ServeOptions = {
    transport,
    http: {
      host,
      port,
      allowedHosts: values["allowed-host"] ?? [],
      ...(authToken !== undefined && { authToken }),
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
      maxSessions,
      sessionIdleMs,
    },
    tools: ALL_TOOLS,
    readOnly,
    inCluster,
    maskSecrets,
    timeoutMs,
    responseLimit,
    ...(values["tool-call-log-file"] !== undefined && { callLogFile: values["tool-call-log-file"] }),
    ...(docsDir !== undefined && { docsDir }),
    createProvider: () => {
      const provider = earlyProvider ?? createProvider(providerOptions);
      earlyProvider = undefined;
      return provider;
    },
    version: packageJson.version,
    log,
    ...(earlyHandshake && { earlyHandshake }),
  };

  const server = await startMcpServer(options).catch(async (error: unknown) => {
    await demo?.close();
    throw error;
  });
  if (server.url) {
    const endpoint = transport === "sse" ? "/sse" : "/mcp";
    if (authToken === undefined && !isLoopbackHost(host)) {
      log(
        `warning: listening on ${host} without --auth-token-file: whoever reaches port ${new URL(server.url).port} can use every tool; require a token or restrict who connects (NetworkPolicy, firewall)`,
      );
    }
    log(`serving MCP at ${server.url}${endpoint} (Streamable HTTP at /mcp, legacy SSE at /sse)`);
  }
  if (options.readOnly || inCluster) {
    log(`${inCluster ? "in-cluster, " : ""}read-only ${options.readOnly}`);
  }

  const stop = await new Promise<"signal" | "ended">((resolve) => {
    process.once("SIGINT", () => resolve("signal"));
    process.once("SIGTERM", () => resolve("signal"));
    void server.ended.then(() => resolve("ended"));
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

/**
 * The provider with its warm-up begun; a failed warm-up is left for the first call to meet and
 * report. `beforeWarmUp` runs once the provider is made, before the warm-up's requests go out.
 */
async function warmedProvider(
  options: KubeProviderOptions,
  beforeWarmUp: () => Promise<void>,
): Promise<KubeProvider> {
  const provider = await createProvider(options);
  await beforeWarmUp();
  provider.warmUp().catch(() => {});
  return provider;
}

type ServeFlags = ReturnType<typeof parseServeFlags>;

export function parseServeFlags(args: string[]) {
  try {
    return parseArgs({
      args: args.flatMap((arg) => fromGoSyntax(arg, "serve")),
      options: SERVE_OPTIONS,
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

/** What the flags with a default set, defaults filled in and checked. */
export function serveSettings(values: ServeFlags) {
  return {
    transport: parseTransport(values.transport ?? SERVE_DEFAULTS.transport),
    port: parseNumber("--port", values.port ?? SERVE_DEFAULTS.port, 0, 65535),
    maskSecrets: values["mask-secrets"] ?? true,
    timeoutMs: parseDurationFlag("--timeout", values.timeout ?? SERVE_DEFAULTS.timeout),
    maxSessions: parseNumber("--max-sessions", values["max-sessions"] ?? SERVE_DEFAULTS["max-sessions"], 1),
    sessionIdleMs: parseDurationFlag(
      "--session-idle-timeout",
      values["session-idle-timeout"] ?? SERVE_DEFAULTS["session-idle-timeout"],
    ),
    responseLimit: parseNumber(
      "--response-limit",
      values["response-limit"] ?? SERVE_DEFAULTS["response-limit"],
      1000,
    ),
  };
}

/** The kubectl-like connection flags, checked the way kubectl checks them. */
function connectionOverrides(values: ServeFlags): ConnectionOverrides {
  const insecure = values["kube-insecure-skip-tls-verify"] ?? false;
  const certificateAuthority = values["kube-certificate-authority"];
  if (insecure && certificateAuthority !== undefined) {
    throw new UsageError(
      "serve: --kube-certificate-authority and --kube-insecure-skip-tls-verify exclude each other: a CA is only used to verify",
    );
  }
  const server = values["kube-server"];
  const overrides: ConnectionOverrides = {
    ...(server !== undefined && { server: parseServerUrl(server) }),
    ...(values["kube-tls-server-name"] !== undefined && { tlsServerName: values["kube-tls-server-name"] }),
    ...(certificateAuthority !== undefined && { certificateAuthority }),
    ...(insecure && { insecureSkipTlsVerify: true }),
    ...(values["kube-token"] !== undefined && { token: values["kube-token"] }),
    ...(values["kube-client-certificate"] !== undefined && {
      clientCertificate: values["kube-client-certificate"],
    }),
    ...(values["kube-client-key"] !== undefined && { clientKey: values["kube-client-key"] }),
  };
  for (const [flag, file] of [
    ["--kube-certificate-authority", overrides.certificateAuthority],
    ["--kube-client-certificate", overrides.clientCertificate],
    ["--kube-client-key", overrides.clientKey],
  ] as const) {
    if (file !== undefined && !existsSync(file)) throw new UsageError(`serve: ${flag} ${file}: no such file`);
  }
  return overrides;
}

/** Like kubectl, a server without a scheme is HTTPS. */
function parseServerUrl(value: string): string {
  const url = value.includes("://") ? value : `https://${value}`;
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new UsageError(`serve: invalid --kube-server "${value}": expected a URL like https://host:6443`);
  }
  return url;
}

function parseNamespace(value: string): string {
  // The rule Kubernetes applies to namespace names (an RFC 1123 label).
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(value)) {
    throw new UsageError(`serve: invalid --namespace "${value}": expected a namespace name like flux-system`);
  }
  return value;
}

function parseTransport(value: string): TransportName {
  if (value === "stdio" || value === "sse" || value === "http") return value;
  throw new UsageError(`serve: unknown transport "${value}": expected stdio, sse or http`);
}

function parseDurationFlag(flag: string, value: string): number {
  const milliseconds = parseDuration(value);
  if (milliseconds === undefined || milliseconds <= 0) {
    throw new UsageError(`serve: invalid ${flag} "${value}": expected a duration like 30s, 2m or 1m30s`);
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
