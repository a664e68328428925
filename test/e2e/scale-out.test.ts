// Several replicas behind one Service: two server processes answer the requests of one MCP client
// over Streamable HTTP, the way a load balancer without affinity spreads them. The stateless
// 2026-07-28 revision needs nothing more; the session revisions (Mcp-Session-Id) need the requests
// of a session to reach the replica that opened it, and anywhere else get a clear 404 at once.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import type { FetchLike } from "../helpers/host-header-fetch.ts";
import { clientFor, MODERN_REVISION, textOf, type Revision } from "../helpers/mcp-clients.ts";
import { startServeProcess, type ServeProcess } from "../helpers/mcp-server-process.ts";

/** The path of the legacy SSE session's endpoint event, read from the start of its stream. */
async function sseEndpoint(response: Response): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const match = /event: endpoint\r?\ndata: (\S+)/.exec(text);
    if (match?.[1]) {
      await reader.cancel();
      return match[1];
    }
    const { value, done } = await reader.read();
    if (done) throw new Error(`the SSE stream ended without an endpoint event: ${text}`);
    text += decoder.decode(value, { stream: true });
  }
}

const SESSION_REVISIONS = ["2025-03-26", "2025-06-18", "2025-11-25"] as const;

/** A load balancer in front of the replicas: where it sent each JSON-RPC method. */
interface Balancer {
  fetch: FetchLike;
  /** `tools/call` → the replicas (0 or 1) that answered one, in order. */
  routed: Map<string, number[]>;
}

/** No affinity: each request goes to the next replica in turn. */
function roundRobin(replicas: readonly ServeProcess[]): Balancer {
  let next = 0;
  return balancer(() => next++ % replicas.length, replicas);
}

/**
 * Affinity by the Mcp-Session-Id header, as an ingress hashing on it does: a request of a session
 * goes to the replica that issued the session; one without goes to the next replica in turn.
 */
function stickyBySession(replicas: readonly ServeProcess[]): Balancer {
  let next = 0;
  const owners = new Map<string, number>();
  return balancer(
    (session) => (session === null ? undefined : owners.get(session)) ?? next++ % replicas.length,
    replicas,
    (replica, session) => {
      if (session !== null) owners.set(session, replica);
    },
  );
}

function balancer(
  choose: (session: string | null) => number,
  replicas: readonly ServeProcess[],
  issued: (replica: number, session: string | null) => void = () => {},
): Balancer {
  const routed = new Map<string, number[]>();
  return {
    routed,
    async fetch(url, init) {
      const replica = choose(new Headers(init?.headers).get("mcp-session-id"));
      const target = new URL(url);
      target.host = new URL(replicas[replica]!.url).host;
      if (typeof init?.body === "string") {
        const { method } = JSON.parse(init.body) as { method?: string };
        if (method !== undefined) routed.set(method, [...(routed.get(method) ?? []), replica]);
      }
      const response = await fetch(target, init);
      issued(replica, response.headers.get("mcp-session-id"));
      return response;
    },
  };
}

