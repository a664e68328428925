// The bearer token on HTTP, and the tool call log: one JSON line per call, secrets masked.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { catalogueNames, connectStdio, connectStreamableHttp, textOf } from "../helpers/mcp-clients.ts";
import { startServeProcess } from "../helpers/mcp-server-process.ts";

/** The staging Grafana admin password of the demo fleet (fixtures/staging/secrets.yaml). */
const GRAFANA_PASSWORD = "Gr4fana-st4ging-8d1c";

describe("bearer token and call log", { timeout: 120_000 }, () => {
  let api: TestApiServer;
  let directory: string;
  before(async () => {
    api = await startTestApiServer();
    directory = await mkdtemp(join(tmpdir(), "flux-mcp-serve-"));
  });
  after(async () => {
    await api.close();
    await rm(directory, { recursive: true, force: true });
  });

  it("answers 401 without the token from --auth-token-file, and serves with it", async () => {
    const tokenFile = join(directory, "token");
    await writeFile(tokenFile, "correct-horse-battery-staple\n");
    const server = await startServeProcess([
      "--kubeconfig",
      api.kubeconfigPath,
      "--auth-token-file",
      tokenFile,
    ]);
    try {
      const initialize = {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "initialize",
          params: {
            protocolVersion: "2025-06-18",
            capabilities: {},
            clientInfo: { name: "raw", version: "1" },
          },
        }),
      };
      const anonymous = await fetch(`${server.url}/mcp`, initialize);
      assert.equal(anonymous.status, 401);
      assert.match(anonymous.headers.get("www-authenticate") ?? "", /^Bearer/);
      const wrong = await fetch(`${server.url}/mcp`, {
        ...initialize,
        headers: { ...initialize.headers, Authorization: "Bearer correct-horse" },
      });
      assert.equal(wrong.status, 401);
      assert.equal((await fetch(`${server.url}/sse`)).status, 401);
      assert.equal((await fetch(`${server.url}/healthz`)).status, 200);

      const client = await connectStreamableHttp(server.url, "2025-11-25", {
        Authorization: "Bearer correct-horse-battery-staple",
      });
      const { tools } = await client.listTools();
      assert.deepEqual(
        tools.map((tool) => tool.name),
        catalogueNames({ readOnly: false, inCluster: false }),
      );
      await client.close();
    } finally {
      await server.stop();
    }
  });

  it("writes one JSON line per call, with secrets masked", async () => {
    const logFile = join(directory, "calls.jsonl");
    const { client } = await connectStdio(
      ["--kubeconfig", api.kubeconfigPath, "--tool-call-log-file", logFile],
      "2025-11-25",
    );
    const ok = await client.callTool({
      name: "get_kubernetes_resources",
      arguments: { apiVersion: "v1", kind: "Namespace", name: "flux-system" },
    });
    assert.equal(ok.isError, undefined, textOf(ok));
    const invalid = await client.callTool({ name: "get_kubernetes_resources", arguments: { kind: 42 } });
    assert.equal(invalid.isError, true);
    const missing = await client.callTool({
      name: "get_kubernetes_resources",
      arguments: { apiVersion: "v1", kind: "ConfigMap", namespace: "monitoring", name: GRAFANA_PASSWORD },
    });
    assert.equal(missing.isError, true);
    assert.ok(!textOf(missing).includes(GRAFANA_PASSWORD), textOf(missing));
    await client.close();

    const lines = (await readFile(logFile, "utf8")).trimEnd().split("\n");
    assert.equal(lines.length, 3);
    const entries = lines.map((line) => JSON.parse(line));
    assert.deepEqual(
      entries.map((entry) => [entry.tool, entry.outcome]),
      [
        ["get_kubernetes_resources", "ok"],
        ["get_kubernetes_resources", "invalid"],
        ["get_kubernetes_resources", "error"],
      ],
    );
    for (const entry of entries) {
      assert.ok(!Number.isNaN(Date.parse(entry.time)));
      assert.equal(typeof entry.durationMs, "number");
    }
    assert.deepEqual(entries[0].arguments, { apiVersion: "v1", kind: "Namespace", name: "flux-system" });
    assert.match(entries[1].error, /invalid arguments for get_kubernetes_resources/);
    assert.ok(!lines[2]?.includes(GRAFANA_PASSWORD), lines[2]);
  });
});
