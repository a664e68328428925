// Faults of the API server, injected by the emulator, through the built server and a real MCP
// client: latency past --timeout, server errors (with Retry-After or not), throttling, dropped
// connections, the API server killed and started again on the same port. Every call answers within
// the timeout, as a result (recovered by a retry) or a one-line error; writes are never sent twice;
// and the same session answers normally once the fault is gone. Prints how many faults were tried,
// answered by a clean error, and recovered from.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestApiServer, type FaultRule, type TestApiServer } from "../helpers/apiserver.ts";
import { connectStdio, textOf, type StdioConnection } from "../helpers/mcp-clients.ts";

const TIMEOUT = "4s";
/** Far above --timeout: a call that has not answered by then hangs. */
const CLIENT_TIMEOUT_MS = 20_000;
const KUSTOMIZATIONS = "/clusters/staging/apis/kustomize.toolkit.fluxcd.io";

interface Answer {
  text: string;
  isError: boolean;
}

interface Scenario {
  name: string;
  fault: FaultRule;
  tool: string;
  args: Record<string, unknown>;
  /** How the call made during the fault must end: recovered by a retry, or a clean error matching. */
  during: "recovered" | RegExp;
  /** Writes sent during the fault: never more than one. */
  writes?: number;
}

const listKustomizations = { kind: "Kustomization", namespace: "flux-system" };
const suspendApps = {
  apiVersion: "kustomize.toolkit.fluxcd.io/v1",
  kind: "Kustomization",
  name: "infra-controllers",
  namespace: "flux-system",
};

const scenarios: Scenario[] = [
  {
    name: "latency past --timeout",
    fault: { kind: "latency", delayMs: 8_000, pathPrefix: KUSTOMIZATIONS },
    tool: "get_kubernetes_resources",
    args: listKustomizations,
    during: /timed out after 4s \(--timeout\)/,
  },
  {
    name: "500 on every read",
    fault: { kind: "error", status: 500, message: "etcd is sad", pathPrefix: KUSTOMIZATIONS },
    tool: "get_kubernetes_resources",
    args: listKustomizations,
    during: /etcd is sad \(HTTP 500\); the API server failed: try again/,
  },
  {
    name: "503 on every read",
    fault: { kind: "error", status: 503, pathPrefix: KUSTOMIZATIONS },
    tool: "get_kubernetes_resources",
    args: listKustomizations,
    during: /\(HTTP 503\); the API server failed/,
  },
  {
    name: "503 with Retry-After, once",
    fault: { kind: "error", status: 503, retryAfterSeconds: 1, times: 1, pathPrefix: KUSTOMIZATIONS },
    tool: "get_kubernetes_resources",
    args: listKustomizations,
    during: "recovered",
  },
  {
    name: "429 with Retry-After, twice",
    fault: { kind: "throttle", retryAfterSeconds: 1, times: 2, pathPrefix: KUSTOMIZATIONS },
    tool: "get_kubernetes_resources",
    args: listKustomizations,
    during: "recovered",
  },
  {
    name: "429 with Retry-After past the budget",
    fault: { kind: "throttle", retryAfterSeconds: 1, pathPrefix: KUSTOMIZATIONS },
    tool: "get_kubernetes_resources",
    args: listKustomizations,
    during: /\(HTTP 429\); the API server is throttling requests/,
  },
  {
    name: "a dropped connection, once",
    fault: { kind: "drop", times: 1, pathPrefix: KUSTOMIZATIONS },
    tool: "get_kubernetes_resources",
    args: listKustomizations,
    during: "recovered",
  },
  {
    name: "every connection dropped",
    fault: { kind: "drop", pathPrefix: KUSTOMIZATIONS },
    tool: "get_kubernetes_resources",
    args: listKustomizations,
    during: /cannot reach the Kubernetes API of context staging .*connection reset/,
  },
  {
    name: "500 on a write",
    fault: { kind: "error", status: 500, method: "PATCH", pathPrefix: KUSTOMIZATIONS },
    tool: "suspend_flux_reconciliation",
    args: suspendApps,
    during: /\(HTTP 500\)/,
    writes: 1,
  },
  {
    name: "429 on a write",
    fault: { kind: "throttle", retryAfterSeconds: 0, method: "PATCH", pathPrefix: KUSTOMIZATIONS },
    tool: "suspend_flux_reconciliation",
    args: suspendApps,
    during: /\(HTTP 429\); the API server is throttling requests/,
    writes: 1,
  },
  {
    name: "503 with Retry-After on a write",
    fault: { kind: "error", status: 503, retryAfterSeconds: 0, method: "PATCH", pathPrefix: KUSTOMIZATIONS },
    tool: "suspend_flux_reconciliation",
    args: suspendApps,
    during: /\(HTTP 503\); the API server failed/,
    writes: 1,
  },
  {
    name: "a write whose connection drops",
    fault: { kind: "drop", method: "PATCH", pathPrefix: KUSTOMIZATIONS },
    tool: "suspend_flux_reconciliation",
    args: suspendApps,
    during: /cannot reach the Kubernetes API of context staging/,
  },
];

