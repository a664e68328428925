import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestApiServer, type TestApiServer } from "../../helpers/apiserver.ts";
import { connectTools, type ToolSession } from "../../helpers/tool-session.ts";
import { failed, ok } from "./support.ts";

describe("delete_kubernetes_resource on the demo fleet", () => {
  let api: TestApiServer;
  let staging: ToolSession;
  const remove = (args: Record<string, unknown>, ctx = staging) =>
    ctx.call("delete_kubernetes_resource", args);
  const exists = async (...args: string[]) =>
    (await api.kubectl(["--context", "staging", "get", ...args])).code === 0;

  before(async () => {
    api = await startTestApiServer({ simulation: false });
    staging = await connectTools(api, { context: "staging" });
    const created = await api.kubectl(
      ["--context", "staging", "apply", "-f", "-"],
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: scratch, namespace: frontend}\ndata: {a: b}\n",
    );
    assert.equal(created.code, 0, created.stderr);
  });
  after(() => api?.close());

  it("deletes an unmanaged object", async () => {
    assert.equal(
      ok(await remove({ kind: "ConfigMap", name: "scratch", namespace: "frontend" })),
      "ConfigMap frontend/scratch in context staging: deleted",
    );
    assert.equal(await exists("configmap", "scratch", "-n", "frontend"), false);
  });

  it("refuses a Flux-managed Deployment; a dry run with overwrite says what the deletion sets off", async () => {
    const cart = { kind: "Deployment", name: "cart", namespace: "frontend" };
    assert.match(
      failed(await remove(cart)),
      /^refusing to delete Deployment frontend\/cart \(Kustomization flux-system\/apps\) in context staging: managed by Flux/,
    );
    const text = ok(await remove({ ...cart, overwrite: true, dry_run: true }));
    const lines = text.split("\n");
    assert.equal(
      lines[0],
      "Deployment frontend/cart in context staging: would be deleted (dry run, nothing was deleted)",
    );
    assert.equal(
      lines[1],
      "managed by Kustomization flux-system/apps: Flux re-creates it at the next reconciliation unless it is removed from the source",
    );
    assert.match(
      lines[2] ?? "",
      /^propagates to: ReplicaSet cart-\w+(, ReplicaSet cart-\w+)*, Pod cart-\w+-\w+/,
    );
    assert.equal(await exists("deployment", "cart", "-n", "frontend"), true);

    assert.match(
      ok(await remove({ ...cart, overwrite: true })),
      /^Deployment frontend\/cart in context staging: deleted\n/,
    );
    assert.equal(await exists("deployment", "cart", "-n", "frontend"), false);
  });

  it("says what deleting a Flux object does to its inventory, and waits for finalizers", async () => {
    const text = ok(
      await remove({
        kind: "Kustomization",
        name: "monitoring-configs",
        namespace: "flux-system",
        overwrite: true,
        dry_run: true,
      }),
    );
    assert.match(
      text,
      /\npropagates to: (the \d+ objects of its inventory \(its controller deletes them\)|nothing: spec\.prune is off)/,
    );
    assert.match(text, /\nfinalizers: finalizers\.fluxcd\.io \(the object stays, marked for deletion, until/);
  });

  it("says who owns an object that a controller re-creates", async () => {
    const pods = await api.kubectl([
      "--context",
      "staging",
      "get",
      "pods",
      "-n",
      "cert-manager",
      "-o",
      "name",
    ]);
    const pod = (pods.stdout.split("\n")[0] ?? "").replace("pod/", "");
    const text = ok(await remove({ kind: "Pod", name: pod, namespace: "cert-manager", dry_run: true }));
    assert.match(
      text,
      /\nowned by ReplicaSet cert-manager[\w-]+ \(controller\), which may create a replacement$/,
    );
  });

  it("asks for the namespace of a namespaced kind, and names a missing object", async () => {
    assert.equal(
      failed(await remove({ kind: "ConfigMap", name: "scratch" })),
      "ConfigMap is namespaced: give the namespace of ConfigMap scratch",
    );
    const missing = failed(await remove({ kind: "ConfigMap", name: "scratch", namespace: "frontend" }));
    assert.match(missing, /scratch/);
    assert.match(missing, /staging/);
  });

  it("reports a forbidden deletion in one line", async () => {
    const stranger = await connectTools(api, { context: "staging", impersonate: { user: "stranger" } });
    const text = failed(
      await remove(
        { kind: "ConfigMap", name: "cart-config", namespace: "frontend", overwrite: true },
        stranger,
      ),
    );
    assert.doesNotMatch(text, /\n/);
    assert.match(text, /forbidden/i);
  });
});
