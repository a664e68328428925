// Contract tests with @kubernetes/client-node, the library our Kubernetes layer builds on: typed
// and generic clients, server-side apply, watches and errors against the in-memory API server.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  Watch,
  type KubernetesObject,
} from "@kubernetes/client-node";
import { startTestApiServer, type TestApiServer } from "../src/testing.ts";

let api: TestApiServer;
let config: KubeConfig;

before(async () => {
  api = await startTestApiServer();
  config = new KubeConfig();
  config.loadFromFile(api.kubeconfigPath);
  config.setCurrentContext("staging");
});
after(async () => {
  await api.close();
});

test("typed client lists pods with a label selector", async () => {
  const core = config.makeApiClient(CoreV1Api);
  const pods = await core.listNamespacedPod({
    namespace: "flux-system",
    labelSelector: "app=source-controller",
  });
  assert.equal(pods.items.length, 1);
  assert.match(pods.items[0]?.metadata?.name ?? "", /^source-controller-/);
});

test("custom objects: list every HelmRelease and page through them", async () => {
  const custom = config.makeApiClient(CustomObjectsApi);
  const all = (await custom.listClusterCustomObject({
    group: "helm.toolkit.fluxcd.io",
    version: "v2",
    plural: "helmreleases",
  })) as {
    items: KubernetesObject[];
  };
  assert.ok(all.items.length >= 4);
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = (await custom.listClusterCustomObject({
      group: "helm.toolkit.fluxcd.io",
      version: "v2",
      plural: "helmreleases",
      limit: 2,
      ...(token && { _continue: token }),
    })) as { items: KubernetesObject[]; metadata: { continue?: string } };
    names.push(...page.items.map((item) => item.metadata?.name ?? ""));
    token = page.metadata.continue;
  } while (token);
  assert.deepEqual(
    names,
    all.items.map((item) => item.metadata?.name ?? ""),
  );
});

test("not found is an ApiException with code 404 and a Status body", async () => {
  const core = config.makeApiClient(CoreV1Api);
  await assert.rejects(
    core.readNamespacedConfigMap({ namespace: "default", name: "absent" }),
    (error: unknown) => {
      assert.ok(error instanceof ApiException);
      assert.equal(error.code, 404);
      assert.match(String(error.body), /configmaps \\?"absent\\?" not found/);
      return true;
    },
  );
});

test("generic client: server-side apply, dry run, merge patch and delete", async () => {
  const objects = KubernetesObjectApi.makeApiClient(config);
  const configMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "contract", namespace: "default" },
    data: { a: "1" },
  };
  const dryRun = await objects.patch(
    configMap,
    undefined,
    "All",
    "contract-test",
    true,
    PatchStrategy.ServerSideApply,
  );
  assert.equal(dryRun.metadata?.name, "contract");
  await assert.rejects(
    objects.read({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "contract", namespace: "default" },
    }),
  );
  const applied = await objects.patch(
    configMap,
    undefined,
    undefined,
    "contract-test",
    true,
    PatchStrategy.ServerSideApply,
  );
  assert.equal((applied as unknown as { data: Record<string, string> }).data.a, "1");
  assert.equal((applied as KubernetesObject).metadata?.managedFields?.[0]?.manager, "contract-test");
  const patched = await objects.patch(
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "contract", namespace: "default" },
      data: { b: "2" },
    } as KubernetesObject,
    undefined,
    undefined,
    undefined,
    undefined,
    PatchStrategy.MergePatch,
  );
  assert.deepEqual((patched as unknown as { data: Record<string, string> }).data, { a: "1", b: "2" });
  await objects.delete({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "contract", namespace: "default" },
  });
  await assert.rejects(
    objects.read({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "contract", namespace: "default" },
    }),
  );
});

test("watch streams the change a reconcile request causes", async () => {
  const custom = config.makeApiClient(CustomObjectsApi);
  const list = (await custom.listNamespacedCustomObject({
    group: "kustomize.toolkit.fluxcd.io",
    version: "v1",
    namespace: "flux-system",
    plural: "kustomizations",
  })) as { metadata: { resourceVersion: string } };
  const seen: { type: string; handled?: string }[] = [];
  const requestedAt = new Date().toISOString();
  const handled = new Promise<void>((resolve, reject) => {
    void new Watch(config)
      .watch(
        "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations",
        { resourceVersion: list.metadata.resourceVersion, fieldSelector: "metadata.name=infra-controllers" },
        (type, object: { status?: { lastHandledReconcileAt?: string } }) => {
          seen.push({
            type,
            ...(object.status?.lastHandledReconcileAt && { handled: object.status.lastHandledReconcileAt }),
          });
          if (object.status?.lastHandledReconcileAt === requestedAt) resolve();
        },
        (error: unknown) => {
          if (error) reject(error as Error);
        },
      )
      .then((controller) => handled.finally(() => controller.abort()));
  });
  await KubernetesObjectApi.makeApiClient(config).patch(
    {
      apiVersion: "kustomize.toolkit.fluxcd.io/v1",
      kind: "Kustomization",
      metadata: {
        name: "infra-controllers",
        namespace: "flux-system",
        annotations: { "reconcile.fluxcd.io/requestedAt": requestedAt },
      },
    },
    undefined,
    undefined,
    undefined,
    undefined,
    PatchStrategy.MergePatch,
  );
  await handled;
  assert.ok(seen.every((event) => event.type === "MODIFIED"));
  assert.ok(seen.length >= 2, "the annotation, then the controller's status");
});
