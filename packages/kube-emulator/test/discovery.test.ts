// Aggregated discovery (apidiscovery.k8s.io/v2) describes exactly what the per-group documents do,
// and is sent only to a client whose Accept header asks for it (kubectl's does).
import { before, test } from "node:test";
import assert from "node:assert/strict";
import type { Cluster } from "../src/cluster.ts";
import { demoClusterSources } from "../src/demo.ts";
import {
  acceptsAggregatedDiscovery,
  aggregatedDiscovery,
  apiGroupList,
  apiResourceList,
  coreVersions,
} from "../src/discovery.ts";
import { loadCluster } from "../src/loader.ts";

type Json = Record<string, unknown>;

let cluster: Cluster;

before(async () => {
  const [staging] = demoClusterSources();
  assert.ok(staging);
  cluster = await loadCluster(staging);
});

/** One line per resource and subresource of a group version: what either form says about it. */
function legacyLines(group: string, version: string): string[] {
  const list = apiResourceList(cluster.registry, group, version) as { resources: Json[] };
  return list.resources.map((resource) =>
    [
      `${group}/${version}`,
      resource.name,
      resource.kind,
      resource.namespaced,
      (resource.singularName as string | undefined) ?? "",
      JSON.stringify(resource.verbs),
      JSON.stringify(resource.shortNames ?? []),
      JSON.stringify(resource.categories ?? []),
    ].join(" "),
  );
}

function aggregatedLines(core: boolean): string[] {
  const list = aggregatedDiscovery(cluster.registry, core) as {
    items: {
      metadata: { name?: string };
      versions: { version: string; resources: Json[]; freshness: string }[];
    }[];
  };
  return list.items.flatMap((item) =>
    item.versions.flatMap(({ version, resources, freshness }) => {
      assert.equal(freshness, "Current");
      const group = item.metadata.name ?? "";
      return resources.flatMap((resource) => {
        const responseKind = resource.responseKind as { kind: string };
        const namespaced = resource.scope === "Namespaced";
        const main = [
          `${group}/${version}`,
          resource.resource,
          responseKind.kind,
          namespaced,
          String(resource.singularResource),
          JSON.stringify(resource.verbs),
          JSON.stringify(resource.shortNames ?? []),
          JSON.stringify(resource.categories ?? []),
        ].join(" ");
        const subresources = ((resource.subresources ?? []) as Json[]).map((subresource) =>
          [
            `${group}/${version}`,
            `${String(resource.resource)}/${String(subresource.subresource)}`,
            (subresource.responseKind as { kind: string }).kind,
            namespaced,
            "",
            JSON.stringify(subresource.verbs),
            "[]",
            "[]",
          ].join(" "),
        );
        return [main, ...subresources];
      });
    }),
  );
}

test("aggregated discovery lists every resource of the per-group documents, no more", () => {
  const core = (coreVersions() as { versions: string[] }).versions.flatMap((version) =>
    legacyLines("", version),
  );
  const groups = (
    apiGroupList(cluster.registry) as { groups: { name: string; versions: { version: string }[] }[] }
  ).groups;
  const grouped = groups.flatMap((group) =>
    group.versions.flatMap(({ version }) => legacyLines(group.name, version)),
  );
  assert.ok(
    grouped.some((line) => line.startsWith("helm.toolkit.fluxcd.io/v2 helmreleases HelmRelease true")),
  );
  assert.deepEqual(aggregatedLines(true), core);
  assert.deepEqual(aggregatedLines(false), grouped);
});

test("aggregated discovery is chosen by the Accept header, as kubectl sends it", () => {
  const kubectl =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
  assert.equal(acceptsAggregatedDiscovery(kubectl), true);
  assert.equal(
    acceptsAggregatedDiscovery("application/json; g=apidiscovery.k8s.io; v=v2; as=APIGroupDiscoveryList"),
    true,
  );
  assert.equal(acceptsAggregatedDiscovery("application/json"), false);
  assert.equal(acceptsAggregatedDiscovery(undefined), false);
  assert.equal(
    acceptsAggregatedDiscovery("application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"),
    false,
  );
});
