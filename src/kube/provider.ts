// The KubeProvider: reads the kubeconfig (or the in-cluster service account) on first use, and
// keeps one client per context, each with its own connections, credentials, discovery and Secret
// values. Creating it does nothing: plain kubeconfigs (certificates, tokens) are read by our own
// code, and the Kubernetes client library is imported only for a context that needs it (exec
// plugins, auth providers, proxies), so neither the handshake nor most first calls pay for it; a bad
// kubeconfig surfaces as a KubeError from the calls rather than at startup.
import { contextEntries, libraryCredentials, plainCredentials, type ClientLibrary } from "./client-config.ts";
import { createDiscovery } from "./discovery.ts";
import type { RequestOrigin } from "./errors.ts";
import { CallKube, secretSource, sendJson, type ContextClient } from "./kube.ts";
import { SecretIndex } from "./masking/secret-index.ts";
import {
  IN_CLUSTER_CONTEXT,
  inClusterKubeconfig,
  loadKubeconfigs,
  type ConnectionOverrides,
  type InClusterLocation,
  type MergedKubeconfig,
} from "./kubeconfig.ts";
import { HttpTransport, type Impersonation } from "./transport.ts";
import { KubeError, type ContextInfo, type Kube, type KubeProvider } from "./types.ts";

export interface KubeProviderOptions {
  /**
   * Kubeconfig paths, merged like kubectl merges KUBECONFIG (first file wins per named entry;
   * current-context from the first file that sets it). Empty: in-cluster when `inCluster` is given,
   * else ~/.kube/config.
   */
  kubeconfigPaths: string[];
  /** --kube-context: the default context. */
  context?: string;
  /** --kube-as / --kube-as-group / --kube-as-uid: impersonation on every request. */
  impersonate?: Impersonation;
  /** --kube-server, --kube-token, --kube-certificate-authority ...: over every context's own entries. */
  overrides?: ConnectionOverrides;
  /** -n/--namespace: the namespace of calls that name none, in every context (else the context's own). */
  namespace?: string;
  /** Refuse every write verb (create/update/patch/delete) before any request is sent. */
  readOnly: boolean;
  /** KUBERNETES_SERVICE_HOST/PORT when set, and the service account files (overridable for tests). */
  inCluster?: InClusterLocation;
  /** Mask Secret values in everything a Kube answers (--mask-secrets); default true. */
  maskSecrets?: boolean;
  /** Diagnostics for the operator (stderr). */
  warn?: (message: string) => void;
}

export function createKubeProvider(options: KubeProviderOptions): KubeProvider {
  const inCluster = options.kubeconfigPaths.length === 0 && options.inCluster !== undefined;
  let config: Promise<MergedKubeconfig> | undefined;
  const clients = new Map<string, Promise<ContextClient>>();

  const loadConfig = (): Promise<MergedKubeconfig> => {
    if (!config) {
      const loading =
        inCluster && options.inCluster
          ? inClusterKubeconfig(options.inCluster)
          : loadKubeconfigs(options.kubeconfigPaths, options.overrides?.server !== undefined);
      config = loading;
      // A kubeconfig fixed after a failure is read again on the next call.
      loading.catch(() => {
        if (config === loading) config = undefined;
      });
    }
    return config;
  };

  const defaultContext = async (): Promise<string> => {
    const merged = await loadConfig();
    if (inCluster) return IN_CLUSTER_CONTEXT;
    const name = options.context ?? merged.currentContext;
    if (name === undefined) {
      const known = [...merged.contexts.keys()].join(", ") || "none";
      throw new KubeError(
        "Config",
        `the kubeconfig (${merged.source}) sets no current-context: choose one with --kube-context (contexts: ${known})`,
      );
    }
    return name;
  };

  const clientFor = (name: string): Promise<ContextClient> => {
    let client = clients.get(name);
    if (!client) {
      const creating = createContextClient(name, loadConfig(), options);
      client = creating;
      clients.set(name, creating);
      creating.catch(() => {
        if (clients.get(name) === creating) clients.delete(name);
      });
    }
    return client;
  };

  return {
    inCluster,
    async contexts(): Promise<ContextInfo[]> {
      if (inCluster) return [];
      const merged = await loadConfig();
      const current = options.context ?? merged.currentContext;
      return [...merged.contexts].map(([name, context]) => ({
        name,
        cluster: context.cluster,
        user: context.user,
        ...(context.namespace !== undefined && { namespace: context.namespace }),
        current: name === current,
      }));
    },
    defaultContext,
    async forContext(context, signal): Promise<Kube> {
      const name = context ?? (await defaultContext());
      if (inCluster && name !== IN_CLUSTER_CONTEXT) {
        throw new KubeError(
          "Config",
          `context "${name}" does not exist in-cluster: the only one is ${IN_CLUSTER_CONTEXT}`,
        );
      }
      return new CallKube(await clientFor(name), signal);
    },
    async warmUp(): Promise<void> {
      const client = await clientFor(await defaultContext());
      // Discovery's requests also open the connection (TCP, TLS) the first call will reuse. The
      // Secret index is kept current by its watch once listed, so listing it now misses nothing; the
      // wait is bounded so that a stuck list is still abandoned when no call waits for it.
      await Promise.all([
        client.discovery.kinds(),
        client.secrets?.ready(AbortSignal.timeout(SECRET_WARM_UP_MS)),
      ]);
    },
  };
}

