// What stdio answers to input no MCP client should send, from the built server: a message over
// the size limit, a line that is not JSON, JSON that is not JSON-RPC, and batches, which only the
// revisions before 2025-06-18 allow. The session answers every one and goes on working.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { serverEnvironment } from "../helpers/mcp-clients.ts";
import { paddedMessage, statedMessageLimitBytes } from "../helpers/message-limit.ts";
import { CLI_PATH } from "../helpers/run-cli.ts";

interface Answer {
  jsonrpc: "2.0";
  id: string | number | null;
  result?: unknown;
  error?: { code: number; message: string };
}

/** A client that writes raw lines to `flux-mcp serve` and reads its answers line by line. */
class RawStdioClient {
  readonly child: ChildProcess;
  readonly #lines: unknown[] = [];
  readonly #waiters: (() => void)[] = [];

  constructor(kubeconfig: string) {
    this.child = spawn(process.execPath, [CLI_PATH, "serve", "--kubeconfig", kubeconfig], {
      env: serverEnvironment(),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let buffered = "";
    this.child.stdout?.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        this.#lines.push(JSON.parse(buffered.slice(0, newline)));
        buffered = buffered.slice(newline + 1);
        for (const wake of this.#waiters.splice(0)) wake();
      }
    });
    this.child.stderr?.resume();
  }

  async send(text: string): Promise<void> {
    const stdin = this.child.stdin;
    assert.ok(stdin);
    if (!stdin.write(text)) await new Promise((resolve) => stdin.once("drain", resolve));
  }

  /** The next line the server writes. */
  async next(): Promise<unknown> {
    while (this.#lines.length === 0) await new Promise<void>((resolve) => this.#waiters.push(resolve));
    return this.#lines.shift();
  }

  async request(id: number, method: string, params: object = {}): Promise<Answer> {
    await this.send(`${JSON.stringify({ jsonrpc: "2.0", id, method, params })}\n`);
    return (await this.next()) as Answer;
  }

  async initialize(protocolVersion: string): Promise<void> {
    const answer = await this.request(0, "initialize", {
      protocolVersion,
      capabilities: {},
      clientInfo: { name: "raw", version: "1" },
    });
    assert.ok(answer.result, JSON.stringify(answer));
    await this.send(`${JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" })}\n`);
  }

  close(): void {
    this.child.stdin?.end();
    this.child.kill();
  }
}

describe("stdio input that no client should send", { timeout: 60_000 }, () => {
  let api: TestApiServer;
  before(async () => {
    api = await startTestApiServer();
  });
  after(() => api?.close());

  it("answers a line that is not JSON with a parse error, and keeps working", async () => {
    const client = new RawStdioClient(api.kubeconfigPath);
    try {
      await client.initialize("2025-06-18");
      await client.send("{this is not json\n");
      const answer = (await client.next()) as Answer;
      assert.equal(answer.id, null);
      assert.equal(answer.error?.code, -32700);
      await client.send(`${JSON.stringify({ jsonrpc: "2.0", id: 7, nonsense: true })}\n`);
      const invalid = (await client.next()) as Answer;
      assert.equal(invalid.id, 7);
      assert.equal(invalid.error?.code, -32600);
      const ping = await client.request(8, "ping");
      assert.deepEqual(ping, { jsonrpc: "2.0", id: 8, result: {} });
    } finally {
      client.close();
    }
  });

  it("answers a message over the limit with an error, without buffering it, and keeps working", async () => {
    const client = new RawStdioClient(api.kubeconfigPath);
    try {
      await client.initialize("2025-06-18");
      const huge = "x".repeat(12 * 1024 * 1024);
      await client.send(
        `${JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "get_kubernetes_resources", arguments: { kind: huge } } })}\n`,
      );
      const answer = (await client.next()) as Answer;
      assert.equal(answer.error?.code, -32600);
      assert.match(answer.error?.message ?? "", /too large/);
      const call = await client.request(2, "tools/call", {
        name: "get_kubernetes_api_versions",
        arguments: { context: "staging" },
      });
      assert.ok(call.result, JSON.stringify(call));
    } finally {
      client.close();
    }
  });

  it("takes a message of exactly the limit the README states, refuses one a byte longer, and keeps working", async () => {
    const limit = await statedMessageLimitBytes();
    const ping = (id: number, bytes: number) => paddedMessage({ jsonrpc: "2.0", id, method: "ping" }, bytes);
    const client = new RawStdioClient(api.kubeconfigPath);
    try {
      await client.initialize("2025-06-18");
      await client.send(`${ping(1, limit)}\n`);
      assert.deepEqual(await client.next(), { jsonrpc: "2.0", id: 1, result: {} });
      await client.send(`${ping(2, limit + 1)}\n`);
      const refused = (await client.next()) as Answer;
      assert.equal(refused.error?.code, -32600);
      assert.match(refused.error?.message ?? "", /message too large/);
      assert.deepEqual(await client.request(3, "ping"), { jsonrpc: "2.0", id: 3, result: {} });
    } finally {
      client.close();
    }
  });

  it("answers a batch as a batch with 2025-03-26, and refuses one with 2025-06-18", async () => {
    const older = new RawStdioClient(api.kubeconfigPath);
    const newer = new RawStdioClient(api.kubeconfigPath);
    try {
      await older.initialize("2025-03-26");
      await older.send(
        `${JSON.stringify([
          { jsonrpc: "2.0", id: 1, method: "ping" },
          { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 99 } },
          { jsonrpc: "2.0", id: 2, method: "tools/list" },
          { jsonrpc: "2.0", id: 3 },
        ])}\n`,
      );
      const batch = (await older.next()) as Answer[];
      assert.ok(Array.isArray(batch), JSON.stringify(batch));
      assert.deepEqual(batch.map((answer) => answer.id).sort(), [1, 2, 3]);
      assert.equal(batch.find((answer) => answer.id === 3)?.error?.code, -32600);
      assert.ok(batch.find((answer) => answer.id === 2)?.result);

      await newer.initialize("2025-06-18");
      await newer.send(`${JSON.stringify([{ jsonrpc: "2.0", id: 1, method: "ping" }])}\n`);
      const refused = (await newer.next()) as Answer;
      assert.equal(refused.error?.code, -32600);
      assert.deepEqual(await newer.request(4, "ping"), { jsonrpc: "2.0", id: 4, result: {} });
    } finally {
      older.close();
      newer.close();
    }
  });
});
