// Graceful shutdown and the per-call timeout of the built server, with latency injected into the
// in-memory API server.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { connectSse, connectStdio, connectStreamableHttp, textOf } from "../helpers/mcp-clients.ts";
import { startServeProcess } from "../helpers/mcp-server-process.ts";

const LIST_NAMESPACES = {
  name: "get_kubernetes_resources",
  arguments: { apiVersion: "v1", kind: "Namespace" },
};

describe("serve lifecycle", { timeout: 120_000 }, () => {
  let api: TestApiServer;
  before(async () => {
    api = await startTestApiServer();
  });
  afterEach(() => api.server.faults.clear());
  after(async () => api.close());

  /** Resolves once the API server has seen a list request since `mark`. */
  async function listArrived(mark: number): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!api.server.requestLog.entries({ since: mark }).some((entry) => entry.verb === "list")) {
      if (Date.now() > deadline) throw new Error("the call never reached the API server");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  for (const transport of ["Streamable HTTP", "SSE"] as const) {
    it(`on SIGTERM over ${transport}, finishes the call in flight, answers it, then exits 0`, async () => {
      const server = await startServeProcess(["--kubeconfig", api.kubeconfigPath]);
      const client =
        transport === "SSE"
          ? await connectSse(server.url)
          : await connectStreamableHttp(server.url, "2025-11-25");
      api.server.faults.add({ kind: "latency", delayMs: 500, verb: "list" });
      const mark = api.server.requestLog.mark();
      const call = client.callTool(LIST_NAMESPACES);
      await listArrived(mark);
      const exitCode = server.stop("SIGTERM");
      const result = await call;
      assert.equal(result.isError, undefined, textOf(result));
      assert.match(textOf(result), /flux-system/);
      assert.equal(await exitCode, 0, server.stderr());
      await client.close().catch(() => {});
    });
  }

  it("on SIGTERM over stdio, answers the call in flight before exiting 0", async () => {
    const { client, transport, stderr } = await connectStdio(
      ["--kubeconfig", api.kubeconfigPath],
      "2025-11-25",
    );
    api.server.faults.add({ kind: "latency", delayMs: 500, verb: "list" });
    const mark = api.server.requestLog.mark();
    const call = client.callTool(LIST_NAMESPACES);
    await listArrived(mark);
    process.kill(transport.pid ?? 0, "SIGTERM");
    const result = await call;
    assert.equal(result.isError, undefined, textOf(result) + stderr());
    assert.match(textOf(result), /flux-system/);
    await client.close();
  });

  it("--timeout 1s turns a slow call into a one-line timeout error", async () => {
    const { client } = await connectStdio(
      ["--kubeconfig", api.kubeconfigPath, "--timeout", "1s"],
      "2025-11-25",
    );
    try {
      api.server.faults.add({
        kind: "latency",
        delayMs: 3_000,
        verb: "list",
        pathPrefix: "/clusters/staging/api/v1/namespaces",
      });
      const started = Date.now();
      const result = await client.callTool(LIST_NAMESPACES);
      const elapsed = Date.now() - started;
      assert.equal(result.isError, true);
      assert.equal(textOf(result).split("\n").length, 1, textOf(result));
      assert.match(textOf(result), /get_kubernetes_resources timed out after 1s/);
      assert.ok(elapsed >= 900 && elapsed < 2_500, `answered after ${elapsed} ms`);
    } finally {
      await client.close();
    }
  });
});
