// The discovery documents that kubectl and client libraries read to map kinds to resources: the
// legacy ones (/api, /apis, /apis/G, /api/v1, /apis/G/V), and the aggregated ones (apidiscovery.k8s.io/v2,
// every version's resources at /api and /apis) sent to a client whose Accept header asks for them.
import type { ResourceRegistry } from "./resources/registry.ts";
import { apiVersionOf, type ResourceType } from "./resources/resource-type.ts";

export function coreVersions(): Record<string, unknown> {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "127.0.0.1" }],
  };
}

export function apiGroupList(registry: ResourceRegistry): Record<string, unknown> {
  const groups = registry
    .groups()
    .filter((group) => group.name !== "")
    .map((group) => apiGroup(group.name, group.versions));
  return { kind: "APIGroupList", apiVersion: "v1", groups };
}

export function apiGroupDocument(
  registry: ResourceRegistry,
  name: string,
): Record<string, unknown> | undefined {
  const group = registry.groups().find((candidate) => candidate.name === name && name !== "");
  return group && { kind: "APIGroup", apiVersion: "v1", ...apiGroup(group.name, group.versions) };
}

function apiGroup(name: string, versions: string[]): Record<string, unknown> {
  const entries = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: entries, preferredVersion: entries[0] };
}

export function apiResourceList(
  registry: ResourceRegistry,
  group: string,
  version: string,
): Record<string, unknown> | undefined {
  const types = registry.inGroupVersion(group, version);
  if (types.length === 0) return undefined;
  const resources = types
    .sort((a, b) => a.plural.localeCompare(b.plural))
    .flatMap((type) => resourceEntries(type, version));
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion: apiVersionOf(group, version), resources };
}

function resourceEntries(type: ResourceType, version: string): Record<string, unknown>[] {
  const main: Record<string, unknown> = {
    name: type.plural,
    singularName: type.singular,
    namespaced: type.namespaced,
    kind: type.kind,
    verbs: type.verbs,
    ...(type.shortNames.length > 0 && { shortNames: type.shortNames }),
    ...(type.categories.length > 0 && { categories: type.categories }),
    storageVersionHash: storageVersionHash(type),
  };
  const entries = [main];
  const served = type.versions.find((candidate) => candidate.name === version);
  if (served?.statusSubresource) {
    entries.push({
      name: `${type.plural}/status`,
      singularName: "",
      namespaced: type.namespaced,
      kind: type.kind,
      verbs: ["get", "patch", "update"],
    });
  }
  if (type.group === "" && type.plural === "pods") {
    entries.push({ name: "pods/log", singularName: "", namespaced: true, kind: "Pod", verbs: ["get"] });
  }
  return entries;
}

/** Any stable short value works: clients only compare it between discovery reads. */
function storageVersionHash(type: ResourceType): string {
  return Buffer.from(`${type.group}/${type.kind}`).toString("base64").slice(0, 11);
}

/** The media type of aggregated discovery, as kube-apiserver names it in Content-Type. */
export const AGGREGATED_DISCOVERY_TYPE =
  "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

/** Whether one of the Accept header's media types is aggregated discovery v2. */
export function acceptsAggregatedDiscovery(accept: string | undefined): boolean {
  return (accept ?? "").split(",").some((mediaType) => {
    const parameters = mediaType.replace(/\s+/g, "").split(";");
    return ["g=apidiscovery.k8s.io", "v=v2", "as=APIGroupDiscoveryList"].every((parameter) =>
      parameters.includes(parameter),
    );
  });
}

/** The APIGroupDiscoveryList of /api (`core`) or of /apis. */
export function aggregatedDiscovery(registry: ResourceRegistry, core: boolean): Record<string, unknown> {
  const items = registry
    .groups()
    .filter((group) => (group.name === "") === core)
    .map((group) => ({
      metadata: core ? { creationTimestamp: null } : { name: group.name, creationTimestamp: null },
      versions: group.versions.map((version) => ({
        version,
        resources: registry
          .inGroupVersion(group.name, version)
          .sort((a, b) => a.plural.localeCompare(b.plural))
          .map((type) => aggregatedResource(type, version)),
        freshness: "Current",
      })),
    }));
  return { kind: "APIGroupDiscoveryList", apiVersion: "apidiscovery.k8s.io/v2", metadata: {}, items };
}

function aggregatedResource(type: ResourceType, version: string): Record<string, unknown> {
  const responseKind = { group: type.group, version, kind: type.kind };
  const subresources: Record<string, unknown>[] = [];
  if (type.versions.find((candidate) => candidate.name === version)?.statusSubresource) {
    subresources.push({ subresource: "status", responseKind, verbs: ["get", "patch", "update"] });
  }
  if (type.group === "" && type.plural === "pods") {
    subresources.push({ subresource: "log", responseKind, verbs: ["get"] });
  }
  return {
    resource: type.plural,
    responseKind,
    scope: type.namespaced ? "Namespaced" : "Cluster",
    singularResource: type.singular,
    verbs: type.verbs,
    ...(type.shortNames.length > 0 && { shortNames: type.shortNames }),
    ...(type.categories.length > 0 && { categories: type.categories }),
    ...(subresources.length > 0 && { subresources }),
  };
}
