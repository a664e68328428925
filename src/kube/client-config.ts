// One context of the merged kubeconfig, ready to connect: its cluster and user entries with the
// connection flags (--kube-server, --kube-token, ...) applied over them, and the Credentials that
// turn them into TLS material and headers. Plain entries (CA, client certificate, token, token
// file, basic auth) are read by our own code; the rest (exec plugins, auth providers, proxies)
// goes to the client library's KubeConfig, its own instance per context (its credential caches
// are per instance), so the library is loaded only for a kubeconfig that needs it.
import type https from "node:https";
import type * as ClientNode from "./client-library.ts";
import { CredentialFiles } from "./credential-files.ts";
import type { ConnectionOverrides, MergedKubeconfig } from "./kubeconfig.ts";
import { oneLine } from "./errors.ts";
import type { Credentials } from "./transport.ts";
import { KubeError } from "./types.ts";

export type ClientLibrary = typeof ClientNode;

/** A context's entries after the flags, checked: a server URL is there. */
export interface ContextEntries {
  context: string;
  clusterName: string;
  userName: string;
  cluster: Section & { server: string };
  user: Section;
}

export function contextEntries(
  config: MergedKubeconfig,
  name: string,
  overrides: ConnectionOverrides = {},
): ContextEntries {
  const context = config.contexts.get(name);
  if (!context) {
    const known = [...config.contexts.keys()].join(", ") || "none";
    throw new KubeError(
      "Config",
      `context "${name}" is not in the kubeconfig (${config.source}); contexts: ${known}`,
    );
  }
  const defined = config.clusters.get(context.cluster);
  const cluster = defined && withClusterOverrides(defined, overrides);
  if (!cluster || typeof cluster.server !== "string" || cluster.server === "") {
    throw new KubeError(
      "Config",
      `context ${name} names cluster "${context.cluster}", which the kubeconfig (${config.source}) does not define with a server`,
    );
  }
  if (!URL.canParse(cluster.server)) {
    throw new KubeError("Config", `the server of context ${name} is not a URL: ${cluster.server}`);
  }
  return {
    context: name,
    clusterName: context.cluster,
    userName: context.user || "anonymous",
    cluster: { ...cluster, server: cluster.server },
    user: withUserOverrides(config.users.get(context.user) ?? {}, overrides),
  };
}

/** User fields our own code reads; any other field (exec, auth-provider…) needs the client library. */
const PLAIN_USER_FIELDS = new Set([
  "token",
  "tokenFile",
  "client-certificate",
  "client-certificate-data",
  "client-key",
  "client-key-data",
  "username",
  "password",
  // Impersonation: sent as headers by the transport, not a credential.
  "as",
  "as-groups",
  "as-uid",
  "as-user-extra",
]);
const PLAIN_CLUSTER_FIELDS = new Set([
  "server",
  "certificate-authority",
  "certificate-authority-data",
  "insecure-skip-tls-verify",
  "tls-server-name",
  "extensions",
  "disable-compression",
]);

/** Our own Credentials for the entries, or undefined when they need the client library. */
export function plainCredentials(entries: ContextEntries): Credentials | undefined {
  const { cluster, user } = entries;
  const plain = (section: Section, fields: Set<string>) =>
    Object.entries(section).every(
      ([field, value]) => fields.has(field) || value === undefined || value === null || value === "",
    );
  if (!plain(cluster, PLAIN_CLUSTER_FIELDS) || !plain(user, PLAIN_USER_FIELDS)) return undefined;
  return new PlainCredentials(entries);
}

/**
 * kubectl's rules for the plain fields: data wins over its file, a token (or token file) over basic
 * auth, skipping verification drops the CA. Files are looked at on every request, as the library
 * does, so a rotated token or certificate is picked up; one that has not changed is not read again.
 */
class PlainCredentials implements Credentials {
  readonly server: string;
  readonly proxied = false;
  readonly #entries: ContextEntries;

  /** The kubeconfig's base64 data, decoded once: it cannot change, unlike a file. */
  readonly #decodedData = new Map<string, Buffer>();
  readonly #files = new CredentialFiles();

  constructor(entries: ContextEntries) {
    this.#entries = entries;
    this.server = entries.cluster.server;
  }

