// Every tool that reads a cluster, through a real MCP client over stdio and Streamable HTTP:
// its normal path, and the failures users meet (unknown kind, not found, forbidden as an
// impersonated identity, an unreachable cluster, a timeout) as one-line error results.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Client } from "@modelcontextprotocol/client";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { connectStdio, connectStreamableHttp, textOf, type StdioConnection } from "../helpers/mcp-clients.ts";
import { startServeProcess, type ServeProcess } from "../helpers/mcp-server-process.ts";

interface Answer {
  text: string;
  isError: boolean;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<Answer> {
  const result = await client.callTool({ name, arguments: args });
  return { text: textOf(result), isError: (result as { isError?: boolean }).isError === true };
}

/** A normal call per cluster-reading tool, and a fact its answer must hold (staging demo fleet). */
const normalPaths: [string, Record<string, unknown>, RegExp][] = [
  ["get_flux_instance", {}, /kube-prometheus-stack/],
  ["get_kubernetes_resources", { kind: "HelmRelease", namespace: "monitoring" }, /RetriesExceeded/],
  [
    "get_kubernetes_events",
    { kind: "Kustomization", name: "monitoring", namespace: "flux-system" },
    /HealthCheckFailed/,
  ],
  [
    "get_kubernetes_logs",
    { name: "cart-qchb76nwf7-hmt8b", namespace: "frontend", previous: true },
    /CART_REDIS_URL/,
  ],
  ["get_kubernetes_metrics", { namespace: "flux-system" }, /helm-controller/],
  ["get_kubernetes_api_versions", {}, /helm\.toolkit\.fluxcd\.io\/v2: HelmRelease/],
  ["trace_kubernetes_resource", { kind: "Deployment", name: "cart", namespace: "frontend" }, /Kustomization/],
];

function oneLine(answer: Answer): void {
  assert.equal(answer.isError, true, `expected an error result, got: ${answer.text}`);
  assert.equal(answer.text.trim().split("\n").length, 1, answer.text);
  assert.doesNotMatch(answer.text, /\n\s+at /);
}

describe("tools through an MCP client", { timeout: 180_000 }, () => {
  let api: TestApiServer;
  let directory: string;
  let stdio: StdioConnection;
  let http: ServeProcess;
  let httpClient: Client;

  before(async () => {
    api = await startTestApiServer();
    directory = await mkdtemp(join(tmpdir(), "flux-mcp-failures-"));
    const args = ["--kubeconfig", api.kubeconfigPath, "--kube-context", "staging"];
    stdio = await connectStdio(args, "2025-11-25");
    http = await startServeProcess(args);
    httpClient = await connectStreamableHttp(http.url, "2025-06-18");
  });
  after(async () => {
    await stdio?.client.close();
    await httpClient?.close();
    await http?.stop();
    await api?.close();
    await rm(directory, { recursive: true, force: true });
  });

  for (const [transport, client] of [
    ["stdio", () => stdio.client],
    ["Streamable HTTP", () => httpClient],
  ] as const) {
    it(`answers each tool's normal path over ${transport}`, async () => {
      for (const [tool, args, fact] of normalPaths) {
        const answer = await call(client(), tool, args);
        assert.equal(answer.isError, false, `${tool}: ${answer.text}`);
        assert.match(answer.text, fact, tool);
      }
    });
  }

  it("names an unknown kind and a missing object in one line", async () => {
    const unknown = await call(stdio.client, "get_kubernetes_resources", { kind: "Frobnicator" });
    oneLine(unknown);
    assert.match(unknown.text, /Frobnicator/);
    const missing = await call(stdio.client, "get_kubernetes_resources", {
      kind: "HelmRelease",
      name: "nope",
      namespace: "monitoring",
    });
    oneLine(missing);
    assert.match(missing.text, /HelmRelease monitoring\/nope not found in context staging/);
    for (const [tool, args] of [
      ["get_kubernetes_logs", { name: "nope", namespace: "frontend" }],
      ["get_kubernetes_events", { kind: "Frobnicator", name: "x", namespace: "default" }],
      ["trace_kubernetes_resource", { kind: "Pod", name: "nope", namespace: "frontend" }],
    ] as const) {
      const answer = await call(stdio.client, tool, args);
      oneLine(answer);
      assert.match(answer.text, /nope|Frobnicator/, tool);
    }
  });

  it("reports forbidden reads as the impersonated identity, never as an empty answer", async () => {
    const stranger = await connectStdio(
      ["--kubeconfig", api.kubeconfigPath, "--kube-context", "staging", "--kube-as", "stranger"],
      "2025-11-25",
    );
    try {
      // Discovery is open to every authenticated user, as in Kubernetes: the API versions still answer.
      const versions = await call(stranger.client, "get_kubernetes_api_versions", {});
      assert.equal(versions.isError, false, versions.text);
      for (const [tool, args] of normalPaths.filter(([tool]) => tool !== "get_kubernetes_api_versions")) {
        const answer = await call(stranger.client, tool, args);
        oneLine(answer);
        assert.match(answer.text, /forbidden|stranger/i, `${tool}: ${answer.text}`);
      }
    } finally {
      await stranger.client.close();
    }
  });

  it("reports an unreachable cluster in one line naming the context", async () => {
    const kubeconfig = join(directory, "unreachable.yaml");
    await writeFile(
      kubeconfig,
      JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "gone", cluster: { server: "https://127.0.0.1:1" } }],
        users: [{ name: "u", user: { token: "t" } }],
        contexts: [{ name: "gone", context: { cluster: "gone", user: "u" } }],
        "current-context": "gone",
      }),
    );
    const unreachable = await connectStdio(["--kubeconfig", kubeconfig], "2025-11-25");
    try {
      const { tools } = await unreachable.client.listTools();
      assert.ok(tools.length > 10, "the handshake does not wait for the cluster");
      const answer = await call(unreachable.client, "get_kubernetes_resources", { kind: "Pod" });
      oneLine(answer);
      assert.match(answer.text, /cannot reach the Kubernetes API of context gone/);
    } finally {
      await unreachable.client.close();
    }
  });

  it("turns a slow cluster into a one-line timeout", async () => {
    const slow = await connectStdio(
      ["--kubeconfig", api.kubeconfigPath, "--kube-context", "production", "--timeout", "1s"],
      "2025-11-25",
    );
    const fault = api.server.faults.add({
      kind: "latency",
      delayMs: 3000,
      pathPrefix: "/clusters/production",
    });
    try {
      const answer = await call(slow.client, "get_kubernetes_resources", { kind: "Kustomization" });
      oneLine(answer);
      assert.match(answer.text, /time|1s/i);
    } finally {
      api.server.faults.remove(fault);
      await slow.client.close();
    }
  });
});
