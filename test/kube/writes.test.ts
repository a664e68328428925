// Writes through the KubeProvider: create, the three patch types, server-side apply, delete, with
// dry-run, field managers and the status subresource; and read-only mode refusing every write
// before anything is sent.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { createKubeProvider } from "../../src/kube/provider.ts";
import type { Kube, KubeObject, ResolvedKind } from "../../src/kube/types.ts";

let api: TestApiServer;
let kube: Kube;
let configMaps: ResolvedKind;

before(async () => {
  api = await startTestApiServer();
  kube = await createKubeProvider({ kubeconfigPaths: [api.kubeconfigPath], readOnly: false }).forContext(
    "staging",
  );
  configMaps = await kube.resolveKind("cm");
});
after(async () => {
  await api.close();
});

function configMap(name: string, data: Record<string, string>): KubeObject {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "default" }, data };
}

test("create, then dry-run create that persists nothing, then conflict on a second create", async () => {
  const created = await kube.create(configMaps, configMap("created", { a: "1" }), { fieldManager: "tests" });
  assert.equal(created.kind, "ConfigMap");
  assert.ok(created.metadata.uid);
  assert.equal((created.metadata.managedFields as { manager: string }[])[0]?.manager, "tests");

  await kube.create(configMaps, configMap("dry", { a: "1" }), { dryRun: true });
  await assert.rejects(kube.get(configMaps, "dry", "default"), { reason: "NotFound" });

  await assert.rejects(kube.create(configMaps, configMap("created", {})), {
    reason: "Conflict",
    status: 409,
    message: "ConfigMap default/created already exists in context staging",
  });
});

test("creating in a namespace that does not exist says so", async () => {
  await assert.rejects(
    kube.create(configMaps, { ...configMap("lost", {}), metadata: { name: "lost", namespace: "nowhere" } }),
    {
      reason: "NotFound",
      message: 'cannot create ConfigMap nowhere/lost in context staging: namespaces "nowhere" not found',
    },
  );
});

test("a namespaced object without a namespace goes to the context's namespace", async () => {
  const { namespace: _, ...metadata } = configMap("defaulted", {}).metadata;
  const created = await kube.create(configMaps, { apiVersion: "v1", kind: "ConfigMap", metadata });
  assert.equal(created.metadata.namespace, "default");
});

test("merge, JSON and strategic merge patches", async () => {
  await kube.create(configMaps, configMap("patched", { a: "1" }));
  const merged = await kube.patch(configMaps, "patched", "default", { data: { b: "2" } }, "merge");
  assert.deepEqual(merged.data, { a: "1", b: "2" });
  const json = await kube.patch(
    configMaps,
    "patched",
    "default",
    [{ op: "remove", path: "/data/a" }],
    "json",
  );
  assert.deepEqual(json.data, { b: "2" });
  const strategic = await kube.patch(configMaps, "patched", "default", { data: { c: "3" } }, "strategic");
  assert.deepEqual(strategic.data, { b: "2", c: "3" });

  const dry = await kube.patch(configMaps, "patched", "default", { data: { d: "4" } }, "merge", {
    dryRun: true,
  });
  assert.equal(dry.data && (dry.data as Record<string, string>).d, "4");
  assert.deepEqual((await kube.get(configMaps, "patched", "default")).data, { b: "2", c: "3" });
});

test("patch of the status subresource", async () => {
  const kustomizations = await kube.resolveKind("ks");
  const patched = await kube.patch(
    kustomizations,
    "apps",
    "flux-system",
    { status: { lastHandledReconcileAt: "by-the-test" } },
    "merge",
    { subresource: "status", fieldManager: "tests" },
  );
  assert.equal((patched.status as { lastHandledReconcileAt: string }).lastHandledReconcileAt, "by-the-test");
  const entry = api.server.requestLog.entries({ method: "PATCH" }).at(-1);
  assert.equal(
    entry?.path,
    "/clusters/staging/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps/status?fieldManager=tests",
  );
});

