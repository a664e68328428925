// A canary Secret value planted in a cluster must never leave the server: not through any tool,
// not inside annotations, HelmRelease values, events or error messages, not in the call log;
// neither as plain text nor as base64.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { catalogueNames, connectStdio, textOf, type StdioConnection } from "../helpers/mcp-clients.ts";

const canary = `canary-${randomBytes(12).toString("hex")}`;
const canaryBase64 = Buffer.from(canary).toString("base64");

const planted = `apiVersion: v1
kind: Secret
metadata: {name: canary-credentials, namespace: frontend}
data: {token: ${canaryBase64}}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: canary-notes
  namespace: frontend
  annotations: {example.com/leaked: "token=${canary}"}
data: {note: harmless}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: canary-release, namespace: frontend}
spec:
  interval: 10m
  chart: {spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: podinfo}}}
  values: {auth: {token: "${canary}"}}
---
apiVersion: v1
kind: Event
metadata: {name: canary-release.1, namespace: frontend}
involvedObject: {apiVersion: helm.toolkit.fluxcd.io/v2, kind: HelmRelease, name: canary-release, namespace: frontend}
type: Warning
reason: InstallFailed
message: "install failed: login with token ${canary} rejected"
source: {component: helm-controller}
`;

const manifestWithCanary = `apiVersion: v1
kind: ConfigMap
metadata:
  name: canary-notes
  namespace: frontend
  annotations: {example.com/leaked: "token=${canary}", example.com/extra: "${canary}"}
data: {note: changed}
`;

const helmRelease = { kind: "HelmRelease", name: "canary-release", namespace: "frontend" };

/** At least one call per tool, aimed at where the canary sits. */
const calls: [tool: string, args: Record<string, unknown>][] = [
  ["get_flux_instance", {}],
  ["get_kubernetes_resources", { kind: "Secret", namespace: "frontend" }],
  ["get_kubernetes_resources", { kind: "Secret", name: "canary-credentials", namespace: "frontend" }],
  ["get_kubernetes_resources", { kind: "ConfigMap", name: "canary-notes", namespace: "frontend" }],
  ["get_kubernetes_resources", { ...helmRelease }],
  ["get_kubernetes_resources", { kind: "HelmRelease", namespace: "frontend", fields: ["spec.values"] }],
  ["get_kubernetes_resources", { kind: "Event", namespace: "frontend" }],
  ["get_kubernetes_events", { namespace: "frontend" }],
  ["get_kubernetes_events", { kind: "HelmRelease", name: "canary-release", namespace: "frontend" }],
  ["get_kubernetes_logs", { kind: "Deployment", name: "podinfo", namespace: "frontend" }],
  ["get_kubernetes_metrics", { namespace: "frontend" }],
  ["get_kubernetes_api_versions", {}],
  ["trace_kubernetes_resource", { kind: "ConfigMap", name: "canary-notes", namespace: "frontend" }],
  ["analyze_flux_resource", { ...helmRelease }],
  ["analyze_flux_resource", {}],
  ["get_flux_dependency_graph", { namespace: "frontend" }],
  ["compare_flux_resources", { ...helmRelease, left_context: "staging", right_context: "production" }],
  ["diff_kubernetes_manifest", { yaml_content: manifestWithCanary }],
  ["search_flux_docs", { query: canary }],
  ["read_flux_doc", { path: canary }],
  ["get_kubeconfig_contexts", {}],
  ["set_kubeconfig_context", { name: canary }],
  ["set_kubeconfig_context", { name: "staging" }],
  ["reconcile_flux_resource", { ...helmRelease, wait: false }],
  ["reconcile_flux_kustomization", { name: canary, namespace: "flux-system" }],
  ["reconcile_flux_helmrelease", { name: "canary-release", namespace: "frontend", wait: false }],
  ["reconcile_flux_source", { kind: "GitRepository", name: canary, namespace: "flux-system" }],
  ["reconcile_flux_resourceset", { name: canary, namespace: "flux-system" }],
  ["suspend_flux_reconciliation", { ...helmRelease }],
  ["resume_flux_reconciliation", { ...helmRelease, wait: false }],
  ["apply_kubernetes_manifest", { yaml_content: manifestWithCanary, dry_run: true }],
  ["apply_kubernetes_manifest", { yaml_content: manifestWithCanary }],
  [
    "patch_kubernetes_resource",
    {
      kind: "ConfigMap",
      name: "canary-notes",
      namespace: "frontend",
      patch: JSON.stringify({ metadata: { annotations: { "example.com/again": canary } } }),
    },
  ],
  [
    "delete_kubernetes_resource",
    { kind: "ConfigMap", name: "canary-notes", namespace: "frontend", dry_run: true },
  ],
  ["install_flux_instance", { instance_url: `https://example.com/${canary}.yaml` }],
];

function assertNoCanary(text: string, where: string): void {
  assert.ok(!text.includes(canary), `${where} leaked the canary value`);
  assert.ok(!text.includes(canaryBase64), `${where} leaked the canary value in base64`);
}

describe("secret canary", { timeout: 180_000 }, () => {
  let api: TestApiServer;
  let directory: string;
  let connection: StdioConnection;
  let logFile: string;

  before(async () => {
    api = await startTestApiServer();
    const applied = await api.kubectl(["--context", "staging", "apply", "-f", "-"], planted);
    assert.equal(applied.code, 0, applied.stderr);
    // In production too, so that comparing the two clusters puts the canary values side by side.
    const appliedThere = await api.kubectl(["--context", "production", "apply", "-f", "-"], planted);
    assert.equal(appliedThere.code, 0, appliedThere.stderr);
    directory = await mkdtemp(join(tmpdir(), "flux-mcp-canary-"));
    logFile = join(directory, "calls.jsonl");
    connection = await connectStdio(
      ["--kubeconfig", api.kubeconfigPath, "--kube-context", "staging", "--tool-call-log-file", logFile],
      "2025-11-25",
    );
  });
  after(async () => {
    await connection?.client.close();
    await api?.close();
    await rm(directory, { recursive: true, force: true });
  });

  it("plants the canary where a careless server would show it", async () => {
    const secret = await api.kubectl([
      "--context",
      "staging",
      "get",
      "secret",
      "canary-credentials",
      "-n",
      "frontend",
      "-o",
      "jsonpath={.data.token}",
    ]);
    assert.equal(secret.stdout, canaryBase64);
  });

  it("every tool is called, and no answer carries the canary", async () => {
    const { tools } = await connection.client.listTools();
    const listed = tools.map((tool) => tool.name).sort();
    assert.deepEqual(listed, catalogueNames({ readOnly: false, inCluster: false }).sort());
    const called = new Set(calls.map(([tool]) => tool));
    assert.deepEqual(
      listed.filter((name) => !called.has(name)),
      [],
      "every listed tool is exercised by this test",
    );
    let answersWithCanaryObjects = 0;
    for (const [tool, args] of calls) {
      const result = await connection.client.callTool({ name: tool, arguments: args });
      const text = textOf(result);
      assertNoCanary(text, `${tool} ${JSON.stringify(args)}`);
      assertNoCanary(JSON.stringify(result), `${tool} (whole result)`);
      if (/canary-(credentials|notes|release)/.test(text)) answersWithCanaryObjects++;
    }
    assert.ok(answersWithCanaryObjects >= 8, "the calls really reached the planted objects");
  });

  it("the call log has one line per call and no canary", async () => {
    const log = await readFile(logFile, "utf8");
    assert.equal(log.trim().split("\n").length, calls.length);
    assertNoCanary(log, "the tool call log");
  });
});