/** How long the warm-up waits for the Secret index before leaving it to the first call. */
const SECRET_WARM_UP_MS = 10_000;

let library: Promise<ClientLibrary> | undefined;
/** The client library takes most of a second to load: imported once, when a kubeconfig first needs it. */
function clientLibrary(): Promise<ClientLibrary> {
  library ??= import("./client-library.ts");
  return library;
}

async function createContextClient(
  name: string,
  loadingConfig: Promise<MergedKubeconfig>,
  options: KubeProviderOptions,
): Promise<ContextClient> {
  const merged = await loadingConfig;
  const entries = contextEntries(merged, name, options.overrides);
  const credentials = plainCredentials(entries) ?? libraryCredentials(await clientLibrary(), entries);
  const context = merged.contexts.get(name);
  const impersonation = impersonationFor(merged.users.get(context?.user ?? "") ?? {}, options.impersonate);
  const origin: RequestOrigin = {
    context: name,
    server: credentials.server,
    identity: describeIdentity(impersonation),
    ...(impersonation?.user !== undefined && { user: impersonation.user }),
  };
  const client: ContextClient = {
    origin,
    namespace: options.namespace ?? context?.namespace ?? "default",
    readOnly: options.readOnly,
    transport: new HttpTransport(credentials, origin, impersonation),
    discovery: createDiscovery(
      (path, signal, accept) =>
        sendJson(
          client,
          { method: "GET", path, signal, ...(accept !== undefined && { accept }) },
          { description: `API discovery (${path})`, verb: "get" },
        ),
      name,
    ),
    secrets: undefined,
  };
  if (options.maskSecrets !== false) {
    client.secrets = new SecretIndex(secretSource(client), options.warn ?? (() => {}));
  }
  return client;
}

/** Each of --kube-as, --kube-as-group and --kube-as-uid wins over the kubeconfig user's own `as`, `as-groups`, `as-uid`. */
function impersonationFor(
  user: Record<string, unknown>,
  flags: Impersonation | undefined,
): Impersonation | undefined {
  const asGroups = Array.isArray(user["as-groups"]) ? user["as-groups"].map(String) : [];
  const name = flags?.user ?? textOrUndefined(user.as);
  const uid = flags?.uid ?? textOrUndefined(user["as-uid"]);
  const impersonation: Impersonation = {
    ...(name !== undefined && { user: name }),
    groups: flags?.groups?.length ? flags.groups : asGroups,
    ...(uid !== undefined && { uid }),
  };
  const impersonating =
    impersonation.user !== undefined || impersonation.uid !== undefined || impersonation.groups?.length;
  return impersonating ? impersonation : undefined;
}

function textOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** `as user "bob" with groups "dev", "ops" with uid "1234"`; empty when the kubeconfig's own identity is used. */
function describeIdentity(impersonation: Impersonation | undefined): string {
  if (!impersonation) return "";
  const groups = (impersonation.groups ?? []).map((group) => JSON.stringify(group)).join(", ");
  const user = impersonation.user === undefined ? "" : `as user ${JSON.stringify(impersonation.user)}`;
  const inGroups = groups ? `with groups ${groups}` : "";
  const uid = impersonation.uid === undefined ? "" : `with uid ${JSON.stringify(impersonation.uid)}`;
  return [user, inGroups, uid].filter(Boolean).join(" ");
}
