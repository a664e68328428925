// The built server over HTTP: Streamable HTTP for every protocol revision, legacy SSE, sessions
// that keep their own kubeconfig context, health endpoints, DNS-rebinding checks and the body cap.
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as V1StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { after, before, describe, it } from "node:test";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import {
  catalogueNames,
  connectSse,
  connectStreamableHttp,
  MODERN_REVISION,
  REVISIONS,
  textOf,
} from "../helpers/mcp-clients.ts";
import { startServeProcess, type ServeProcess } from "../helpers/mcp-server-process.ts";

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with headers fetch() would not send as given (Host). */
function raw(
  baseUrl: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(new URL(path, baseUrl), {
      method: options.method ?? "GET",
      headers: options.headers,
    });
    request.on("response", (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
      );
    });
    request.on("error", reject);
    request.end(options.body);
  });
}

/**
 * A POST over the 4 MiB cap: announced in Content-Length (only a little of it sent), or streamed in
 * chunks until just past the cap; then waits for the answer without sending more. The status, or
 * why there was none.
 */
function postOversized(
  baseUrl: string,
  path: string,
  how: "declared" | "streamed",
): Promise<number | string> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    if (how === "declared") headers["Content-Length"] = String(6 * 1024 * 1024);
    const request = httpRequest(new URL(path, baseUrl), { method: "POST", headers });
    const timer = setTimeout(() => {
      request.destroy();
      resolve("no answer within 10 s");
    }, 10_000);
    request.on("response", (response) => {
      clearTimeout(timer);
      resolve(response.statusCode ?? 0);
      request.destroy();
    });
    request.on("error", (error) => {
      clearTimeout(timer);
      resolve(`no answer: ${error.message}`);
    });
    const chunk = Buffer.alloc(64 * 1024, " ");
    const total = how === "declared" ? chunk.length : 4 * 1024 * 1024 + 2 * chunk.length;
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!request.write(chunk)) return void request.once("drain", pump);
      }
    };
    pump();
  });
}

const INITIALIZE = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
});
const POST_HEADERS = { "Content-Type": "application/json", Accept: "application/json, text/event-stream" };

