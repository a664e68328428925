// The built server over stdio, for every protocol revision, against the in-memory API server.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, describe, it } from "node:test";
import packageJson from "../../package.json" with { type: "json" };
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import {
  catalogueNames,
  connectStdio,
  MODERN_REVISION,
  REVISIONS,
  serverEnvironment,
  textOf,
} from "../helpers/mcp-clients.ts";
import { CLI_PATH } from "../helpers/run-cli.ts";

describe("serve over stdio", { timeout: 120_000 }, () => {
  let api: TestApiServer;
  before(async () => {
    api = await startTestApiServer();
  });
  after(async () => api.close());

  for (const revision of REVISIONS) {
    it(`negotiates ${revision} and lists the tools`, async () => {
      const { client } = await connectStdio(["--kubeconfig", api.kubeconfigPath], revision);
      try {
        assert.equal(client.getNegotiatedProtocolVersion(), revision);
        assert.deepEqual(client.getServerVersion()?.name, "flux-mcp");
        assert.equal(client.getServerVersion()?.version, packageJson.version);
        assert.match(client.getInstructions() ?? "", /Flux/);
        const { tools } = await client.listTools();
        assert.deepEqual(
          tools.map((tool) => tool.name),
          catalogueNames({ readOnly: false, inCluster: false }),
        );
      } finally {
        await client.close();
      }
    });
  }

  it("answers a call against the cluster, for the oldest and the newest revision", async () => {
    for (const revision of ["2024-11-05", MODERN_REVISION] as const) {
      const { client } = await connectStdio(["--kubeconfig", api.kubeconfigPath], revision);
      try {
        const result = await client.callTool({
          name: "get_kubernetes_resources",
          arguments: {
            apiVersion: "helm.toolkit.fluxcd.io/v2",
            kind: "HelmRelease",
            namespace: "monitoring",
          },
        });
        assert.equal(result.isError, undefined, textOf(result));
        assert.match(textOf(result), /kube-prometheus-stack/);
      } finally {
        await client.close();
      }
    }
  });

  for (const [flag, masked] of [
    [[], true],
    [["--mask-secrets=true"], true],
    [["--mask-secrets=false"], false],
  ] as const) {
    it(`masks Secret values ${masked ? "" : "not "}with ${flag.join(" ") || "the defaults"}`, async () => {
      const { client } = await connectStdio(["--kubeconfig", api.kubeconfigPath, ...flag], "2025-11-25");
      try {
        const result = await client.callTool({
          name: "get_kubernetes_resources",
          arguments: {
            apiVersion: "v1",
            kind: "Secret",
            namespace: "monitoring",
            name: "kube-prometheus-stack-grafana",
          },
        });
        assert.equal(result.isError, undefined, textOf(result));
        assert.match(textOf(result), /admin-password/);
        // base64 of the made-up Grafana password in fixtures/staging/secrets.yaml
        assert.equal(textOf(result).includes("R3I0ZmFuYS1zdDRnaW5nLThkMWM="), !masked, textOf(result));
      } finally {
        await client.close();
      }
    });
  }

  it("impersonates the identity given with --kube-as and --kube-as-group on every request", async () => {
    const args = ["--kubeconfig", api.kubeconfigPath, "--kube-as", "jane", "--kube-as-group", "viewers"];
    const { client } = await connectStdio([...args, "--kube-as-group", "ops"], "2025-11-25");
    const mark = api.server.requestLog.mark();
    try {
      const result = await client.callTool({
        name: "get_kubernetes_resources",
        arguments: { apiVersion: "v1", kind: "Namespace" },
      });
      assert.equal(result.isError, true);
      assert.match(textOf(result), /forbidden for user "jane" in context staging/);
      const requests = api.server.requestLog.entries({ since: mark });
      assert.ok(requests.length > 0);
      for (const request of requests) {
        assert.equal(request.user, "jane");
        assert.deepEqual(
          request.groups.filter((group) => group !== "system:authenticated"),
          ["viewers", "ops"],
        );
      }
    } finally {
      await client.close();
    }
  });

  it("offers the debugging prompts", async () => {
    const { client } = await connectStdio(["--kubeconfig", api.kubeconfigPath], "2025-06-18");
    try {
      const { prompts } = await client.listPrompts();
      assert.deepEqual(
        prompts.map((prompt) => prompt.name),
        ["debug_flux_kustomization", "debug_flux_helmrelease"],
      );
      const plan = await client.getPrompt({
        name: "debug_flux_kustomization",
        arguments: { name: "apps", namespace: "flux-system", cluster: "staging" },
      });
      const text = (plan.messages[0]?.content as { text: string }).text;
      assert.match(text, /Kustomization flux-system\/apps/);
      assert.match(text, /^1\. .*context/m);
      assert.match(text, /get_kubernetes_resources/);
      await assert.rejects(client.getPrompt({ name: "debug_flux_helmrelease", arguments: { name: "x" } }));
    } finally {
      await client.close();
    }
  });

  it("exits cleanly when the client closes stdin", async () => {
    const child = spawn(process.execPath, [CLI_PATH, "serve", "--kubeconfig", api.kubeconfigPath], {
      env: serverEnvironment(),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    const initialize = {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
    };
    child.stdin.write(`${JSON.stringify(initialize)}\n`);
    await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    const started = Date.now();
    child.stdin.end();
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    assert.equal(code, 0);
    assert.ok(Date.now() - started < 5_000);
    assert.match(stdout, /"protocolVersion":"2025-06-18"/);
  });
});
