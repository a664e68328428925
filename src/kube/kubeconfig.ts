// Reads kubeconfig files and merges them the way kubectl merges a KUBECONFIG list: for every
// named cluster, user and context the first file that defines it wins, current-context comes from
// the first file that sets one, missing files are skipped, and relative file references are
// resolved against the directory of the file that holds them. Also builds the equivalent config of
// an in-cluster service account, and the config of a server named only by --kube-server.
import { readFileSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, sep } from "node:path";
import { CORE_SCHEMA, load } from "js-yaml";
import { oneLine } from "./errors.ts";
import { SERVICE_ACCOUNT_DIRECTORY } from "./service-account.ts";
import { KubeError } from "./types.ts";

type Section = Record<string, unknown>;

interface KubeconfigContext {
  cluster: string;
  user: string;
  namespace?: string;
}

export interface MergedKubeconfig {
  /** The `cluster` sections by name, file references absolute. */
  clusters: Map<string, Section>;
  /** The `user` sections by name, file references absolute. */
  users: Map<string, Section>;
  contexts: Map<string, KubeconfigContext>;
  currentContext?: string;
  /** Where the config came from, for messages. */
  source: string;
}

export interface InClusterLocation {
  host: string;
  port: string;
  tokenFile?: string;
  caFile?: string;
  namespaceFile?: string;
}

/**
 * The connection flags kubectl also takes (--server, --token, --certificate-authority, ...): they
 * override the cluster and user entries of whichever context is used.
 */
export interface ConnectionOverrides {
  server?: string;
  tlsServerName?: string;
  /** A CA file; replaces the kubeconfig's CA. */
  certificateAuthority?: string;
  /** Do not verify the server's certificate; drops the kubeconfig's CA, as kubectl does. */
  insecureSkipTlsVerify?: boolean;
  /** Replaces the kubeconfig user's token, token file, exec plugin and auth provider. */
  token?: string;
  clientCertificate?: string;
  clientKey?: string;
}

export const IN_CLUSTER_CONTEXT = "in-cluster";
/** The one context when there is no kubeconfig and --kube-server names the cluster. */
const KUBE_SERVER_CONTEXT = "kube-server";

function defaultKubeconfigPath(): string {
  return join(homedir(), ".kube", "config");
}

/** With `serverGiven` (--kube-server), no kubeconfig at all is a config of one empty context. */
export async function loadKubeconfigs(paths: string[], serverGiven = false): Promise<MergedKubeconfig> {
  const files = paths.length > 0 ? paths : [defaultKubeconfigPath()];
  const merged: MergedKubeconfig = {
    clusters: new Map(),
    users: new Map(),
    contexts: new Map(),
    source: files.join(", "),
  };
  const missing: string[] = [];
  for (const file of files) {
    const document = await readKubeconfig(file);
    if (document === undefined) missing.push(file);
    else mergeInto(merged, document, dirname(file), file);
  }
  if (missing.length === files.length) {
    if (serverGiven) return kubeServerKubeconfig();
    throw new KubeError("Config", `no kubeconfig found: ${missing.join(", ")} does not exist`);
  }
  return merged;
}

export async function inClusterKubeconfig(location: InClusterLocation): Promise<MergedKubeconfig> {
  const host = location.host.includes(":") ? `[${location.host}]` : location.host;
  const namespaceFile = location.namespaceFile ?? join(SERVICE_ACCOUNT_DIRECTORY, "namespace");
  const namespace = await readFile(namespaceFile, "utf8").then(
    (text) => text.trim() || undefined,
    () => undefined,
  );
  return {
    clusters: new Map([
      [
        IN_CLUSTER_CONTEXT,
        {
          server: `https://${host}:${location.port}`,
          "certificate-authority": location.caFile ?? join(SERVICE_ACCOUNT_DIRECTORY, "ca.crt"),
        },
      ],
    ]),
    users: new Map([
      [IN_CLUSTER_CONTEXT, { tokenFile: location.tokenFile ?? join(SERVICE_ACCOUNT_DIRECTORY, "token") }],
    ]),
    contexts: new Map([
      [IN_CLUSTER_CONTEXT, { cluster: IN_CLUSTER_CONTEXT, user: IN_CLUSTER_CONTEXT, namespace }],
    ]),
    currentContext: IN_CLUSTER_CONTEXT,
    source: "the in-cluster service account",
  };
}

