// API discovery for one context, cached: which kinds the cluster serves, in which groups and
// versions, under which resource names; and resolving what a user typed (`ks`, `helmreleases`,
// `HelmRelease` with `helm.toolkit.fluxcd.io`) to one of them the way kubectl does. A kind the
// cache does not know triggers one refresh first, since a CRD may have been added since.
import { abortable } from "./abortable.ts";
import { quoted } from "./errors.ts";
import { closeNames } from "./suggestions.ts";
import { KubeError, type ResolvedKind } from "./types.ts";

interface ApiResource {
  name: string;
  singularName?: string;
  namespaced: boolean;
  kind: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
}

interface ApiGroup {
  name: string;
  versions: { version: string }[];
  preferredVersion?: { version: string };
}

interface KindEntry {
  group: string;
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  /** The resource as each version serves it, in the group's version priority order. */
  versions: Map<string, ApiResource>;
  /** Preferred version first. */
  servedVersions: string[];
}

interface DiscoveryIndex {
  entries: KindEntry[];
  loadedAt: number;
  /** Group versions whose discovery failed (an aggregated API down, typically). */
  failed: string[];
}

/** Aggregated discovery (apidiscovery.k8s.io/v2, Kubernetes 1.30 and later), one answer per API tree. */
interface AggregatedList {
  kind: "APIGroupDiscoveryList";
  items?: {
    metadata?: { name?: string };
    versions?: { version: string; resources?: AggregatedResource[]; freshness?: string }[];
  }[];
}

interface AggregatedResource {
  resource: string;
  responseKind?: { kind?: string };
  scope?: string;
  singularResource?: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
}

/** What one group version serves. */
interface VersionDocument {
  group: string;
  version: string;
  resources: ApiResource[];
}

/**
 * Asked for at /api and /apis, as kubectl asks: a server that has it sends every resource of the tree
 * at once (two requests instead of one per group version); one that has not ignores it.
 */
const AGGREGATED_ACCEPT =
  "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";

/** Reads one discovery document, as `accept` asks when given; rejects with a KubeError. */
export type FetchDocument = (path: string, signal: AbortSignal, accept?: string) => Promise<unknown>;

export interface Discovery {
  resolve(kind: string, apiVersion: string | undefined, signal?: AbortSignal): Promise<ResolvedKind>;
  kinds(signal?: AbortSignal): Promise<ResolvedKind[]>;
}

/** How long discovery is trusted without a miss forcing a refresh. */
const MAX_AGE_MS = 10 * 60_000;
/** Discovery is shared by every call on the context, so it runs on its own clock, not a caller's. */
const LOAD_TIMEOUT_MS = 60_000;
const versionPattern = /^v\d+(?:(?:alpha|beta)\d+)?$/;

export function createDiscovery(fetchDocument: FetchDocument, context: string): Discovery {
  let loading: Promise<DiscoveryIndex> | undefined;

  const load = (refresh: boolean): Promise<DiscoveryIndex> => {
    if (!loading || refresh) {
      const next = loadIndex(fetchDocument, AbortSignal.timeout(LOAD_TIMEOUT_MS));
      loading = next;
      // A failure is not cached: the next call tries again.
      next.catch(() => {
        if (loading === next) loading = undefined;
      });
    }
    return loading;
  };

  const current = async (
    signal: AbortSignal | undefined,
  ): Promise<{ index: DiscoveryIndex; fresh: boolean }> => {
    const pending = loading;
    const index = await abortable(load(false), signal);
    if (Date.now() - index.loadedAt <= MAX_AGE_MS) return { index, fresh: pending === undefined };
    return { index: await abortable(load(true), signal), fresh: true };
  };

  return {
    async resolve(kind, apiVersion, signal) {
      const query = parseQuery(kind, apiVersion);
      let { index, fresh } = await current(signal);
      for (;;) {
        const outcome = lookup(index, query, context);
        if (!(outcome instanceof KubeError) || outcome.reason === "AmbiguousKind") {
          if (outcome instanceof KubeError) throw outcome;
          return outcome;
        }
        if (fresh) throw outcome;
        index = await abortable(load(true), signal);
        fresh = true;
      }
    },
    async kinds(signal) {
      const { index } = await current(signal);
      return index.entries.map((entry) => resolvedKind(entry, undefined));
    },
  };
}

