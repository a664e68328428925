// The tools that change a cluster, through a real MCP client over stdio against the in-memory API
// server with its Flux controller simulation; real kubectl checks each effect from outside.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Client } from "@modelcontextprotocol/client";
import { parse as parseYaml } from "yaml";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { connectStdio, textOf, type StdioConnection } from "../helpers/mcp-clients.ts";

async function call(client: Client, name: string, args: Record<string, unknown>) {
  const result = await client.callTool({ name, arguments: args });
  return { text: textOf(result), isError: (result as { isError?: boolean }).isError === true };
}

describe("operations through an MCP client", { timeout: 180_000 }, () => {
  let api: TestApiServer;
  let connection: StdioConnection;
  const kubectl = async (args: string[]) => {
    const result = await api.kubectl(["--context", "staging", ...args]);
    assert.equal(result.code, 0, result.stderr);
    return result.stdout;
  };
  const handledAt = (kind: string, name: string, namespace: string) =>
    kubectl(["get", kind, name, "-n", namespace, "-o", "jsonpath={.status.lastHandledReconcileAt}"]);

  before(async () => {
    api = await startTestApiServer();
    connection = await connectStdio(
      ["--kubeconfig", api.kubeconfigPath, "--kube-context", "staging"],
      "2025-11-25",
    );
  });
  after(async () => {
    await connection?.client.close();
    await api?.close();
  });

  it("reconciles a healthy Kustomization and reports it ready; kubectl sees the request handled", async () => {
    const before = await handledAt("ks", "infra-configs", "flux-system");
    const answer = await call(connection.client, "reconcile_flux_kustomization", {
      name: "infra-configs",
      namespace: "flux-system",
    });
    assert.equal(answer.isError, false, answer.text);
    assert.match(answer.text, /reconciled/);
    assert.match(answer.text, /ready: True/);
    const after = await handledAt("ks", "infra-configs", "flux-system");
    assert.notEqual(after, before);
    assert.notEqual(after, "");
  });

  it("reconciles a failing Kustomization and HelmRelease and reports the real failure", async () => {
    const apps = await call(connection.client, "reconcile_flux_resource", {
      kind: "Kustomization",
      name: "apps",
      namespace: "flux-system",
    });
    assert.match(apps.text, /BuildFailed/);
    assert.match(apps.text, /ready: False/);
    const before = await handledAt("hr", "kube-prometheus-stack", "monitoring");
    const release = await call(connection.client, "reconcile_flux_helmrelease", {
      name: "kube-prometheus-stack",
      namespace: "monitoring",
      force: true,
    });
    assert.match(release.text, /ready: False/);
    assert.match(release.text, /RetriesExceeded|UpgradeFailed|RollbackSucceeded/);
    assert.notEqual(await handledAt("hr", "kube-prometheus-stack", "monitoring"), before);
  });

  it("suspends, then resumes, a HelmRelease, as kubectl sees it", async () => {
    const target = { kind: "HelmRelease", name: "podinfo", namespace: "frontend" };
    const suspended = await call(connection.client, "suspend_flux_reconciliation", target);
    assert.equal(suspended.isError, false, suspended.text);
    const spec = () =>
      kubectl(["get", "hr", "podinfo", "-n", "frontend", "-o", "yaml"]).then(
        (text) => (parseYaml(text) as { spec: { suspend?: boolean } }).spec,
      );
    assert.equal((await spec()).suspend, true);
    const refused = await call(connection.client, "reconcile_flux_resource", target);
    assert.equal(refused.isError, true);
    assert.match(refused.text, /suspended/);
    const resumed = await call(connection.client, "resume_flux_reconciliation", target);
    assert.equal(resumed.isError, false, resumed.text);
    assert.notEqual((await spec()).suspend, true);
    assert.match(resumed.text, /ready: True/);
  });

  it("applies, diffs, patches and deletes, and refuses objects Flux manages", async () => {
    const manifest = (value: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ops-e2e, namespace: default}\ndata: {mode: ${value}}\n`;
    const created = await call(connection.client, "apply_kubernetes_manifest", {
      yaml_content: manifest("one"),
    });
    assert.match(created.text, /ConfigMap\/default\/ops-e2e created/);
    assert.equal(
      await kubectl(["get", "cm", "ops-e2e", "-n", "default", "-o", "jsonpath={.data.mode}"]),
      "one",
    );

    const diff = await call(connection.client, "diff_kubernetes_manifest", { yaml_content: manifest("two") });
    assert.match(diff.text, /-\s*mode: one/);
    assert.match(diff.text, /\+\s*mode: two/);
    assert.equal(
      await kubectl(["get", "cm", "ops-e2e", "-n", "default", "-o", "jsonpath={.data.mode}"]),
      "one",
    );

    const patched = await call(connection.client, "patch_kubernetes_resource", {
      kind: "ConfigMap",
      name: "ops-e2e",
      namespace: "default",
      patch: '{"data":{"mode":"three"}}',
    });
    assert.equal(patched.isError, false, patched.text);
    assert.equal(
      await kubectl(["get", "cm", "ops-e2e", "-n", "default", "-o", "jsonpath={.data.mode}"]),
      "three",
    );

    const deleted = await call(connection.client, "delete_kubernetes_resource", {
      kind: "ConfigMap",
      name: "ops-e2e",
      namespace: "default",
    });
    assert.equal(deleted.isError, false, deleted.text);
    const gone = await api.kubectl(["--context", "staging", "get", "cm", "ops-e2e", "-n", "default"]);
    assert.match(gone.stderr, /not found/);

    const managed = { kind: "Deployment", name: "cart", namespace: "frontend" };
    const guarded = [
      await call(connection.client, "apply_kubernetes_manifest", {
        yaml_content:
          "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: cart, namespace: frontend}\nspec: {replicas: 3}\n",
      }),
      await call(connection.client, "patch_kubernetes_resource", {
        ...managed,
        patch: '{"spec":{"replicas":3}}',
      }),
      await call(connection.client, "delete_kubernetes_resource", managed),
    ];
    for (const answer of guarded) {
      assert.equal(answer.isError, true, answer.text);
      assert.match(answer.text, /managed by Flux/);
    }
    assert.equal(
      await kubectl(["get", "deploy", "cart", "-n", "frontend", "-o", "jsonpath={.spec.replicas}"]),
      "1",
    );
  });
});
