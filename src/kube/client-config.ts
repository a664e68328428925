// The client library's KubeConfig for one context of the merged kubeconfig: its own instance (its
// credential caches are per instance), holding only that context, its cluster and its user, with
// the connection flags (--kube-server, --kube-token, ...) applied over them.
import type * as ClientNode from "./client-library.ts";
import type { KubeConfig } from "@kubernetes/client-node";
import type { ConnectionOverrides, MergedKubeconfig } from "./kubeconfig.ts";
import { oneLine } from "./errors.ts";
import { KubeError } from "./types.ts";

export type ClientLibrary = typeof ClientNode;

export function contextKubeConfig(
  library: ClientLibrary,
  config: MergedKubeconfig,
  name: string,
  overrides: ConnectionOverrides = {},
): KubeConfig {
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
  const userName = context.user || "anonymous";
  const document = {
    clusters: [
      {
        name: context.cluster,
        // The library refuses plain-HTTP servers (kubectl proxy) unless TLS checks are off, which mean nothing there.
        cluster: cluster.server.startsWith("http:")
          ? { ...cluster, "insecure-skip-tls-verify": true }
          : cluster,
      },
    ],
    users: [
      {
        name: userName,
        user: withTokenFile(withUserOverrides(config.users.get(context.user) ?? {}, overrides)),
      },
    ],
    contexts: [{ name, context: { cluster: context.cluster, user: userName } }],
    "current-context": name,
  };
  const kubeConfig = new library.KubeConfig();
  try {
    kubeConfig.loadFromString(JSON.stringify(document));
  } catch (error) {
    throw new KubeError(
      "Config",
      `the kubeconfig entries of context ${name} are invalid: ${oneLine((error as Error).message)}`,
      {
        cause: error,
      },
    );
  }
  return kubeConfig;
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