describe("two replicas behind one Service", { timeout: 120_000 }, () => {
  let api: TestApiServer;
  let replicas: ServeProcess[];
  before(async () => {
    api = await startTestApiServer();
    replicas = await Promise.all([0, 1].map(() => startServeProcess(["--kubeconfig", api.kubeconfigPath])));
  });
  after(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await api.close();
  });

  async function connect(revision: Revision, router: Balancer) {
    const client = clientFor(revision);
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${replicas[0]!.url}/mcp`), { fetch: router.fetch }),
    );
    return client;
  }

  /** The HelmReleases of a namespace, and the clusters the call read them from. */
  async function helmReleases(client: Awaited<ReturnType<typeof connect>>, namespace: string) {
    const mark = api.server.requestLog.mark();
    const result = await client.callTool({
      name: "get_kubernetes_resources",
      arguments: { apiVersion: "helm.toolkit.fluxcd.io/v2", kind: "HelmRelease", namespace },
    });
    assert.equal(result.isError, undefined, textOf(result));
    const clusters = api.server.requestLog
      .entries({ since: mark })
      .map((entry) => /^\/clusters\/([^/]+)/.exec(entry.path)?.[1]);
    return { text: textOf(result), clusters: [...new Set(clusters)] };
  }

  it(`${MODERN_REVISION} (stateless): alternate requests on alternate replicas, every answer right`, async () => {
    const router = roundRobin(replicas);
    const client = await connect(MODERN_REVISION, router);
    try {
      const { tools } = await client.listTools();
      assert.ok(tools.some((tool) => tool.name === "get_kubernetes_resources"));
      for (let round = 0; round < 4; round++) {
        assert.match((await helmReleases(client, "monitoring")).text, /kube-prometheus-stack/);
      }
      const calls = router.routed.get("tools/call") ?? [];
      assert.equal(calls.length, 4);
      assert.deepEqual(new Set(calls), new Set([0, 1]), "both replicas answered calls");
    } finally {
      await client.close();
    }
  });

  for (const revision of SESSION_REVISIONS) {
    it(`${revision} (sessions) without affinity: a clear 404 "Session not found" from the other replica, no hang`, async () => {
      await assert.rejects(connect(revision, roundRobin(replicas)), (error: Error) => {
        assert.match(error.message, /Session not found: start a new one with initialize/);
        return true;
      });
    });
  }

  it('2024-11-05 (legacy SSE): a message posted to the other replica gets 404 "unknown SSE session"', async () => {
    const stream = await fetch(`${replicas[0]!.url}/sse`, { headers: { Accept: "text/event-stream" } });
    assert.equal(stream.status, 200);
    const endpoint = await sseEndpoint(stream);
    const sessionId = new URL(endpoint, replicas[0]!.url).searchParams.get("sessionId");
    assert.ok(sessionId, endpoint);
    const elsewhere = await fetch(new URL(endpoint, replicas[1]!.url), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
    });
    assert.equal(elsewhere.status, 404);
    assert.equal(await elsewhere.text(), `unknown SSE session "${sessionId}"`);
  });

  it('a replica that restarts ends its sessions: the next request gets 404 "Session not found"', async () => {
    const restarting = await startServeProcess(["--kubeconfig", api.kubeconfigPath]);
    let current = restarting.url;
    const behindService: FetchLike = (url, init) => {
      const target = new URL(url);
      target.host = new URL(current).host;
      return fetch(target, init);
    };
    const client = clientFor("2025-06-18");
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${current}/mcp`), { fetch: behindService }),
    );
    let restarted: ServeProcess | undefined;
    try {
      assert.ok((await client.listTools()).tools.length > 0);
      await restarting.stop();
      restarted = await startServeProcess(["--kubeconfig", api.kubeconfigPath]);
      current = restarted.url;
      await assert.rejects(client.listTools(), /Session not found: start a new one with initialize/);
    } finally {
      await client.close().catch(() => {});
      await restarted?.stop();
    }
  });

  it("the session revisions with affinity by Mcp-Session-Id: each session stays on its replica, with its own context", async () => {
    const router = stickyBySession(replicas);
    const first = await connect("2025-06-18", router);
    const second = await connect("2025-11-25", router);
    try {
      const initialized = router.routed.get("initialize") ?? [];
      assert.deepEqual(
        new Set(initialized),
        new Set([0, 1]),
        "the two sessions opened on different replicas",
      );
      // A context switch is session state: it holds in the session that made it, on its replica.
      const switched = await first.callTool({
        name: "set_kubeconfig_context",
        arguments: { name: "production" },
      });
      assert.equal(switched.isError, undefined, textOf(switched));
      for (let round = 0; round < 3; round++) {
        const inFirst = await helmReleases(first, "monitoring");
        assert.match(inFirst.text, /kube-prometheus-stack/);
        assert.deepEqual(inFirst.clusters, ["production"]);
        const inSecond = await helmReleases(second, "monitoring");
        assert.match(inSecond.text, /kube-prometheus-stack/);
        assert.deepEqual(inSecond.clusters, ["staging"]);
      }
    } finally {
      await first.close();
      await second.close();
    }
  });
});