test("an invalid patch is Invalid, in one line naming the object and the context", async () => {
  await assert.rejects(
    kube.patch(
      configMaps,
      "patched",
      "default",
      [{ op: "replace", path: "/data/nothing/deeper", value: 1 }],
      "json",
    ),
    {
      reason: "Invalid",
      status: 422,
      message:
        /^ConfigMap default\/patched is invalid in context staging: replace operation does not apply: [^\n]*$/,
    },
  );
});

test("server-side apply creates and updates, with the field manager, and force takes over", async () => {
  const applied = await kube.apply(configMaps, configMap("applied", { owner: "first" }), {
    fieldManager: "first",
  });
  assert.deepEqual(applied.data, { owner: "first" });
  await assert.rejects(
    kube.apply(configMaps, configMap("applied", { owner: "second" }), { fieldManager: "second" }),
    {
      reason: "Conflict",
    },
  );
  const forced = await kube.apply(configMaps, configMap("applied", { owner: "second" }), {
    fieldManager: "second",
    force: true,
  });
  assert.deepEqual(forced.data, { owner: "second" });
  const patch = api.server.requestLog.entries({ method: "PATCH" }).at(-1);
  assert.equal(
    patch?.path,
    "/clusters/staging/api/v1/namespaces/default/configmaps/applied?fieldManager=second&force=true",
  );
});

test("delete answers the deleted object; dry-run deletes nothing; a missing object is NotFound", async () => {
  await kube.create(configMaps, configMap("deleted", { a: "1" }));
  const dry = await kube.delete(configMaps, "deleted", "default", { dryRun: true });
  assert.equal(dry?.metadata.name, "deleted");
  assert.ok(await kube.get(configMaps, "deleted", "default"));

  const deleted = await kube.delete(configMaps, "deleted", "default", { propagationPolicy: "Foreground" });
  assert.equal(deleted?.kind, "ConfigMap");
  await assert.rejects(kube.get(configMaps, "deleted", "default"), { reason: "NotFound" });
  await assert.rejects(kube.delete(configMaps, "deleted", "default"), {
    reason: "NotFound",
    message: "ConfigMap default/deleted not found in context staging",
  });
});

test("read-only: every write is refused before a request is sent", async () => {
  const readOnly = await createKubeProvider({
    kubeconfigPaths: [api.kubeconfigPath],
    readOnly: true,
  }).forContext("staging");
  const kustomizations = await readOnly.resolveKind("ks");
  const mark = api.server.requestLog.mark();
  const refusals = [
    readOnly.create(configMaps, configMap("nope", {})),
    readOnly.patch(kustomizations, "apps", "flux-system", { spec: { suspend: true } }, "merge"),
    readOnly.patch(kustomizations, "apps", "flux-system", { status: {} }, "merge", { subresource: "status" }),
    readOnly.apply(configMaps, configMap("nope", {}), { fieldManager: "x", force: true }),
    readOnly.delete(kustomizations, "apps", "flux-system"),
  ];
  for (const refusal of refusals) await assert.rejects(refusal, { reason: "ReadOnly" });
  await assert.rejects(readOnly.delete(kustomizations, "apps", "flux-system"), {
    message:
      "refusing to delete Kustomization flux-system/apps in context staging: the server is in read-only mode",
  });
  assert.deepEqual(api.server.requestLog.entries({ since: mark }), []);
  assert.deepEqual(api.server.requestLog.writesSince(mark), []);
  // Reads still work.
  assert.equal((await readOnly.get(kustomizations, "apps", "flux-system")).metadata.name, "apps");
});

test("read-only: a dry run goes through, since it persists nothing (diff_kubernetes_manifest needs it)", async () => {
  const readOnly = await createKubeProvider({
    kubeconfigPaths: [api.kubeconfigPath],
    readOnly: true,
  }).forContext("staging");
  const mark = api.server.requestLog.mark();
  const planned = await readOnly.apply(configMaps, configMap("dry-run-only", { a: "1" }), {
    fieldManager: "x",
    dryRun: true,
  });
  assert.equal(planned.metadata.name, "dry-run-only");
  const writes = api.server.requestLog.writesSince(mark);
  assert.equal(writes.length, 1);
  assert.match(writes[0]?.path ?? "", /[?&]dryRun=All/);
  await assert.rejects(readOnly.get(configMaps, "dry-run-only", "default"), { reason: "NotFound" });
});
