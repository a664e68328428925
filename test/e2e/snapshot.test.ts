// Support bundles: `flux-mcp snapshot` of a live cluster, then `serve --snapshot FILE` with no
// cluster at all: the standard questions give the same facts, nothing secret is in the file, and
// nothing can be changed.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse } from "yaml";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { connectStdio, serverEnvironment, textOf, type StdioConnection } from "../helpers/mcp-clients.ts";
import { runCli } from "../helpers/run-cli.ts";

const canary = `canary-${"5n4p5h07".repeat(3)}`;
const planted = `
apiVersion: v1
kind: Secret
metadata: {name: canary-credentials, namespace: frontend}
stringData: {token: "${canary}"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: canary-app, namespace: frontend}
spec:
  selector: {matchLabels: {app: canary-app}}
  template:
    metadata: {labels: {app: canary-app}, annotations: {example.com/token: "${canary}"}}
    spec: {containers: [{name: app, image: busybox, env: [{name: TOKEN, value: "${canary}"}]}]}
`;

/** Ages move between two reads ("37m", "38m"): the facts are the rest. */
const withoutAges = (text: string) => text.replace(/\b\d+(s|m|h|d)\b/g, "N");

describe("flux-mcp snapshot and serve --snapshot", { timeout: 180_000 }, () => {
  let api: TestApiServer;
  let directory: string;
  let file: string;
  let live: StdioConnection;
  let recorded: StdioConnection;

  before(async () => {
    api = await startTestApiServer({ simulation: false });
    const applied = await api.kubectl(["--context", "staging", "apply", "-f", "-"], planted);
    assert.equal(applied.code, 0, applied.stderr);
    directory = await mkdtemp(join(tmpdir(), "flux-mcp-snapshot-"));
    file = join(directory, "staging.yaml");
    const written = await runCli([
      "snapshot",
      "--kubeconfig",
      api.kubeconfigPath,
      "--context",
      "staging",
      "-o",
      file,
    ]);
    assert.equal(written.code, 0, written.stderr);
    live = await connectStdio(
      ["--kubeconfig", api.kubeconfigPath, "--kube-context", "staging"],
      "2025-11-25",
    );
    recorded = await connectStdio(
      ["--snapshot", file],
      "2025-11-25",
      serverEnvironment({ KUBECONFIG: "/nonexistent" }),
    );
  });
  after(async () => {
    await live?.client.close();
    await recorded?.client.close();
    await api?.close();
    await rm(directory, { recursive: true, force: true });
  });

  it("writes the cluster's Flux objects, workloads, logs and metrics, and nothing secret", async () => {
    const text = await readFile(file, "utf8");
    assert.ok(!text.includes(canary), "the canary is masked wherever it appears");
    assert.doesNotMatch(text, /^kind: Secret$/m);
    assert.match(text, /^kind: ClusterInfo$/m);
    assert.match(text, /^kind: HelmRelease$/m);
    assert.match(text, /^kind: PodLogs$/m);
    assert.match(text, /^kind: PodMetrics$/m);
    assert.match(text, /example\.com\/token: "?\*\*\*\*"?$/m);
  });

  it("serves it read-only, as a context named after the cluster", async () => {
    const contexts = textOf(
      await recorded.client.callTool({ name: "get_kubeconfig_contexts", arguments: {} }),
    );
    assert.match(contexts, /staging/);
    const { tools } = await recorded.client.listTools();
    const names = tools.map((tool) => tool.name);
    assert.ok(names.includes("analyze_flux_resource"));
    assert.ok(!names.includes("apply_kubernetes_manifest"), "no tool that writes");
  });

  for (const [label, name, args] of [
    [
      "the causal chain",
      "analyze_flux_resource",
      { kind: "Kustomization", name: "monitoring-configs", namespace: "flux-system" },
    ],
    ["what is failing", "get_flux_instance", {}],
    [
      "the crashed container's log",
      "get_kubernetes_logs",
      { name: "cart-qchb76nwf7-hmt8b", namespace: "frontend", previous: true },
    ],
    [
      "a HelmRelease",
      "get_kubernetes_resources",
      {
        apiVersion: "helm.toolkit.fluxcd.io/v2",
        kind: "HelmRelease",
        name: "kube-prometheus-stack",
        namespace: "monitoring",
      },
    ],
    [
      "events",
      "get_kubernetes_events",
      { kind: "Kustomization", name: "monitoring", namespace: "flux-system" },
    ],
  ] as const) {
    it(`answers ${label} as the live cluster does`, async () => {
      const answer = async (connection: StdioConnection) =>
        textOf(await connection.client.callTool({ name, arguments: args }));
      const [fromCluster, fromSnapshot] = [await answer(live), await answer(recorded)];
      assert.equal(withoutAges(fromSnapshot), withoutAges(fromCluster));
    });
  }

  it("keeps the conclusion of the chain", async () => {
    const answer = parse(
      textOf(
        await recorded.client.callTool({
          name: "analyze_flux_resource",
          arguments: { kind: "Kustomization", name: "monitoring-configs", namespace: "flux-system" },
        }),
      ),
    ) as { conclusion: string };
    assert.match(answer.conclusion, /^Cause: HelmRelease monitoring\/kube-prometheus-stack/);
  });
});