  #decoded(data: string): Buffer {
    let decoded = this.#decodedData.get(data);
    if (decoded === undefined) {
      decoded = Buffer.from(data, "base64");
      this.#decodedData.set(data, decoded);
    }
    return decoded;
  }

  async apply(options: https.RequestOptions): Promise<void> {
    const { cluster, user } = this.#entries;
    // A file that cannot be read fails the request; the transport words the error.
    const material = async (data: unknown, file: unknown): Promise<Buffer | undefined> => {
      if (typeof data === "string" && data !== "") return this.#decoded(data);
      return typeof file === "string" && file !== "" ? this.#files.read(file) : undefined;
    };
    if (cluster["insecure-skip-tls-verify"] === true) {
      options.rejectUnauthorized = false;
    } else {
      const ca = await material(cluster["certificate-authority-data"], cluster["certificate-authority"]);
      if (ca) options.ca = ca;
    }
    if (typeof cluster["tls-server-name"] === "string" && cluster["tls-server-name"] !== "") {
      options.servername = cluster["tls-server-name"];
    }
    const cert = await material(user["client-certificate-data"], user["client-certificate"]);
    const key = await material(user["client-key-data"], user["client-key"]);
    if (cert) options.cert = cert;
    if (key) options.key = key;
    const headers = (options.headers ??= {}) as Record<string, string>;
    const token =
      typeof user.token === "string" && user.token !== ""
        ? user.token
        : (await material(undefined, user.tokenFile))?.toString("utf8");
    if (token !== undefined && token.trim() !== "") {
      headers.Authorization = `Bearer ${token.trim()}`;
    } else if (typeof user.username === "string" && user.username !== "") {
      options.auth = `${user.username}:${typeof user.password === "string" ? user.password : ""}`;
    }
  }
}

/** The client library's KubeConfig for the entries, as Credentials. */
export function libraryCredentials(library: ClientLibrary, entries: ContextEntries): Credentials {
  const { cluster, user, context, clusterName, userName } = entries;
  const document = {
    clusters: [
      {
        name: clusterName,
        // The library refuses plain-HTTP servers (kubectl proxy) unless TLS checks are off, which mean nothing there.
        cluster: cluster.server.startsWith("http:")
          ? { ...cluster, "insecure-skip-tls-verify": true }
          : cluster,
      },
    ],
    users: [{ name: userName, user: withTokenFile(user) }],
    contexts: [{ name: context, context: { cluster: clusterName, user: userName } }],
    "current-context": context,
  };
  const kubeConfig = new library.KubeConfig();
  try {
    kubeConfig.loadFromString(JSON.stringify(document));
  } catch (error) {
    throw new KubeError(
      "Config",
      `the kubeconfig entries of context ${context} are invalid: ${oneLine((error as Error).message)}`,
      {
        cause: error,
      },
    );
  }
  return {
    server: kubeConfig.getCurrentCluster()?.server ?? cluster.server,
    proxied: Boolean(kubeConfig.getCurrentCluster()?.proxyUrl),
    apply: (options) => kubeConfig.applyToHTTPSOptions(options),
  };
}

type Section = Record<string, unknown>;

/** Like kubectl's flags: a CA file replaces the CA data; skipping verification drops the CA. */
function withClusterOverrides(cluster: Section, overrides: ConnectionOverrides): Section {
  const result = { ...cluster };
  if (overrides.server !== undefined) result.server = overrides.server;
  if (overrides.tlsServerName !== undefined) result["tls-server-name"] = overrides.tlsServerName;
  if (overrides.certificateAuthority !== undefined) {
    result["certificate-authority"] = overrides.certificateAuthority;
    delete result["certificate-authority-data"];
  }
  if (overrides.insecureSkipTlsVerify) {
    result["insecure-skip-tls-verify"] = true;
    delete result["certificate-authority"];
    delete result["certificate-authority-data"];
  }
  return result;
}

/** A token given by flag is the credential: it replaces whatever else would supply one. */
function withUserOverrides(user: Section, overrides: ConnectionOverrides): Section {
  const result = { ...user };
  if (overrides.token !== undefined) {
    for (const field of ["tokenFile", "exec", "auth-provider", "username", "password"]) delete result[field];
    result.token = overrides.token;
  }
  if (overrides.clientCertificate !== undefined) {
    result["client-certificate"] = overrides.clientCertificate;
    delete result["client-certificate-data"];
  }
  if (overrides.clientKey !== undefined) {
    result["client-key"] = overrides.clientKey;
    delete result["client-key-data"];
  }
  return result;
}

/**
 * kubectl's `tokenFile` (re-read as it changes, like a projected service account token) is not a
 * field the library reads; its token-file auth provider does the same thing.
 */
function withTokenFile(user: Record<string, unknown>): Record<string, unknown> {
  if (typeof user.tokenFile !== "string" || user.token || user.exec || user["auth-provider"]) return user;
  return { ...user, "auth-provider": { name: "tokenFile", config: { tokenFile: user.tokenFile } } };
}