function kubeServerKubeconfig(): MergedKubeconfig {
  return {
    clusters: new Map([[KUBE_SERVER_CONTEXT, {}]]),
    users: new Map([[KUBE_SERVER_CONTEXT, {}]]),
    contexts: new Map([[KUBE_SERVER_CONTEXT, { cluster: KUBE_SERVER_CONTEXT, user: KUBE_SERVER_CONTEXT }]]),
    currentContext: KUBE_SERVER_CONTEXT,
    source: "--kube-server",
  };
}

async function readKubeconfig(file: string): Promise<Section | undefined> {
  let text: string;
  try {
    // A file is read at once: an asynchronous read takes several event-loop turns, and at startup
    // the loop gives none while the server's modules load, which held the warm-up back until they
    // had. A pipe (KUBECONFIG=<(...)) may never end, so it is read without blocking.
    text = statSync(file).isFile() ? readFileSync(file, "utf8") : await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new KubeError("Config", `cannot read kubeconfig ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let document: unknown;
  try {
    // js-yaml's core schema reads what `yaml` reads here (YAML 1.2, no merge keys, duplicate keys
    // refused) in a third of the time on a cold start, where this parse waits for the first answer.
    document = load(text, { schema: CORE_SCHEMA });
  } catch (error) {
    throw new KubeError(
      "Config",
      `kubeconfig ${file} is not valid YAML: ${oneLine((error as Error).message)}`,
    );
  }
  if (document === null || document === undefined) return {};
  if (typeof document !== "object" || Array.isArray(document)) {
    throw new KubeError("Config", `kubeconfig ${file} is not a kubeconfig (expected a mapping)`);
  }
  return document as Section;
}

function mergeInto(merged: MergedKubeconfig, document: Section, directory: string, file: string): void {
  const current = document["current-context"];
  if (merged.currentContext === undefined && typeof current === "string" && current !== "") {
    merged.currentContext = current;
  }
  for (const [name, cluster] of namedEntries(document, "clusters", "cluster", file)) {
    if (!merged.clusters.has(name)) merged.clusters.set(name, resolveClusterPaths(cluster, directory));
  }
  for (const [name, user] of namedEntries(document, "users", "user", file)) {
    if (!merged.users.has(name)) merged.users.set(name, resolveUserPaths(user, directory));
  }
  for (const [name, context] of namedEntries(document, "contexts", "context", file)) {
    if (merged.contexts.has(name)) continue;
    merged.contexts.set(name, {
      cluster: typeof context.cluster === "string" ? context.cluster : "",
      user: typeof context.user === "string" ? context.user : "",
      ...(typeof context.namespace === "string" && context.namespace !== ""
        ? { namespace: context.namespace }
        : {}),
    });
  }
}

function namedEntries(document: Section, list: string, field: string, file: string): [string, Section][] {
  const entries = document[list];
  if (entries === undefined || entries === null) return [];
  if (!Array.isArray(entries)) throw new KubeError("Config", `kubeconfig ${file}: ${list} is not a list`);
  return entries.flatMap((entry: unknown, index) => {
    const { name, [field]: section } = (entry ?? {}) as Section;
    if (typeof name !== "string" || name === "") {
      throw new KubeError("Config", `kubeconfig ${file}: ${list}[${index}] has no name`);
    }
    return [[name, section !== null && typeof section === "object" ? { ...(section as Section) } : {}]];
  });
}

function resolveClusterPaths(cluster: Section, directory: string): Section {
  return resolvePaths(cluster, ["certificate-authority"], directory);
}

function resolveUserPaths(user: Section, directory: string): Section {
  const resolved = resolvePaths(user, ["client-certificate", "client-key", "tokenFile"], directory);
  const exec = user.exec as Section | undefined;
  // Like kubectl: a command with a path separator is a file next to the kubeconfig, a bare name is looked up in PATH.
  if (exec && typeof exec.command === "string" && exec.command.includes(sep) && !isAbsolute(exec.command)) {
    resolved.exec = { ...exec, command: join(directory, exec.command) };
  }
  return resolved;
}

function resolvePaths(section: Section, fields: string[], directory: string): Section {
  const resolved = { ...section };
  for (const field of fields) {
    const value = resolved[field];
    if (typeof value === "string" && value !== "" && !isAbsolute(value)) {
      resolved[field] = join(directory, value);
    }
  }
  return resolved;
}
