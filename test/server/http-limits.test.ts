// What bounds the HTTP server's memory and what it refuses cleanly, in-process over real HTTP: the
// session cap (--max-sessions), idle sessions closed (--session-idle-timeout), a malformed Host
// header, a body that is not JSON or is over the limit, and the end of a call releasing what it held.
import assert from "node:assert/strict";
import { getEventListeners } from "node:events";
import { request as httpRequest } from "node:http";
import { after, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { KubeProvider } from "../../src/kube/types.ts";
import { startMcpServer, type RunningMcpServer, type ServeOptions } from "../../src/server/serve.ts";
import { defineTool, type Tool } from "../../src/tools/tool.ts";
import { connectStreamableHttp, textOf } from "../helpers/mcp-clients.ts";

const signals: AbortSignal[] = [];
const tools = [
  defineTool({
    name: "hold_signal",
    title: "Hold the signal",
    description: "Keeps the call's signal, as work left running after a call would.",
    area: "reporting",
    input: {},
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    writes: false,
    usesCluster: false,
    handler: async (_args, ctx) => {
      signals.push(ctx.signal);
      return { text: "held" };
    },
  }),
] as Tool[];

const noCluster: KubeProvider = {
  inCluster: false,
  contexts: async () => [],
  defaultContext: async () => "none",
  forContext: async () => {
    throw new Error("no cluster in this test");
  },
  warmUp: async () => {},
};

describe("HTTP limits", () => {
  const servers: RunningMcpServer[] = [];
  async function serve(http: Partial<ServeOptions["http"]> = {}): Promise<string> {
    const server = await startMcpServer({
      transport: "http",
      http: {
        host: "127.0.0.1",
        port: 0,
        allowedHosts: [],
        maxBodyBytes: 1 << 20,
        maxSessions: 100,
        sessionIdleMs: 60_000,
        ...http,
      },
      tools,
      readOnly: false,
      inCluster: false,
      maskSecrets: false,
      timeoutMs: 10_000,
      responseLimit: 10_000,
      createProvider: async () => noCluster,
      version: "0.0.0-test",
      log: () => {},
    });
    servers.push(server);
    return server.url ?? "";
  }
  after(() => Promise.all(servers.map((server) => server.close())));

  it("refuses new sessions over --max-sessions with a JSON-RPC error, and takes one again once a slot is free", async () => {
    const url = await serve({ maxSessions: 2 });
    const first = await connectStreamableHttp(url, "2025-11-25");
    const second = await connectStreamableHttp(url, "2025-11-25");
    await assert.rejects(connectStreamableHttp(url, "2025-11-25"), /too many sessions \(2, --max-sessions\)/);
    assert.equal(textOf(await second.callTool({ name: "hold_signal", arguments: {} })), "held");
    await (first.transport as unknown as { terminateSession(): Promise<void> }).terminateSession();
    await first.close();
    const third = await connectStreamableHttp(url, "2025-11-25");
    assert.equal(textOf(await third.callTool({ name: "hold_signal", arguments: {} })), "held");
    await Promise.all([second.close(), third.close()]);
  });

  it("closes a session nobody used for --session-idle-timeout", async () => {
    const url = await serve({ sessionIdleMs: 200 });
    const client = await connectStreamableHttp(url, "2025-11-25");
    // Polled: the sweep runs on its own clock.
    let expired = false;
    for (let attempt = 0; attempt < 100 && !expired; attempt++) {
      await sleep(300);
      expired = await client.listTools().then(
        () => false,
        (error: unknown) => /Session not found/.test(String(error)),
      );
    }
    assert.ok(expired, "the idle session was closed");
    await client.close();
  });

  it("answers a Host header with credentials in it with 400, not 500", async () => {
    const url = new URL(await serve());
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: "/mcp",
          method: "POST",
          headers: {
            Host: "a@localhost",
            "Content-Type": "application/json",
            Accept: "application/json, text/event-stream",
          },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on("error", reject);
      request.end(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }));
    });
    assert.equal(status, 400);
  });

  it("answers a body that is not JSON with the JSON-RPC parse error, and one over the limit with a JSON-RPC 413", async () => {
    const url = new URL(await serve({ maxBodyBytes: 1024 }));
    const post = (body: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const request = httpRequest(
          {
            host: url.hostname,
            port: url.port,
            path: "/mcp",
            method: "POST",
            headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
          },
          (response) => {
            let text = "";
            response.setEncoding("utf8");
            response.on("data", (chunk: string) => (text += chunk));
            response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
          },
        );
        request.on("error", reject);
        request.end(body);
      });
    const notJson = await post("{not json");
    assert.equal(notJson.status, 400);
    assert.equal((JSON.parse(notJson.body) as { error: { code: number } }).error.code, -32700);
    const oversized = await post(
      JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping", params: { pad: "x".repeat(2048) } }),
    );
    assert.equal(oversized.status, 413);
    assert.match(
      (JSON.parse(oversized.body) as { error: { message: string } }).error.message,
      /must not exceed 1024 bytes/,
    );
  });

  it("leaves no listener on a call's signal once the call ended, so nothing keeps the call's memory", async () => {
    const client = await connectStreamableHttp(await serve(), "2025-11-25");
    signals.length = 0;
    await client.callTool({ name: "hold_signal", arguments: {} });
    assert.equal(signals.length, 1);
    const [signal] = signals;
    assert.ok(signal);
    assert.equal(signal.aborted, false);
    assert.deepEqual(getEventListeners(signal, "abort"), []);
    await client.close();
  });
});
