import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestApiServer, type TestApiServer } from "../../helpers/apiserver.ts";
import { connectTools, type ToolSession } from "../../helpers/tool-session.ts";
import { failed, kubectlJson, ok, WIDGET_CRD } from "./support.ts";

const SHOP = `apiVersion: example.com/v1
kind: Widget
metadata: {name: gear, namespace: shop}
spec: {size: 3}
---
${WIDGET_CRD}---
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: shop}
data: {color: blue}
`;

describe("apply_kubernetes_manifest on the demo fleet", () => {
  let api: TestApiServer;
  let staging: ToolSession;
  const apply = (args: Record<string, unknown>, ctx = staging) => ctx.call("apply_kubernetes_manifest", args);

  before(async () => {
    api = await startTestApiServer();
    staging = await connectTools(api, { context: "staging" });
  });
  after(() => api?.close());

  it("applies CRDs and Namespaces first, then the objects that need them", async () => {
    assert.equal(
      ok(await apply({ yaml_content: SHOP })),
      [
        "CustomResourceDefinition/widgets.example.com created",
        "Namespace/shop created",
        "Widget/shop/gear created",
        "ConfigMap/shop/settings created",
      ].join("\n"),
    );
    const widget = await kubectlJson(api, "staging", [
      "get",
      "widget",
      "gear",
      "-n",
      "shop",
      "--show-managed-fields",
    ]);
    assert.equal(widget.spec.size, 3);
    const managers = widget.metadata.managedFields.map((entry: { manager: string }) => entry.manager);
    assert.deepEqual(managers, ["kubectl-flux-mcp"]);
  });

  it("says unchanged when nothing changes, and configured for what does", async () => {
    assert.match(ok(await apply({ yaml_content: SHOP })), /^(\S+ unchanged\n){3}\S+ unchanged$/);
    const changed = SHOP.replace("color: blue", "color: green");
    const result = ok(await apply({ yaml_content: changed }));
    assert.match(result, /\nWidget\/shop\/gear unchanged\nConfigMap\/shop\/settings configured$/);
    const configMap = await kubectlJson(api, "staging", ["get", "configmap", "settings", "-n", "shop"]);
    assert.equal(configMap.data.color, "green");
  });

  it("expands a kind: List and defaults the namespace to the context's", async () => {
    const list = JSON.stringify({
      apiVersion: "v1",
      kind: "List",
      items: [
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "listed-one" }, data: { a: "1" } },
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "listed-two", namespace: "shop" } },
      ],
    });
    assert.equal(
      ok(await apply({ yaml_content: list })),
      "ConfigMap/default/listed-one created\nConfigMap/shop/listed-two created",
    );
  });

  it("changes nothing with dry_run", async () => {
    const manifest =
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dry, namespace: shop}\ndata: {a: b}\n";
    assert.equal(
      ok(await apply({ yaml_content: manifest, dry_run: true })),
      "Server-side dry run in context staging, nothing was changed:\nConfigMap/shop/dry created (dry run)",
    );
    const get = await api.kubectl(["--context", "staging", "get", "configmap", "dry", "-n", "shop"]);
    assert.notEqual(get.code, 0);
    assert.match(get.stderr, /not found/);
  });

  it("refuses objects Flux manages unless overwrite is set", async () => {
    const deployment = await kubectlJson(api, "staging", ["get", "deployment", "cart", "-n", "frontend"]);
    const manifest = [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata: {name: cart, namespace: frontend}",
      "spec:",
      "  replicas: 3",
      `  selector: ${JSON.stringify(deployment.spec.selector)}`,
      `  template: ${JSON.stringify(deployment.spec.template)}`,
    ].join("\n");
    const refused = failed(await apply({ yaml_content: manifest }));
    assert.equal(
      refused,
      "refusing to apply Deployment/frontend/cart (Kustomization flux-system/apps) in context staging: managed by Flux, which reverts manual changes at its next reconciliation; change the source in Git instead, or call again with overwrite: true",
    );
    const unchanged = await kubectlJson(api, "staging", ["get", "deployment", "cart", "-n", "frontend"]);
    assert.equal(unchanged.spec.replicas, deployment.spec.replicas);

    assert.equal(
      ok(await apply({ yaml_content: manifest, overwrite: true })),
      "Deployment/frontend/cart configured",
    );
    const changed = await kubectlJson(api, "staging", ["get", "deployment", "cart", "-n", "frontend"]);
    assert.equal(changed.spec.replicas, 3);
  });

  it("says what was applied before a failure, and what was not", async () => {
    const configMap = (name: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: shop}\n`;
    const text = failed(
      await apply({
        yaml_content: [configMap("first"), configMap("Bad_Name"), configMap("never")].join("---\n"),
      }),
    );
    const lines = text.split("\n");
    assert.match(
      lines[0] ?? "",
      /^apply stopped: ConfigMap shop\/Bad_Name is invalid in context staging: metadata\.name: .*; not applied: ConfigMap\/shop\/never$/,
    );
    assert.deepEqual(lines.slice(1), ["applied before it:", "ConfigMap/shop/first created"]);
    assert.equal(
      (await api.kubectl(["--context", "staging", "get", "configmap", "never", "-n", "shop"])).code,
      1,
    );
  });

  it("names the document of malformed YAML", async () => {
    const text = failed(
      await apply({
        yaml_content: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fine}\n---\nmetadata: [unclosed\n",
      }),
    );
    assert.match(text, /^cannot apply the manifest: invalid YAML in document 2: /);
    assert.match(
      failed(await apply({ yaml_content: "a: [1\n" })),
      /^cannot apply the manifest: invalid YAML in document 1: /,
    );
    assert.equal(
      failed(await apply({ yaml_content: "kind: ConfigMap\nmetadata: {name: x}\n" })),
      "cannot apply the manifest: document 1 (ConfigMap x) has no apiVersion",
    );
    assert.equal(
      failed(await apply({ yaml_content: "---\n" })),
      "cannot apply the manifest: no Kubernetes objects found in the manifest",
    );
  });

  it("refuses a kind the cluster does not serve before writing anything", async () => {
    const manifest = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: before-gadget, namespace: shop}\n---\napiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g, namespace: shop}\n`;
    const text = failed(await apply({ yaml_content: manifest }));
    assert.match(text, /^cannot apply the manifest: Gadget\/shop\/g: .*Gadget/);
    const get = await api.kubectl([
      "--context",
      "staging",
      "get",
      "configmap",
      "before-gadget",
      "-n",
      "shop",
    ]);
    assert.notEqual(get.code, 0);
  });

  it("refuses an object whose namespace does not exist", async () => {
    const manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lost, namespace: nowhere}\n";
    assert.equal(
      failed(await apply({ yaml_content: manifest })),
      'cannot apply the manifest: namespace "nowhere" not found in context staging (needed by ConfigMap/nowhere/lost): add a Namespace to the manifest or create it first',
    );
  });

  it("reports a forbidden write as one line naming the identity", async () => {
    const rbac = [
      "apiVersion: rbac.authorization.k8s.io/v1",
      "kind: ClusterRole",
      "metadata: {name: read-everything}",
      "rules: [{apiGroups: ['*'], resources: ['*'], verbs: [get, list, watch]}]",
      "---",
      "apiVersion: rbac.authorization.k8s.io/v1",
      "kind: ClusterRoleBinding",
      "metadata: {name: viewer-reads-everything}",
      "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: read-everything}",
      "subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: viewer}]",
    ].join("\n");
    const granted = await api.kubectl(["--context", "staging", "apply", "-f", "-"], rbac);
    assert.equal(granted.code, 0, granted.stderr);
    const manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: sneaky, namespace: shop}\n";
    for (const user of ["viewer", "stranger"]) {
      const ctx = await connectTools(api, { context: "staging", impersonate: { user } });
      const text = failed(await apply({ yaml_content: manifest }, ctx));
      assert.doesNotMatch(text, /\n/);
      assert.match(
        text,
        new RegExp(`ConfigMap shop/sneaky is forbidden for user "${user}" in context staging`),
      );
    }
    const viewer = await connectTools(api, { context: "staging", impersonate: { user: "viewer" } });
    assert.match(
      failed(await apply({ yaml_content: manifest }, viewer)),
      /^apply stopped: .*cannot (apply|patch)/,
    );
  });
});
