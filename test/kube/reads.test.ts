// Reading through the KubeProvider against the in-memory API server: kinds resolved by discovery
// the way kubectl resolves them, get, list with selectors and paging, logs, metrics, and errors
// worded for the user.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { createKubeProvider } from "../../src/kube/provider.ts";
import { KubeError, type Kube, type KubeObject } from "../../src/kube/types.ts";

let api: TestApiServer;
let kube: Kube;

before(async () => {
  api = await startTestApiServer();
  const provider = createKubeProvider({ kubeconfigPaths: [api.kubeconfigPath], readOnly: false });
  kube = await provider.forContext("staging");
});
after(async () => {
  await api.close();
});

test("resolveKind accepts a short name, a plural, a Kind in any case and resource.group", async () => {
  const byShortName = await kube.resolveKind("ks");
  assert.equal(byShortName.apiVersion, "kustomize.toolkit.fluxcd.io/v1");
  assert.equal(byShortName.kind, "Kustomization");
  assert.equal(byShortName.plural, "kustomizations");
  assert.equal(byShortName.namespaced, true);
  assert.ok(byShortName.verbs.includes("patch"));
  assert.deepEqual(byShortName.servedVersions, ["v1"]);

  assert.equal((await kube.resolveKind("hr")).kind, "HelmRelease");
  assert.equal((await kube.resolveKind("helmreleases")).kind, "HelmRelease");
  assert.equal((await kube.resolveKind("helmrelease")).kind, "HelmRelease");
  assert.equal((await kube.resolveKind("HELMRELEASE")).kind, "HelmRelease");
  assert.equal((await kube.resolveKind("deployments.apps")).apiVersion, "apps/v1");
  assert.equal((await kube.resolveKind("Namespace")).namespaced, false);
});

test("resolveKind takes group/version, a bare core version, or just the group", async () => {
  assert.equal((await kube.resolveKind("HelmRelease", "helm.toolkit.fluxcd.io/v2")).version, "v2");
  const groupOnly = await kube.resolveKind("HelmRelease", "helm.toolkit.fluxcd.io");
  assert.equal(groupOnly.apiVersion, `helm.toolkit.fluxcd.io/${groupOnly.servedVersions[0]}`);
  assert.equal((await kube.resolveKind("ConfigMap", "v1")).apiVersion, "v1");

  await assert.rejects(kube.resolveKind("Kustomization", "kustomize.toolkit.fluxcd.io/v9"), (error) => {
    assert.ok(error instanceof KubeError);
    assert.equal(error.reason, "UnknownKind");
    assert.match(error.message, /not served at kustomize\.toolkit\.fluxcd\.io\/v9 in context staging/);
    assert.match(error.message, /served at kustomize\.toolkit\.fluxcd\.io\/v1$/);
    return true;
  });
  await assert.rejects(kube.resolveKind("ks", "v1"), { reason: "UnknownKind" });
});

test("Event is served by two groups: the core group wins, as in kubectl", async () => {
  const event = await kube.resolveKind("Event");
  assert.equal(event.apiVersion, "v1");
  assert.equal((await kube.resolveKind("Event", "events.k8s.io")).apiVersion, "events.k8s.io/v1");
});

test("an unknown kind suggests close names, after one discovery refresh", async () => {
  const mark = api.server.requestLog.mark();
  await assert.rejects(kube.resolveKind("helmreleas"), (error) => {
    assert.ok(error instanceof KubeError);
    assert.equal(error.reason, "UnknownKind");
    assert.equal(
      error.message,
      `the server doesn't have a resource type "helmreleas" in context staging; did you mean HelmRelease (helm.toolkit.fluxcd.io)?`,
    );
    return true;
  });
  const refetched = api.server.requestLog
    .entries({ since: mark })
    .filter((entry) => entry.path.endsWith("/apis"));
  assert.equal(refetched.length, 1, "a miss refreshes discovery once");
});

test("discovery is cached: resolving known kinds sends no request", async () => {
  await kube.resolveKind("Pod");
  const mark = api.server.requestLog.mark();
  await kube.resolveKind("ks");
  await kube.resolveKind("Deployment");
  await kube.kinds();
  assert.deepEqual(api.server.requestLog.entries({ since: mark }), []);
});

test("kinds() lists every served kind once, subresources left out", async () => {
  const kinds = await kube.kinds();
  const names = kinds.map((kind) => `${kind.apiVersion} ${kind.kind}`);
  assert.ok(names.includes("v1 Pod"));
  assert.ok(names.includes("kustomize.toolkit.fluxcd.io/v1 Kustomization"));
  assert.ok(names.includes("events.k8s.io/v1 Event"));
  assert.equal(new Set(names).size, names.length);
  assert.ok(kinds.every((kind) => !kind.plural.includes("/")));
});

test("get returns the object with its type", async () => {
  const kustomizations = await kube.resolveKind("ks");
  const apps = await kube.get(kustomizations, "apps", "flux-system");
  assert.equal(apps.apiVersion, "kustomize.toolkit.fluxcd.io/v1");
  assert.equal(apps.kind, "Kustomization");
  assert.equal(apps.metadata.name, "apps");
  const namespaces = await kube.resolveKind("ns");
  assert.equal((await kube.get(namespaces, "flux-system")).metadata.name, "flux-system");
});

