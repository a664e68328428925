// Builds clusters from YAML: multi-document files, `kind: List` dumps (as `kubectl get -o yaml`
// writes them), directories of such files, and the side formats for what the API cannot store
// (ClusterInfo, PodLogs) or serves from elsewhere (metrics.k8s.io PodMetrics and NodeMetrics).
import { readdir, readFile, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { parseAllDocuments } from "yaml";
import { ApiError } from "./api-error.ts";
import { Cluster } from "./cluster.ts";
import { parsePodLogs } from "./pod-logs.ts";
import type { ResourceType } from "./resources/resource-type.ts";
import { bootstrapRbacObjects } from "./security/bootstrap-rbac.ts";
import type { KubeObject } from "./types.ts";

const SIDE_FORMAT_API_VERSION = "apiserver.flux-mcp.dev/v1alpha1";
const DEFAULT_KUBERNETES_VERSION = "v1.32.0";

export class LoadError extends Error {}

export interface ClusterSource {
  name: string;
  /** Files and directories, read in order; directories recursively, their files sorted by path. */
  paths: string[];
  /**
   * Shift every timestamp so that the ClusterInfo's `capturedAt` becomes now: the demo then reads
   * "5m ago" rather than months ago.
   */
  rebaseTime?: boolean;
}

interface Document {
  object: KubeObject;
  origin: string;
}

export async function loadCluster(source: ClusterSource, now = new Date()): Promise<Cluster> {
  const documents: Document[] = [];
  for (const path of source.paths) {
    for (const file of await yamlFiles(path)) documents.push(...(await readDocuments(file)));
  }
  const info = documents.find(({ object }) => isSideFormat(object, "ClusterInfo"))?.object;
  const capturedAt = typeof info?.capturedAt === "string" ? Date.parse(info.capturedAt) : NaN;
  const shiftMs = source.rebaseTime && Number.isFinite(capturedAt) ? now.getTime() - capturedAt : 0;
  const shifted =
    shiftMs === 0
      ? documents
      : documents.map((document) => ({ ...document, object: shiftTimestamps(document.object, shiftMs) }));

  const cluster = new Cluster({
    name: source.name,
    kubernetesVersion:
      typeof info?.kubernetesVersion === "string" ? info.kubernetesVersion : DEFAULT_KUBERNETES_VERSION,
    ...(info?.readOnly === true && { readOnly: true }),
  });
  const objects: Document[] = [];
  for (const document of shifted) {
    const { object } = document;
    if (isSideFormat(object, "ClusterInfo")) continue;
    if (isSideFormat(object, "PodLogs")) {
      const logs = withOrigin(document.origin, () => parsePodLogs(object));
      cluster.podLogs.set(`${logs.namespace}/${logs.name}`, logs);
    } else if (object.apiVersion?.startsWith("metrics.k8s.io/") && object.kind === "PodMetrics") {
      cluster.podMetrics.push(object);
    } else if (object.apiVersion?.startsWith("metrics.k8s.io/") && object.kind === "NodeMetrics") {
      cluster.nodeMetrics.push(object);
    } else if (object.apiVersion === SIDE_FORMAT_API_VERSION) {
      throw new LoadError(
        `${document.origin}: unknown kind "${object.kind}" in ${SIDE_FORMAT_API_VERSION} (expected ClusterInfo or PodLogs)`,
      );
    } else {
      objects.push(document);
    }
  }
  restoreAll(cluster, objects);
  return cluster;
}

/** CRDs first (they register kinds), then namespaces (created if a dump lacks them), then the rest. */
function restoreAll(cluster: Cluster, documents: Document[]): void {
  const rank = ({ object }: Document) =>
    object.kind === "CustomResourceDefinition" ? 0 : object.kind === "Namespace" ? 1 : 2;
  const ordered = [...documents].sort((a, b) => rank(a) - rank(b));
  const bootstrap = bootstrapRbacObjects().map((object) => ({ object, origin: "bootstrap RBAC" }));
  const namespaces = cluster.registry.byPlural("", "namespaces") as ResourceType;
  for (const { object, origin } of [...ordered, ...bootstrap]) {
    const type = cluster.registry.byKind(object.apiVersion ?? "", object.kind ?? "");
    if (!type) {
      throw new LoadError(
        `${origin}: unknown kind "${object.kind}" in "${object.apiVersion}": no built-in kind or loaded CustomResourceDefinition serves it`,
      );
    }
    const namespace = object.metadata?.namespace;
    if (type.namespaced && namespace && !cluster.find(namespaces, "", namespace)) {
      cluster.restore(namespaces, {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: namespace },
        status: { phase: "Active" },
      });
    }
    if (cluster.find(type, namespace ?? "", object.metadata?.name ?? "")) {
      if (origin === "bootstrap RBAC") continue;
      throw new LoadError(
        `${origin}: ${object.kind} ${namespace ? `${namespace}/` : ""}${object.metadata?.name} is defined twice`,
      );
    }
    try {
      const { resourceVersion: _dropped, ...metadata } = object.metadata ?? {};
      cluster.restore(type, { ...object, metadata });
    } catch (error) {
      if (error instanceof ApiError) throw new LoadError(`${origin}: ${error.message}`);
      throw error;
    }
  }
}

