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
import { paddedMessage, statedMessageLimitBytes } from "../helpers/message-limit.ts";

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

/** The message of a POST answered as a one-event stream. */
function eventData(body: string): unknown {
  const data = /^data: (.*)$/m.exec(body)?.[1];
  assert.ok(data, body);
  return JSON.parse(data);
}

/** A raw legacy SSE stream: the URL it names for posts, and its messages one by one. */
async function openSseStream(baseUrl: string): Promise<{
  messageUrl: string;
  next(): Promise<unknown>;
  close(): void;
}> {
  const events: { event: string; data: string }[] = [];
  const waiters: (() => void)[] = [];
  const request = httpRequest(new URL("/sse", baseUrl), { headers: { Accept: "text/event-stream" } });
  request.on("response", (response) => {
    let buffered = "";
    response.setEncoding("utf8");
    response.on("data", (chunk: string) => {
      buffered += chunk;
      let end: number;
      while ((end = buffered.indexOf("\n\n")) >= 0) {
        const lines = buffered.slice(0, end).split("\n");
        buffered = buffered.slice(end + 2);
        const field = (name: string) =>
          lines.find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2);
        const data = field("data");
        if (data !== undefined) events.push({ event: field("event") ?? "message", data });
        for (const wake of waiters.splice(0)) wake();
      }
    });
  });
  request.end();
  const nextEvent = async () => {
    while (events.length === 0) await new Promise<void>((resolve) => waiters.push(resolve));
    return events.shift() as { event: string; data: string };
  };
  const endpoint = await nextEvent();
  assert.equal(endpoint.event, "endpoint");
  return {
    messageUrl: new URL(endpoint.data, baseUrl).toString(),
    next: async () => JSON.parse((await nextEvent()).data) as unknown,
    close: () => request.destroy(),
  };
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

  it("Streamable HTTP takes a body of exactly the limit the README states, and answers one a byte longer with a JSON-RPC 413; the session goes on", async () => {
    const limit = await statedMessageLimitBytes();
    const initialize = JSON.parse(INITIALIZE) as { params: object };
    const opened = await raw(server.url, "/mcp", {
      method: "POST",
      headers: POST_HEADERS,
      body: paddedMessage(initialize, limit),
    });
    assert.equal(opened.status, 200, opened.body);
    assert.equal(
      (eventData(opened.body) as { result?: { protocolVersion?: string } }).result?.protocolVersion,
      "2025-06-18",
    );
    const session = { ...POST_HEADERS, "Mcp-Session-Id": String(opened.headers["mcp-session-id"]) };
    const ping = (id: number, bytes: number) => paddedMessage({ jsonrpc: "2.0", id, method: "ping" }, bytes);
    const refused = await raw(server.url, "/mcp", {
      method: "POST",
      headers: session,
      body: ping(2, limit + 1),
    });
    assert.equal(refused.status, 413);
    assert.deepEqual(JSON.parse(refused.body), {
      jsonrpc: "2.0",
      id: null,
      error: { code: -32000, message: `Payload Too Large: Request body must not exceed ${limit} bytes` },
    });
    const answered = await raw(server.url, "/mcp", {
      method: "POST",
      headers: session,
      body: ping(3, limit),
    });
    assert.equal(answered.status, 200, answered.body);
    assert.deepEqual(eventData(answered.body), { jsonrpc: "2.0", id: 3, result: {} });
  });

  it("legacy SSE takes a post of exactly the limit, and answers one a byte longer or not JSON with plain text, not JSON-RPC; the session goes on", async () => {
    const limit = await statedMessageLimitBytes();
    const stream = await openSseStream(server.url);
    try {
      const post = (body: string) =>
        raw(stream.messageUrl, "", { method: "POST", headers: { "Content-Type": "application/json" }, body });
      assert.equal((await post(INITIALIZE)).status, 202);
      assert.equal(((await stream.next()) as { id: unknown }).id, 1);
      const ping = (id: number, bytes: number) =>
        paddedMessage({ jsonrpc: "2.0", id, method: "ping" }, bytes);
      assert.equal((await post(ping(2, limit))).status, 202);
      assert.deepEqual(await stream.next(), { jsonrpc: "2.0", id: 2, result: {} });

      const tooLarge = await post(ping(3, limit + 1));
      assert.equal(tooLarge.status, 413);
      assert.equal(tooLarge.headers["content-type"], "text/plain");
      assert.equal(tooLarge.headers.connection, "close");
      assert.equal(tooLarge.body, `request body over the ${limit}-byte limit`);
      const notJson = await post("{not json");
      assert.equal(notJson.status, 400);
      assert.equal(notJson.headers["content-type"], "text/plain");
      assert.equal(notJson.body, "the body is not a JSON-RPC message");

      assert.equal((await post(JSON.stringify({ jsonrpc: "2.0", id: 4, method: "ping" }))).status, 202);
      // Neither refused post was answered down the stream: the next message there answers the ping.
      assert.deepEqual(await stream.next(), { jsonrpc: "2.0", id: 4, result: {} });
    } finally {
      stream.close();
    }
  });

  it("answers 413 to a request body over 4 MiB, declared or streamed", async () => {
    for (const path of ["/mcp", "/message?sessionId=any"]) {
      assert.equal(await postOversized(server.url, path, "declared"), 413, path);
      assert.equal(await postOversized(server.url, path, "streamed"), 413, path);
    }
  });
});
