import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestApiServer, type TestApiServer } from "../../helpers/apiserver.ts";
import { connectTools, type ToolSession } from "../../helpers/tool-session.ts";
import { failed, kubectlJson, ok, WIDGET_CRD } from "./support.ts";

describe("diff_kubernetes_manifest on the demo fleet", () => {
  let api: TestApiServer;
  let staging: ToolSession;
  const diff = (yaml_content: string) => staging.call("diff_kubernetes_manifest", { yaml_content });

  before(async () => {
    api = await startTestApiServer();
    staging = await connectTools(api, { context: "staging" });
  });
  after(() => api?.close());

  it("shows a change to a live object as a unified diff, and changes nothing", async () => {
    const live = await kubectlJson(api, "staging", ["get", "configmap", "cart-config", "-n", "frontend"]);
    const data = { ...live.data, LOG_LEVEL: "debug" };
    const manifest = JSON.stringify({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cart-config", namespace: "frontend" },
      data,
    });
    const text = ok(await diff(manifest));
    const lines = text.split("\n");
    assert.equal(lines[0], "Diff in context staging (server-side dry run, nothing was changed):");
    assert.equal(lines[1], "--- ConfigMap/frontend/cart-config (live)");
    assert.equal(lines[2], "+++ ConfigMap/frontend/cart-config (after apply)");
    assert.equal(lines[3], "# managed by Kustomization flux-system/apps: applying it needs overwrite: true");
    assert.match(lines[4] ?? "", /^@@ -\d+,\d+ \+\d+,\d+ @@$/);
    assert.ok(lines.includes("+  LOG_LEVEL: debug"), text);
    assert.doesNotMatch(text, /managedFields|resourceVersion|creationTimestamp|uid:/);
    const after = await kubectlJson(api, "staging", ["get", "configmap", "cart-config", "-n", "frontend"]);
    assert.equal(after.data.LOG_LEVEL, undefined);
  });

  it("says unchanged when applying would change nothing", async () => {
    const live = await kubectlJson(api, "staging", ["get", "configmap", "cart-config", "-n", "frontend"]);
    const manifest = JSON.stringify({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cart-config", namespace: "frontend" },
      data: live.data,
    });
    assert.match(ok(await diff(manifest)), /\nConfigMap\/frontend\/cart-config unchanged\n# managed by/);
  });

  it("shows new objects as all added, including those whose CRD is new in the manifest", async () => {
    const manifest = `${WIDGET_CRD}---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: gear, namespace: frontend}\nspec: {size: 3}\n`;
    const text = ok(await diff(manifest));
    assert.match(
      text,
      /\n--- \/dev\/null\n\+\+\+ CustomResourceDefinition\/widgets\.example\.com \(new\)\n@@ -0,0 \+1,\d+ @@\n\+apiVersion: apiextensions\.k8s\.io\/v1\n/,
    );
    assert.match(
      text,
      /\n--- \/dev\/null\n\+\+\+ Widget\/frontend\/gear \(new\) \(not validated: its CRD or namespace is new in this manifest\)\n@@ -0,0 \+1,7 @@\n\+apiVersion: example\.com\/v1\n\+kind: Widget\n/,
    );
    const crds = await api.kubectl(["--context", "staging", "get", "crd", "widgets.example.com"]);
    assert.notEqual(crds.code, 0);
  });

  it("masks Secret values and marks the ones that change", async () => {
    const secret = await kubectlJson(api, "staging", ["get", "secret", "cart-redis", "-n", "frontend"]);
    const keys = Object.keys(secret.data);
    const [changedKey = ""] = keys;
    const data = { ...secret.data, [changedKey]: Buffer.from("new-value").toString("base64") };
    const manifest = JSON.stringify({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "cart-redis", namespace: "frontend" },
      data,
    });
    const text = ok(await diff(manifest));
    assert.ok(text.includes(`-  ${changedKey}: "****"`), text);
    assert.ok(text.includes(`+  ${changedKey}: "**** (changed)"`), text);
    for (const value of Object.values(secret.data) as string[]) assert.ok(!text.includes(value));
  });

  it("reports malformed input like apply does", async () => {
    assert.match(failed(await diff("kind: [")), /^cannot diff the manifest: invalid YAML in document 1: /);
  });
});