function assertCleanError(answer: Answer, pattern: RegExp): void {
  assert.equal(answer.isError, true, `expected an error result, got: ${answer.text}`);
  assert.equal(answer.text.trim().split("\n").length, 1, answer.text);
  assert.match(answer.text, pattern);
}

describe("API server faults, survived within --timeout", { timeout: 300_000 }, () => {
  let api: TestApiServer;
  let mcp: StdioConnection;
  const figures = { tried: 0, cleanErrors: 0, recoveredInCall: 0, recoveredAfter: 0 };

  async function call(tool: string, args: Record<string, unknown>): Promise<Answer> {
    const result = await mcp.client.callTool(
      { name: tool, arguments: args },
      {
        timeout: CLIENT_TIMEOUT_MS,
      },
    );
    return { text: textOf(result), isError: (result as { isError?: boolean }).isError === true };
  }

  /** After a fault: the same session answers the same question normally. */
  async function assertRecovers(tool: string, args: Record<string, unknown>): Promise<void> {
    const answer = await call(tool, args);
    assert.equal(answer.isError, false, `the session did not recover: ${answer.text}`);
    if (tool === "suspend_flux_reconciliation") {
      await call("resume_flux_reconciliation", { ...args, wait: false });
    }
    figures.recoveredAfter++;
  }

  before(async () => {
    api = await startTestApiServer();
    mcp = await connectStdio(
      ["--kubeconfig", api.kubeconfigPath, "--kube-context", "staging", "--timeout", TIMEOUT],
      "2025-11-25",
    );
    // Discovery and the Secret values are loaded before the faults, as in a session under way.
    assert.equal((await call("get_kubernetes_resources", listKustomizations)).isError, false);
  });
  after(async () => {
    console.log(
      `API server faults: tried ${figures.tried}, clean errors ${figures.cleanErrors}, recovered within the call ${figures.recoveredInCall}, recovered on the next call ${figures.recoveredAfter}`,
    );
    await mcp?.client.close();
    await api?.close();
  });

  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      figures.tried++;
      const faults = api.server.faults;
      const mark = api.server.requestLog.mark();
      const id = faults.add(scenario.fault);
      let answer: Answer;
      try {
        answer = await call(scenario.tool, scenario.args);
      } finally {
        faults.remove(id);
      }
      if (scenario.during === "recovered") {
        assert.equal(answer.isError, false, answer.text);
        figures.recoveredInCall++;
      } else {
        assertCleanError(answer, scenario.during);
        figures.cleanErrors++;
      }
      if (scenario.writes !== undefined) {
        const patches = api.server.requestLog.entries({ method: "PATCH", since: mark });
        assert.equal(patches.length, scenario.writes, "a write that may have happened is never sent again");
      }
      await assertRecovers(scenario.tool, scenario.args);
    });
  }

  it("the API server killed and started again on the same port", async () => {
    figures.tried++;
    await api.restart(async () => {
      const answer = await call("get_kubernetes_resources", listKustomizations);
      assertCleanError(answer, /cannot reach the Kubernetes API of context staging .*connection refused/);
      figures.cleanErrors++;
    });
    await assertRecovers("get_kubernetes_resources", listKustomizations);
  });
});