/** Runs `parse`, turning what it throws into a LoadError that says where the document was. */
function withOrigin<T>(origin: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new LoadError(`${origin}: ${(error as Error).message}`, { cause: error });
  }
}

async function yamlFiles(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new LoadError(`${path}: no such file or directory`);
  }
  if (!info.isDirectory()) return [path];
  const entries = await readdir(path, { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .filter((entry) => entry.isDirectory() || [".yaml", ".yml", ".json"].includes(extname(entry.name)))
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((entry) => yamlFiles(join(path, entry.name))),
  );
  return nested.flat();
}

async function readDocuments(file: string): Promise<Document[]> {
  const text = await readFile(file, "utf8");
  const documents: Document[] = [];
  for (const document of parseAllDocuments(text)) {
    const line = document.range ? text.slice(0, document.range[0]).split("\n").length : 1;
    const origin = `${file}:${line}`;
    const [error] = document.errors;
    if (error)
      throw new LoadError(`${file}:${error.linePos?.[0]?.line ?? line}: ${error.message.split("\n")[0]}`);
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    for (const object of flattenLists(value, origin)) documents.push({ object, origin });
  }
  return documents;
}

function flattenLists(value: unknown, origin: string): KubeObject[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new LoadError(
      `${origin}: expected a Kubernetes object, found ${Array.isArray(value) ? "a list" : typeof value}`,
    );
  }
  const object = value as Partial<KubeObject> & { items?: unknown };
  if (typeof object.kind === "string" && object.kind.endsWith("List") && Array.isArray(object.items)) {
    return object.items.flatMap((item: unknown) => {
      const flattened = flattenLists(item, origin);
      // Items of typed lists may omit apiVersion and kind; the list's own names them.
      return flattened.map((entry) => ({
        ...entry,
        apiVersion: entry.apiVersion ?? object.apiVersion ?? "v1",
        kind: entry.kind ?? object.kind?.slice(0, -"List".length) ?? "",
      }));
    });
  }
  if (typeof object.kind !== "string") throw new LoadError(`${origin}: an object needs apiVersion and kind`);
  if (typeof object.apiVersion !== "string")
    throw new LoadError(`${origin}: ${object.kind} has no apiVersion`);
  return [{ ...(object as KubeObject), metadata: isRecord(object.metadata) ? object.metadata : {} }];
}

function isSideFormat(object: KubeObject, kind: string): boolean {
  return object.apiVersion === SIDE_FORMAT_API_VERSION && object.kind === kind;
}

const timestampPattern = /\b(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?Z\b/g;

/** Moves every RFC 3339 UTC timestamp in the object's strings by `shiftMs`, keeping its precision. */
function shiftTimestamps<T>(value: T, shiftMs: number): T {
  if (typeof value === "string") {
    return value.replace(timestampPattern, (_match, seconds: string, fraction: string | undefined) => {
      const shifted = new Date(Date.parse(`${seconds}Z`) + shiftMs).toISOString().slice(0, 19);
      return `${shifted}${fraction ?? ""}Z`;
    }) as T;
  }
  if (Array.isArray(value)) return value.map((item: unknown) => shiftTimestamps(item, shiftMs)) as T;
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, shiftTimestamps(item, shiftMs)]),
    ) as T;
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