interface KindQuery {
  /** Lower case: a Kind, plural, singular or short name. */
  name: string;
  typed: string;
  group?: string;
  version?: string;
}

function parseQuery(kind: string, apiVersion: string | undefined): KindQuery {
  const typed = kind.trim();
  if (apiVersion !== undefined && apiVersion.trim() !== "") {
    const trimmed = apiVersion.trim();
    const slash = trimmed.indexOf("/");
    if (slash >= 0)
      return {
        name: typed.toLowerCase(),
        typed,
        group: trimmed.slice(0, slash),
        version: trimmed.slice(slash + 1),
      };
    if (versionPattern.test(trimmed))
      return { name: typed.toLowerCase(), typed, group: "", version: trimmed };
    return { name: typed.toLowerCase(), typed, group: trimmed };
  }
  // kubectl's `resource.group` and `resource.version.group` forms.
  const [name = "", second, ...rest] = typed.toLowerCase().split(".");
  if (second === undefined) return { name, typed };
  if (rest.length > 0 && versionPattern.test(second))
    return { name, typed, group: rest.join("."), version: second };
  return { name, typed, group: [second, ...rest].join(".") };
}

function lookup(index: DiscoveryIndex, query: KindQuery, context: string): ResolvedKind | KubeError {
  const inGroup = index.entries.filter((entry) => query.group === undefined || entry.group === query.group);
  const byName = inGroup.filter(
    (entry) =>
      entry.kind.toLowerCase() === query.name || entry.plural === query.name || entry.singular === query.name,
  );
  const matches =
    byName.length > 0 ? byName : inGroup.filter((entry) => entry.shortNames.includes(query.name));
  // Like kubectl, the core group wins when others serve the same kind too (Event: v1 and events.k8s.io/v1).
  const chosen = matches.length > 1 ? matches.filter((entry) => entry.group === "") : matches;
  if (chosen.length > 1 || (chosen.length === 0 && matches.length > 1)) {
    const choices = matches
      .map((entry) => apiVersionOf(entry.group, entry.servedVersions[0] ?? ""))
      .join(", ");
    return new KubeError(
      "AmbiguousKind",
      `${quoted(query.typed)} is served by several API groups in context ${context}: name one with apiVersion (${choices})`,
    );
  }
  const entry = chosen[0];
  if (!entry) return unknownKind(index, query, context);
  if (query.version !== undefined && !entry.versions.has(query.version)) {
    const served = entry.servedVersions.map((version) => apiVersionOf(entry.group, version)).join(", ");
    return new KubeError(
      "UnknownKind",
      `${entry.kind} is not served at ${apiVersionOf(entry.group, query.version)} in context ${context}; it is served at ${served}`,
    );
  }
  return resolvedKind(entry, query.version);
}

function unknownKind(index: DiscoveryIndex, query: KindQuery, context: string): KubeError {
  const where =
    query.group === undefined
      ? ""
      : query.group === ""
        ? " in the core API group"
        : ` in API group ${quoted(query.group)}`;
  const names = index.entries.flatMap((entry) => [entry.kind, entry.plural, ...entry.shortNames]);
  const kindOf = new Map<string, string>();
  for (const entry of index.entries) {
    for (const name of [entry.kind, entry.plural, ...entry.shortNames]) {
      if (!kindOf.has(name))
        kindOf.set(name, entry.group === "" ? entry.kind : `${entry.kind} (${entry.group})`);
    }
  }
  const suggestions = [
    ...new Set(closeNames(query.name, names).map((name) => kindOf.get(name) ?? name)),
  ].slice(0, 3);
  const hint = suggestions.length > 0 ? `; did you mean ${suggestions.join(", ")}?` : "";
  const failed = index.failed.length > 0 ? ` (discovery of ${index.failed.join(", ")} failed)` : "";
  return new KubeError(
    "UnknownKind",
    `the server doesn't have a resource type ${quoted(query.typed)}${where} in context ${context}${hint}${failed}`,
  );
}

