// Discovery reads aggregated discovery (apidiscovery.k8s.io/v2) in two requests when the server has it,
// and the per-group documents when it has not; both give the same kinds.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createDiscovery, type FetchDocument } from "../../src/kube/discovery.ts";

const deployments = {
  name: "deployments",
  singularName: "deployment",
  namespaced: true,
  kind: "Deployment",
  verbs: ["get", "list"],
  shortNames: ["deploy"],
  categories: ["all"],
};
const pods = {
  name: "pods",
  singularName: "pod",
  namespaced: true,
  kind: "Pod",
  verbs: ["get", "list"],
  shortNames: ["po"],
};
const namespaces = {
  name: "namespaces",
  singularName: "namespace",
  namespaced: false,
  kind: "Namespace",
  verbs: ["get"],
};
const helmV2 = {
  name: "helmreleases",
  singularName: "helmrelease",
  namespaced: true,
  kind: "HelmRelease",
  verbs: ["get", "list"],
  shortNames: ["hr"],
};

const legacy: Record<string, unknown> = {
  "/api": { kind: "APIVersions", versions: ["v1"] },
  "/apis": {
    kind: "APIGroupList",
    groups: [
      {
        name: "apps",
        versions: [{ groupVersion: "apps/v1", version: "v1" }],
        preferredVersion: { version: "v1" },
      },
      {
        name: "helm.toolkit.fluxcd.io",
        versions: [
          { groupVersion: "helm.toolkit.fluxcd.io/v2", version: "v2" },
          { groupVersion: "helm.toolkit.fluxcd.io/v2beta2", version: "v2beta2" },
        ],
        preferredVersion: { version: "v2" },
      },
    ],
  },
  "/api/v1": {
    kind: "APIResourceList",
    resources: [namespaces, pods, { ...pods, name: "pods/log", singularName: "" }],
  },
  "/apis/apps/v1": { kind: "APIResourceList", resources: [deployments] },
  "/apis/helm.toolkit.fluxcd.io/v2": { kind: "APIResourceList", resources: [helmV2] },
  "/apis/helm.toolkit.fluxcd.io/v2beta2": { kind: "APIResourceList", resources: [helmV2] },
};

function aggregatedResource(resource: typeof pods | typeof namespaces, group: string, version: string) {
  return {
    resource: resource.name,
    responseKind: { group, version, kind: resource.kind },
    scope: resource.namespaced ? "Namespaced" : "Cluster",
    singularResource: resource.singularName,
    verbs: resource.verbs,
    ...("shortNames" in resource && { shortNames: resource.shortNames }),
    ...("categories" in resource && { categories: resource.categories }),
  };
}

const aggregated: Record<string, unknown> = {
  "/api": {
    kind: "APIGroupDiscoveryList",
    items: [
      {
        metadata: {},
        versions: [
          {
            version: "v1",
            resources: [
              aggregatedResource(namespaces, "", "v1"),
              {
                ...aggregatedResource(pods, "", "v1"),
                subresources: [{ subresource: "log", verbs: ["get"] }],
              },
            ],
          },
        ],
      },
    ],
  },
  "/apis": {
    kind: "APIGroupDiscoveryList",
    items: [
      {
        metadata: { name: "apps" },
        versions: [{ version: "v1", resources: [aggregatedResource(deployments, "apps", "v1")] }],
      },
      {
        metadata: { name: "helm.toolkit.fluxcd.io" },
        versions: [
          { version: "v2", resources: [aggregatedResource(helmV2, "helm.toolkit.fluxcd.io", "v2")] },
          {
            version: "v2beta2",
            resources: [aggregatedResource(helmV2, "helm.toolkit.fluxcd.io", "v2beta2")],
          },
        ],
      },
    ],
  },
};

/** A server with the given documents; aggregated ones only for an Accept that asks for them. */
function server(withAggregated: boolean, requests: string[]): FetchDocument {
  return async (path, _signal, accept) => {
    requests.push(path);
    const asked = accept?.includes("as=APIGroupDiscoveryList") === true;
    const document = withAggregated && asked && path in aggregated ? aggregated[path] : legacy[path];
    if (document === undefined) throw new Error(`no document at ${path}`);
    return structuredClone(document);
  };
}

test("aggregated and per-group discovery resolve the same kinds; aggregated takes two requests", async () => {
  const aggregatedRequests: string[] = [];
  const legacyRequests: string[] = [];
  const fromAggregated = createDiscovery(server(true, aggregatedRequests), "staging");
  const fromLegacy = createDiscovery(server(false, legacyRequests), "staging");
  const kinds = await fromAggregated.kinds();
  assert.deepEqual(kinds, await fromLegacy.kinds());
  assert.deepEqual(
    kinds.map((kind) => `${kind.apiVersion} ${kind.plural}`),
    ["v1 namespaces", "v1 pods", "apps/v1 deployments", "helm.toolkit.fluxcd.io/v2 helmreleases"],
  );
  assert.deepEqual(aggregatedRequests.sort(), ["/api", "/apis"]);
  assert.equal(legacyRequests.length, 6);
  for (const [kind, apiVersion] of [
    ["hr", undefined],
    ["HelmRelease", "helm.toolkit.fluxcd.io/v2beta2"],
    ["deploy", undefined],
    ["ns", undefined],
  ] as const) {
    const resolve = (discovery: typeof fromLegacy) =>
      discovery.resolve(kind, apiVersion).then(
        (resolved) => resolved,
        (error: Error) => error.message,
      );
    assert.deepEqual(await resolve(fromAggregated), await resolve(fromLegacy), `${kind} ${apiVersion ?? ""}`);
  }
});

test("a stale group version of aggregated discovery counts as failed, as a failed per-group read does", async () => {
  const stale = structuredClone(aggregated);
  const apis = stale["/apis"] as { items: { versions: { freshness?: string }[] }[] };
  const helm = apis.items[1]?.versions ?? [];
  for (const version of helm) version.freshness = "Stale";
  const discovery = createDiscovery(async (path, _signal, accept) => {
    if (accept?.includes("as=APIGroupDiscoveryList") && path in stale) return structuredClone(stale[path]);
    throw new Error(`no document at ${path}`);
  }, "staging");
  await assert.rejects(discovery.resolve("HelmRelease", undefined), (error: Error) => {
    assert.match(
      error.message,
      /\(discovery of helm\.toolkit\.fluxcd\.io\/v2, helm\.toolkit\.fluxcd\.io\/v2beta2 failed\)$/,
    );
    return true;
  });
});
