import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestApiServer, type TestApiServer } from "../../helpers/apiserver.ts";
import { connectTools, type ToolSession } from "../../helpers/tool-session.ts";
import { failed, kubectlJson, ok } from "./support.ts";

describe("patch_kubernetes_resource on the demo fleet", () => {
  let api: TestApiServer;
  let staging: ToolSession;
  const patch = (args: Record<string, unknown>) => staging.call("patch_kubernetes_resource", args);
  const cart = { kind: "Deployment", name: "cart", namespace: "frontend" };

  before(async () => {
    api = await startTestApiServer({ simulation: false });
    staging = await connectTools(api, { context: "staging" });
    const created = await api.kubectl(
      ["--context", "staging", "apply", "-f", "-"],
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: tunables, namespace: frontend, finalizers: [example.com/hold]}\ndata: {mode: slow, size: '1'}\n",
    );
    assert.equal(created.code, 0, created.stderr);
  });
  after(() => api?.close());

  it("applies a merge patch given as YAML and shows the change", async () => {
    const text = ok(
      await patch({
        kind: "ConfigMap",
        name: "tunables",
        namespace: "frontend",
        patch: "data:\n  mode: fast\n  size: null\n",
      }),
    );
    const lines = text.split("\n");
    assert.equal(lines[0], "ConfigMap frontend/tunables in context staging: patched (merge patch)");
    assert.ok(lines.includes("-  mode: slow") && lines.includes("+  mode: fast"), text);
    assert.ok(lines.includes('-  size: "1"'), text);
    const live = await kubectlJson(api, "staging", [
      "get",
      "configmap",
      "tunables",
      "-n",
      "frontend",
      "--show-managed-fields",
    ]);
    assert.deepEqual(live.data, { mode: "fast" });
    const managers = live.metadata.managedFields.map((entry: { manager: string }) => entry.manager);
    assert.ok(managers.includes("flux-mcp"), managers.join(", "));
  });

  it("applies a JSON patch, e.g. removing a stuck finalizer", async () => {
    const text = ok(
      await patch({
        kind: "ConfigMap",
        name: "tunables",
        namespace: "frontend",
        type: "json",
        patch: '[{"op":"remove","path":"/metadata/finalizers"}]',
      }),
    );
    assert.match(text, /^ConfigMap frontend\/tunables in context staging: patched \(json patch\)\n/);
    assert.match(text, /\n- {2}finalizers:\n- {4}- example\.com\/hold/);
    const live = await kubectlJson(api, "staging", ["get", "configmap", "tunables", "-n", "frontend"]);
    assert.equal(live.metadata.finalizers, undefined);
  });

  it("refuses a Flux-managed Deployment, then merges a strategic patch into its containers with overwrite", async () => {
    const patchText = JSON.stringify({
      spec: {
        template: {
          spec: { containers: [{ name: "cart", env: [{ name: "CART_MODE", value: "fast" }] }] },
        },
      },
    });
    const refused = failed(await patch({ ...cart, type: "strategic", patch: patchText }));
    assert.match(
      refused,
      /^refusing to patch Deployment frontend\/cart \(Kustomization flux-system\/apps\) in context staging: managed by Flux/,
    );

    const before = await kubectlJson(api, "staging", ["get", "deployment", "cart", "-n", "frontend"]);
    const text = ok(await patch({ ...cart, type: "strategic", patch: patchText, overwrite: true }));
    assert.match(text, /patched \(strategic patch\)/);
    assert.match(text, /\n\+ +- name: CART_MODE\n\+ +value: fast\n/);
    const after = await kubectlJson(api, "staging", ["get", "deployment", "cart", "-n", "frontend"]);
    const [container] = after.spec.template.spec.containers;
    assert.equal(
      container.image,
      before.spec.template.spec.containers[0].image,
      "strategic merge kept the container",
    );
    assert.ok(container.env.some((variable: { name: string }) => variable.name === "CART_MODE"));
  });

  it("patches the status subresource", async () => {
    const text = ok(
      await patch({
        kind: "Kustomization",
        name: "infra-configs",
        namespace: "flux-system",
        subresource: "status",
        patch: '{"status":{"lastHandledReconcileAt":"by-hand"}}',
        overwrite: true,
      }),
    );
    assert.match(text, /patched \(merge patch of the status subresource\)\n/);
    assert.match(text, /\n\+ {2}lastHandledReconcileAt: by-hand/);
    const live = await kubectlJson(api, "staging", [
      "get",
      "kustomization",
      "infra-configs",
      "-n",
      "flux-system",
    ]);
    assert.equal(live.status.lastHandledReconcileAt, "by-hand");
  });

  it("changes nothing with dry_run", async () => {
    const text = ok(
      await patch({
        kind: "ConfigMap",
        name: "tunables",
        namespace: "frontend",
        patch: '{"data":{"mode":"dry"}}',
        dry_run: true,
      }),
    );
    assert.match(text, /: dry run, nothing was changed \(merge patch\)\n/);
    assert.match(text, /\n\+ {2}mode: dry/);
    const live = await kubectlJson(api, "staging", ["get", "configmap", "tunables", "-n", "frontend"]);
    assert.equal(live.data.mode, "fast");
  });

  it("explains malformed patches and missing objects in one line", async () => {
    assert.match(
      failed(
        await patch({
          kind: "ConfigMap",
          name: "tunables",
          namespace: "frontend",
          type: "json",
          patch: '{"a":1}',
        }),
      ),
      /^invalid patch for ConfigMap tunables: a json patch is a list of operations/,
    );
    assert.match(
      failed(await patch({ kind: "ConfigMap", name: "tunables", namespace: "frontend", patch: "{unclosed" })),
      /^invalid patch for ConfigMap tunables: /,
    );
    const missing = failed(
      await patch({ kind: "ConfigMap", name: "absent", namespace: "frontend", patch: "{}" }),
    );
    assert.doesNotMatch(missing, /\n/);
    assert.match(missing, /absent/);
    assert.match(missing, /staging/);
  });
});