function resolvedKind(entry: KindEntry, version: string | undefined): ResolvedKind {
  const chosen = version ?? entry.servedVersions[0] ?? "";
  const resource = entry.versions.get(chosen) as ApiResource;
  return {
    group: entry.group,
    version: chosen,
    apiVersion: apiVersionOf(entry.group, chosen),
    kind: resource.kind,
    plural: resource.name,
    namespaced: resource.namespaced,
    shortNames: resource.shortNames ?? [],
    categories: resource.categories ?? [],
    verbs: resource.verbs ?? [],
    servedVersions: entry.servedVersions,
  };
}

function apiVersionOf(group: string, version: string): string {
  return group === "" ? version : `${group}/${version}`;
}

async function loadIndex(fetchDocument: FetchDocument, signal: AbortSignal): Promise<DiscoveryIndex> {
  const [core, groupList] = await Promise.all([
    fetchDocument("/api", signal, AGGREGATED_ACCEPT) as Promise<{ versions?: string[] } | AggregatedList>,
    fetchDocument("/apis", signal, AGGREGATED_ACCEPT) as Promise<{ groups?: ApiGroup[] } | AggregatedList>,
  ]);
  const failed: string[] = [];
  const groups: ApiGroup[] = [];
  if (!isAggregated(core)) {
    groups.push({ name: "", versions: (core.versions ?? []).map((version) => ({ version })) });
  }
  if (!isAggregated(groupList)) groups.push(...(groupList.groups ?? []));
  const listed = await Promise.all(
    groups.flatMap((group) =>
      orderedVersions(group).map(async (version): Promise<VersionDocument> => {
        const groupVersion = apiVersionOf(group.name, version);
        const path = group.name === "" ? `/api/${version}` : `/apis/${groupVersion}`;
        try {
          const list = (await fetchDocument(path, signal)) as { resources?: ApiResource[] };
          return { group: group.name, version, resources: list.resources ?? [] };
        } catch (error) {
          if (signal.aborted) throw error;
          failed.push(groupVersion);
          return { group: group.name, version, resources: [] };
        }
      }),
    ),
  );
  const documents = [
    ...(isAggregated(core) ? aggregatedDocuments(core, failed) : []),
    ...(isAggregated(groupList) ? aggregatedDocuments(groupList, failed) : []),
    ...listed,
  ];

  const entries = new Map<string, KindEntry>();
  for (const { group, version, resources } of documents) {
    for (const resource of resources) {
      if (resource.name.includes("/")) continue;
      const key = `${resource.name}.${group}`;
      let entry = entries.get(key);
      if (!entry) {
        entry = {
          group,
          kind: resource.kind,
          plural: resource.name,
          singular: resource.singularName || resource.kind.toLowerCase(),
          shortNames: resource.shortNames ?? [],
          versions: new Map(),
          servedVersions: [],
        };
        entries.set(key, entry);
      }
      entry.versions.set(version, resource);
      entry.servedVersions.push(version);
    }
  }
  return { entries: [...entries.values()], loadedAt: Date.now(), failed };
}

/** The preferred version first, then the others in the server's priority order. */
function orderedVersions(group: ApiGroup): string[] {
  const versions = group.versions.map(({ version }) => version);
  const preferred = group.preferredVersion?.version ?? versions[0];
  return preferred === undefined
    ? versions
    : [preferred, ...versions.filter((version) => version !== preferred)];
}

function isAggregated(document: object): document is AggregatedList {
  return (document as { kind?: unknown }).kind === "APIGroupDiscoveryList";
}

/** Each version of an aggregated list as its own resource list would have it; a stale one counts as failed, as kubectl counts it. */
function aggregatedDocuments(list: AggregatedList, failed: string[]): VersionDocument[] {
  return (list.items ?? []).flatMap((item) => {
    const group = item.metadata?.name ?? "";
    return (item.versions ?? []).map((entry): VersionDocument => {
      if (entry.freshness === "Stale") {
        failed.push(apiVersionOf(group, entry.version));
        return { group, version: entry.version, resources: [] };
      }
      const resources = (entry.resources ?? []).map((resource): ApiResource => ({
        name: resource.resource,
        singularName: resource.singularResource ?? "",
        namespaced: resource.scope === "Namespaced",
        kind: resource.responseKind?.kind ?? "",
        ...(resource.verbs && { verbs: resource.verbs }),
        ...(resource.shortNames && { shortNames: resource.shortNames }),
        ...(resource.categories && { categories: resource.categories }),
      }));
      return { group, version: entry.version, resources };
    });
  });
}
