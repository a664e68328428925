// The server's handling of a tool call, in-process over real HTTP, with test-only tools: errors,
// progress, cancellation, the size guard, read-only filtering and secret scrubbing.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { z } from "zod";
import { KubeError, type Kube, type KubeProvider } from "../../src/kube/types.ts";
import { startMcpServer, type RunningMcpServer, type ServeOptions } from "../../src/server/serve.ts";
import { defineTool, type Tool } from "../../src/tools/tool.ts";
import { connectStreamableHttp, textOf } from "../helpers/mcp-clients.ts";

const SECRET = "hunter2-but-longer-0001";
const readHints = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
const writeHints = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: false,
};

/** A cluster that has one Secret value, and answers nothing else: enough for the server's own work. */
const provider: KubeProvider = {
  inCluster: false,
  contexts: async () => [{ name: "test", cluster: "test", user: "test", current: true }],
  defaultContext: async () => "test",
  forContext: async () =>
    ({
      context: "test",
      identity: "",
      maskText: async (text: string) => text.replaceAll(SECRET, "****"),
    }) as unknown as Kube,
  warmUp: async () => {},
};

let started: (() => void) | undefined;
const tools: Tool[] = [
  defineTool({
    name: "leak_secret",
    title: "Leak a secret",
    description: "Echoes a Secret value of the cluster.",
    area: "reporting",
    input: { padding: z.number().int().optional() },
    annotations: readHints,
    writes: false,
    usesCluster: true,
    handler: async ({ padding }, ctx) => {
      await ctx.kube();
      return { text: `${"-".repeat(padding ?? 0)}the password is ${SECRET}` };
    },
  }),
  defineTool({
    name: "fail_kube",
    title: "Fail",
    description: "Fails the way the Kubernetes layer does.",
    area: "reporting",
    input: {},
    annotations: readHints,
    writes: false,
    usesCluster: false,
    handler: async () => {
      throw new KubeError("NotFound", "HelmRelease apps/podinfo not found in context test");
    },
  }),
  defineTool({
    name: "crash",
    title: "Crash",
    description: "Has a bug.",
    area: "reporting",
    input: {},
    annotations: readHints,
    writes: false,
    usesCluster: false,
    handler: async () => {
      const missing = undefined as unknown as { field: string };
      return { text: missing.field };
    },
  }),
  defineTool({
    name: "report_progress",
    title: "Report progress",
    description: "Reports two steps.",
    area: "operations",
    input: {},
    annotations: readHints,
    writes: false,
    usesCluster: false,
    handler: async (_args, ctx) => {
      ctx.progress("fetching", 1, 2);
      ctx.progress(`applying with ${SECRET}`, 2, 2);
      return { text: "done" };
    },
  }),
  defineTool({
    name: "wait_for_cancel",
    title: "Wait",
    description: "Waits until cancelled.",
    area: "operations",
    input: {},
    annotations: readHints,
    writes: false,
    usesCluster: false,
    handler: async (_args, ctx) => {
      started?.();
      await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
      return { text: "aborted" };
    },
  }),
  defineTool({
    name: "write_big",
    title: "Write big",
    description: "Changes something and answers at length.",
    area: "operations",
    input: {},
    annotations: writeHints,
    writes: true,
    usesCluster: false,
    handler: async () => ({ text: "y".repeat(5_000) }),
  }),
] as Tool[];