test("list fills apiVersion and kind on every item and pages with continue", async () => {
  const kustomizations = await kube.resolveKind("ks");
  const everything = await kube.list(kustomizations);
  assert.ok(everything.items.length >= 3);
  assert.equal(everything.continue, undefined);
  assert.notEqual(everything.resourceVersion, "");

  const names: string[] = [];
  let page = await kube.list(kustomizations, { limit: 2 });
  assert.equal(page.items.length, 2);
  assert.equal(page.remainingItemCount, everything.items.length - 2);
  for (;;) {
    for (const item of page.items) {
      assert.equal(item.apiVersion, "kustomize.toolkit.fluxcd.io/v1");
      assert.equal(item.kind, "Kustomization");
      names.push(`${item.metadata.namespace}/${item.metadata.name}`);
    }
    if (!page.continue) break;
    page = await kube.list(kustomizations, { limit: 2, continue: page.continue });
  }
  assert.deepEqual(
    names,
    everything.items.map((item) => `${item.metadata.namespace}/${item.metadata.name}`),
  );
});

test("list passes the namespace and the label and field selectors", async () => {
  const pods = await kube.resolveKind("pods");
  const controllers = await kube.list(pods, {
    namespace: "flux-system",
    labelSelector: "app=source-controller",
  });
  assert.equal(controllers.items.length, 1);
  assert.match(controllers.items[0]?.metadata.name ?? "", /^source-controller-/);

  const byName = await kube.list(await kube.resolveKind("ks"), { fieldSelector: "metadata.name=apps" });
  assert.deepEqual(
    byName.items.map((item) => item.metadata.name),
    ["apps"],
  );
  const inNamespace = await kube.list(pods, { namespace: "flux-system" });
  assert.ok(inNamespace.items.every((item) => item.metadata.namespace === "flux-system"));
});

test("podLogs returns the log text; getPath answers metrics as JSON", async () => {
  const pods = await kube.resolveKind("pods");
  const [controller] = (
    await kube.list(pods, { namespace: "flux-system", labelSelector: "app=source-controller" })
  ).items;
  const logs = await kube.podLogs("flux-system", controller?.metadata.name ?? "", { tailLines: 2 });
  assert.equal(typeof logs, "string");
  assert.ok(logs.trim().split("\n").length <= 2);

  const metrics = (await kube.getPath(["apis", "metrics.k8s.io", "v1beta1", "nodes"])) as {
    kind: string;
    items: unknown[];
  };
  assert.equal(metrics.kind, "NodeMetricsList");
  assert.ok(metrics.items.length > 0);
  assert.match(await kube.serverVersion(), /^v1\.\d+/);
});

test("not found names the object and the context", async () => {
  const helmReleases = await kube.resolveKind("hr");
  await assert.rejects(kube.get(helmReleases, "frontend", "podinfo"), (error) => {
    assert.ok(error instanceof KubeError);
    assert.equal(error.reason, "NotFound");
    assert.equal(error.status, 404);
    assert.equal(error.message, "HelmRelease podinfo/frontend not found in context staging");
    return true;
  });
  await assert.rejects(kube.getPath(["apis", "nothing.example.com", "v1", "things"]), { reason: "NotFound" });
});

test("an invalid request becomes a one-line KubeError", async () => {
  const pods = await kube.resolveKind("pods");
  await assert.rejects(kube.list(pods, { labelSelector: "app in (" }), (error) => {
    assert.ok(error instanceof KubeError);
    assert.equal(error.reason, "BadRequest");
    assert.match(error.message, /^cannot list pods in all namespaces in context staging: /);
    assert.doesNotMatch(error.message, /\n/);
    return true;
  });
});

test("another context of the same kubeconfig is another cluster", async () => {
  const provider = createKubeProvider({ kubeconfigPaths: [api.kubeconfigPath], readOnly: false });
  const production = await provider.forContext("production");
  assert.equal(production.context, "production");
  assert.equal(production.identity, "");
  const mark = api.server.requestLog.mark();
  await production.list(await production.resolveKind("hr"), { namespace: "ingress-nginx" });
  const paths = api.server.requestLog.entries({ since: mark }).map((entry) => entry.path);
  assert.ok(paths.length > 0);
  assert.ok(
    paths.every((path) => path.startsWith("/clusters/production/")),
    paths.join(" "),
  );
});

function widgetDefinition(group: string): KubeObject {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `widgets.${group}` },
    spec: {
      group,
      scope: "Namespaced",
      names: {
        kind: "Widget",
        plural: "widgets",
        singular: "widget",
        listKind: "WidgetList",
        shortNames: ["wd"],
      },
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
        },
      ],
    },
  };
}

test("a kind added after discovery is found; two groups serving it make it ambiguous", async () => {
  const definitions = await kube.resolveKind("crd");
  await kube.create(definitions, widgetDefinition("a.example.com"));
  assert.equal(
    (await kube.resolveKind("Widget")).apiVersion,
    "a.example.com/v1",
    "found by the refresh on a miss",
  );

  await kube.create(definitions, widgetDefinition("b.example.com"));
  // The cache knows one Widget until a miss (here: in group b) refreshes it.
  assert.equal((await kube.resolveKind("Widget", "b.example.com")).apiVersion, "b.example.com/v1");
  for (const typed of ["Widget", "widgets", "wd"]) {
    await assert.rejects(kube.resolveKind(typed), (error) => {
      assert.ok(error instanceof KubeError);
      assert.equal(error.reason, "AmbiguousKind");
      assert.equal(
        error.message,
        `"${typed}" is served by several API groups in context staging: name one with apiVersion (a.example.com/v1, b.example.com/v1)`,
      );
      return true;
    });
  }
  assert.equal((await kube.resolveKind("wd", "a.example.com/v1")).apiVersion, "a.example.com/v1");
  assert.equal((await kube.resolveKind("widgets.b.example.com")).apiVersion, "b.example.com/v1");
});