describe("serve over HTTP", { timeout: 120_000 }, () => {
  let api: TestApiServer;
  let server: ServeProcess;
  before(async () => {
    api = await startTestApiServer();
    server = await startServeProcess(["--kubeconfig", api.kubeconfigPath]);
  });
  after(async () => {
    await server.stop();
    await api.close();
  });

  for (const revision of REVISIONS) {
    it(`Streamable HTTP negotiates ${revision} and lists the tools`, async () => {
      const client = await connectStreamableHttp(server.url, revision);
      try {
        assert.equal(client.getNegotiatedProtocolVersion(), revision);
        assert.equal(client.getServerVersion()?.name, "flux-mcp");
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

  it("legacy SSE negotiates 2024-11-05 and lists the tools", async () => {
    const client = await connectSse(server.url);
    try {
      assert.equal(client.getNegotiatedProtocolVersion(), "2024-11-05");
      const { tools } = await client.listTools();
      assert.deepEqual(
        tools.map((tool) => tool.name),
        catalogueNames({ readOnly: false, inCluster: false }),
      );
    } finally {
      await client.close();
    }
  });

  it("answers calls over SSE, over Streamable HTTP in 2025-03-26 and 2026-07-28, and to the v1 SDK client", async () => {
    // The v1 SDK client is what most MCP clients ship today.
    const v1 = new V1Client({ name: "v1-client", version: "1.0.0" });
    await v1.connect(new V1StreamableHTTPClientTransport(new URL("/mcp", server.url)));
    const clients = [
      await connectSse(server.url),
      await connectStreamableHttp(server.url, "2025-03-26"),
      await connectStreamableHttp(server.url, MODERN_REVISION),
      v1,
    ];
    try {
      for (const client of clients) {
        const result = await client.callTool({
          name: "get_kubernetes_resources",
          arguments: { apiVersion: "v1", kind: "Namespace", name: "flux-system" },
        });
        assert.equal(result.isError, undefined, textOf(result));
        assert.match(textOf(result), /name: flux-system/);
      }
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
  });

  it("keeps each session's kubeconfig context to itself", async () => {
    const [first, second, sse] = await Promise.all([
      connectStreamableHttp(server.url, "2025-11-25"),
      connectStreamableHttp(server.url, "2025-03-26"),
      connectSse(server.url),
    ]);
    try {
      const switched = await first.callTool({
        name: "set_kubeconfig_context",
        arguments: { name: "production" },
      });
      assert.equal(switched.isError, undefined, textOf(switched));
      const [inFirst, inSecond, inSse] = await Promise.all(
        [first, second, sse].map((client) =>
          client.callTool({
            name: "get_kubernetes_resources",
            arguments: { apiVersion: "v1", kind: "Namespace" },
          }),
        ),
      );
      // Namespace podinfo-pr-142 (a preview environment) exists in staging only.
      assert.match(textOf(inFirst), /frontend/);
      assert.doesNotMatch(textOf(inFirst), /podinfo-pr-142/);
      assert.match(textOf(inSecond), /podinfo-pr-142/);
      assert.match(textOf(inSse), /podinfo-pr-142/);
    } finally {
      await Promise.all([first.close(), second.close(), sse.close()]);
    }
  });

  it("refuses to switch context on a stateless 2026-07-28 exchange, pointing to the context argument", async () => {
    const client = await connectStreamableHttp(server.url, MODERN_REVISION);
    try {
      const result = await client.callTool({
        name: "set_kubeconfig_context",
        arguments: { name: "production" },
      });
      assert.equal(result.isError, true);
      assert.match(textOf(result), /stateless.*pass context: "production" on each call/);
      const inProduction = await client.callTool({
        name: "get_kubernetes_resources",
        arguments: { apiVersion: "v1", kind: "Namespace", context: "production" },
      });
      assert.match(textOf(inProduction), /frontend/);
      assert.doesNotMatch(textOf(inProduction), /podinfo-pr-142/);
    } finally {
      await client.close();
    }
  });

  it("answers /healthz and /readyz", async () => {
    assert.equal((await raw(server.url, "/healthz")).status, 200);
    assert.equal((await raw(server.url, "/readyz")).status, 200);
    assert.equal((await raw(server.url, "/nothing-here")).status, 404);
  });

  it("refuses a Host it does not serve, against DNS rebinding", async () => {
    const response = await raw(server.url, "/mcp", {
      method: "POST",
      headers: { ...POST_HEADERS, Host: "attacker.example:8080" },
      body: INITIALIZE,
    });
    assert.equal(response.status, 403);
    assert.match(response.body, /Host "attacker\.example:8080" is not allowed/);
    const sse = await raw(server.url, "/sse", { headers: { Host: "attacker.example" } });
    assert.equal(sse.status, 403);
  });

  it("refuses a browser Origin that is not local", async () => {
    const response = await raw(server.url, "/mcp", {
      method: "POST",
      headers: { ...POST_HEADERS, Origin: "https://attacker.example" },
      body: INITIALIZE,
    });
    assert.equal(response.status, 403);
    assert.match(response.body, /Origin "https:\/\/attacker\.example" is not allowed/);
    const local = await raw(server.url, "/mcp", {
      method: "POST",
      headers: { ...POST_HEADERS, Origin: "http://localhost:6274" },
      body: INITIALIZE,
    });
    assert.equal(local.status, 200);
  });

  it("answers 413 to a request body over 4 MiB, declared or streamed", async () => {
    for (const path of ["/mcp", "/message?sessionId=any"]) {
      assert.equal(await postOversized(server.url, path, "declared"), 413, path);
      assert.equal(await postOversized(server.url, path, "streamed"), 413, path);
    }
  });
});