describe("tool calls", () => {
  let directory: string;
  const servers: RunningMcpServer[] = [];
  async function serve(overrides: Partial<ServeOptions> = {}): Promise<string> {
    const server = await startMcpServer({
      transport: "http",
      http: {
        host: "127.0.0.1",
        port: 0,
        allowedHosts: [],
        maxBodyBytes: 1 << 20,
        maxSessions: 100,
        sessionIdleMs: 60_000,
      },
      tools,
      readOnly: false,
      inCluster: false,
      maskSecrets: true,
      timeoutMs: 10_000,
      responseLimit: 1_000,
      createProvider: async () => provider,
      version: "0.0.0-test",
      log: () => {},
      ...overrides,
    });
    servers.push(server);
    return server.url ?? "";
  }

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), "flux-mcp-calls-"));
  });
  after(async () => {
    await Promise.all(servers.map((server) => server.close()));
    await rm(directory, { recursive: true, force: true });
  });

  it("scrubs Secret values from answers and from the call log", async () => {
    const callLogFile = join(directory, "calls.jsonl");
    const client = await connectStreamableHttp(await serve({ callLogFile }), "2025-11-25");
    const result = await client.callTool({ name: "leak_secret", arguments: {} });
    assert.equal(textOf(result), "the password is ****");
    await client.callTool({ name: "leak_secret", arguments: { padding: SECRET } });
    await client.close();
    const log = await readFile(callLogFile, "utf8");
    assert.equal(log.trimEnd().split("\n").length, 2);
    assert.ok(!log.includes(SECRET), log);
  });

  it(
    "withholds an answer whose Secret values are still loading when --timeout ends the call",
    { timeout: 30_000 },
    async () => {
      // The tool answers at once; the Secret values to mask its answer with never arrive. The call's
      // deadline ends that wait too: the answer is withheld then, never sent unmasked nor left hanging.
      const loadingForever: KubeProvider = {
        ...provider,
        forContext: async (_context, signal) =>
          ({
            context: "test",
            identity: "",
            maskText: (text: string) =>
              new Promise<string>((_resolve, reject) => {
                if (text === "") return; // the load the call starts when it takes the Kube
                signal?.addEventListener("abort", () => reject(signal.reason as Error), { once: true });
              }),
          }) as unknown as Kube,
      };
      const client = await connectStreamableHttp(
        await serve({ createProvider: async () => loadingForever, timeoutMs: 300 }),
        "2025-11-25",
      );
      const result = await client.callTool({ name: "leak_secret", arguments: {} });
      await client.close();
      assert.equal(result.isError, true);
      assert.match(
        textOf(result),
        /^the answer was withheld: the Secret values to mask in it could not be read/,
      );
      assert.ok(!textOf(result).includes(SECRET));
    },
  );

  it("leaves Secret values alone with --mask-secrets=false", async () => {
    const client = await connectStreamableHttp(await serve({ maskSecrets: false }), "2025-11-25");
    assert.equal(
      textOf(await client.callTool({ name: "leak_secret", arguments: {} })),
      `the password is ${SECRET}`,
    );
    await client.close();
  });

  it("replaces an oversized read with advice, and scrubs what is left", async () => {
    const client = await connectStreamableHttp(await serve(), "2025-11-25");
    const result = await client.callTool({ name: "leak_secret", arguments: { padding: 2_000 } });
    assert.equal(result.isError, true);
    assert.match(
      textOf(result),
      /^The answer of leak_secret is \d+ characters, over the 1000-character limit/,
    );
    const write = await client.callTool({ name: "write_big", arguments: {} });
    assert.equal(write.isError, undefined);
    assert.match(textOf(write), /\[answer cut at 1000 of 5000 characters; the operation itself completed\]$/);
    await client.close();
  });

  it("answers a KubeError as a one-line error result, and a bug as a protocol error without a stack", async () => {
    const client = await connectStreamableHttp(await serve(), "2025-11-25");
    const failed = await client.callTool({ name: "fail_kube", arguments: {} });
    assert.deepEqual(failed.content, [
      { type: "text", text: "HelmRelease apps/podinfo not found in context test" },
    ]);
    assert.equal(failed.isError, true);
    await assert.rejects(client.callTool({ name: "crash", arguments: {} }), (error: Error) => {
      assert.match(error.message, /crash failed: Cannot read properties of undefined/);
      assert.doesNotMatch(error.message, /\n\s+at /);
      return true;
    });
    await client.close();
  });

  it("sends progress notifications when the client asks for them, masked like answers", async () => {
    const client = await connectStreamableHttp(await serve(), "2025-11-25");
    const seen: { progress: number; total?: number; message?: string }[] = [];
    const result = await client.callTool(
      { name: "report_progress", arguments: {} },
      { onprogress: (progress) => seen.push(progress) },
    );
    assert.equal(textOf(result), "done");
    assert.deepEqual(seen, [
      { progress: 1, total: 2, message: "fetching" },
      { progress: 2, total: 2, message: "applying with ****" },
    ]);
    await client.close();
  });

  it("aborts the tool's signal when the client cancels the call", async () => {
    const client = await connectStreamableHttp(await serve(), "2025-11-25");
    const controller = new AbortController();
    const running = new Promise<void>((resolve) => (started = resolve));
    const call = client.callTool({ name: "wait_for_cancel", arguments: {} }, { signal: controller.signal });
    await running;
    controller.abort("changed my mind");
    await assert.rejects(call);
    // The server is free again: a later call is answered.
    assert.equal(textOf(await client.callTool({ name: "report_progress", arguments: {} })), "done");
    await client.close();
  });

  it("in read-only mode lists no writing tool and explains a call to one", async () => {
    const client = await connectStreamableHttp(await serve({ readOnly: true }), "2025-11-25");
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    assert.ok(!names.includes("write_big"));
    assert.ok(names.includes("leak_secret"));
    assert.doesNotMatch(client.getInstructions() ?? "", /Actions/);
    await assert.rejects(
      client.callTool({ name: "write_big", arguments: {} }),
      /server runs with --read-only/,
    );
    await client.close();
  });
});
