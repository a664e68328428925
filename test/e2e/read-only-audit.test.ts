// Read-only is enforced twice: the server offers and runs no tool that writes, and the Kubernetes
// layer refuses every write itself. This audit calls every tool with many argument sets in
// read-only mode, then reads the API server's request log: nothing that changes the cluster may
// have arrived (dry runs, which persist nothing, are what diff_kubernetes_manifest sends).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createKubeProvider } from "../../src/kube/provider.ts";
import { ALL_TOOLS } from "../../src/tools/index.ts";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { connectStdio, type StdioConnection } from "../helpers/mcp-clients.ts";
import { connectTools } from "../helpers/tool-session.ts";

const configMap = `apiVersion: v1
kind: ConfigMap
metadata: {name: audit, namespace: default}
data: {a: "1"}
`;
const fluxManaged = `apiVersion: apps/v1
kind: Deployment
metadata: {name: cart, namespace: frontend}
spec: {replicas: 5}
`;

const argumentSets: Record<string, Record<string, unknown>[]> = {
  get_flux_instance: [{}, { context: "production" }],
  get_kubernetes_resources: [
    { kind: "HelmRelease" },
    { kind: "Secret", namespace: "flux-system" },
    { kind: "ks", name: "apps", namespace: "flux-system" },
    { kind: "Pod", selector: "app=podinfo", fields: ["status.phase"], limit: 1 },
  ],
  get_kubernetes_events: [
    {},
    { type: "Warning", since: "2h" },
    { kind: "HelmRelease", name: "podinfo", namespace: "frontend" },
  ],
  get_kubernetes_logs: [
    { kind: "Deployment", name: "kustomize-controller", namespace: "flux-system", grep: "error" },
    { name: "cart-qchb76nwf7-hmt8b", namespace: "frontend", previous: true },
  ],
  get_kubernetes_metrics: [{ namespace: "flux-system" }, {}],
  get_kubernetes_api_versions: [{}, { context: "production" }],
  trace_kubernetes_resource: [{ kind: "Deployment", name: "cart", namespace: "frontend" }],
  analyze_flux_resource: [
    {},
    { kind: "Kustomization", name: "monitoring-configs", namespace: "flux-system" },
  ],
  get_flux_dependency_graph: [{}, { namespace: "frontend" }],
  compare_flux_resources: [
    {
      kind: "HelmRelease",
      name: "podinfo",
      namespace: "frontend",
      left_context: "production",
      right_context: "staging",
    },
  ],
  diff_kubernetes_manifest: [{ yaml_content: configMap }, { yaml_content: fluxManaged }],
  search_flux_docs: [{ query: "helm upgrade retries exhausted" }],
  read_flux_doc: [{ path: "kinds/helmrelease.md" }],
  get_kubeconfig_contexts: [{}],
  set_kubeconfig_context: [{ name: "production" }, { name: "staging" }],
  reconcile_flux_resource: [
    { kind: "Kustomization", name: "apps", namespace: "flux-system", with_source: true },
  ],
  reconcile_flux_kustomization: [{ name: "apps", namespace: "flux-system" }],
  reconcile_flux_helmrelease: [{ name: "podinfo", namespace: "frontend", force: true }],
  reconcile_flux_source: [{ kind: "GitRepository", name: "flux-system", namespace: "flux-system" }],
  reconcile_flux_resourceset: [{ name: "podinfo-previews", namespace: "flux-system" }],
  suspend_flux_reconciliation: [{ kind: "HelmRelease", name: "podinfo", namespace: "frontend" }],
  resume_flux_reconciliation: [{ kind: "HelmRelease", name: "podinfo", namespace: "frontend" }],
  apply_kubernetes_manifest: [{ yaml_content: configMap }, { yaml_content: fluxManaged, overwrite: true }],
  patch_kubernetes_resource: [
    {
      kind: "HelmRelease",
      name: "podinfo",
      namespace: "frontend",
      patch: '{"metadata":{"labels":{"a":"b"}}}',
      overwrite: true,
    },
    {
      kind: "ConfigMap",
      name: "podinfo-values",
      namespace: "frontend",
      patch: '{"data":{"b":"2"}}',
      overwrite: true,
    },
  ],
  delete_kubernetes_resource: [
    { kind: "Kustomization", name: "apps", namespace: "flux-system", overwrite: true },
  ],
  install_flux_instance: [
    {
      instance_yaml: "apiVersion: fluxcd.controlplane.io/v1\nkind: FluxInstance\nmetadata: {name: flux}\n",
      overwrite: true,
    },
  ],
};

describe("read-only audit", { timeout: 180_000 }, () => {
  let api: TestApiServer;
  let connection: StdioConnection;

  before(async () => {
    api = await startTestApiServer();
    connection = await connectStdio(["--kubeconfig", api.kubeconfigPath, "--read-only"], "2025-11-25");
  });
  after(async () => {
    await connection?.client.close();
    await api?.close();
  });

  /** Write requests since `mark` that would change the cluster. */
  const persistingWrites = (mark: number) =>
    api.server.requestLog.writesSince(mark).filter((entry) => !/[?&]dryRun=All\b/.test(entry.path));

  it("has an argument set for every tool", () => {
    assert.deepEqual(
      ALL_TOOLS.map((tool) => tool.name).filter((name) => !argumentSets[name]),
      [],
    );
  });

  it("through the server: write tools are not offered nor run, and no write reaches the cluster", async () => {
    const mark = api.server.requestLog.mark();
    const offered = new Set((await connection.client.listTools()).tools.map((tool) => tool.name));
    for (const tool of ALL_TOOLS) {
      assert.equal(offered.has(tool.name), !tool.writes, tool.name);
      for (const args of argumentSets[tool.name] ?? []) {
        const call = connection.client.callTool({ name: tool.name, arguments: args });
        if (tool.writes) await assert.rejects(call, /read-only/, tool.name);
        else await call;
      }
    }
    assert.ok(api.server.requestLog.entries({ since: mark }).length > 50, "the reads really happened");
    assert.deepEqual(persistingWrites(mark), []);
  });

  it("in the Kubernetes layer: write tools run anyway are refused before any write is sent", async () => {
    // A server that offers every tool, over a Kubernetes layer in read-only mode.
    const session = await connectTools(api, {
      provider: createKubeProvider({ kubeconfigPaths: [api.kubeconfigPath], readOnly: true }),
    });
    const mark = api.server.requestLog.mark();
    for (const tool of ALL_TOOLS.filter((candidate) => candidate.writes)) {
      for (const args of argumentSets[tool.name] ?? []) {
        const result = await session.call(tool.name, args);
        assert.equal(result.isError, true, `${tool.name} ${JSON.stringify(args)}: ${result.text}`);
        assert.match(result.text, /read-only/, `${tool.name} ${JSON.stringify(args)}`);
      }
    }
    assert.deepEqual(persistingWrites(mark), []);
    await session.close();
  });
});
