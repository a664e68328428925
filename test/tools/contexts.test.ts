import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { parse } from "yaml";
import { createToolContext, type SessionState } from "../../src/server/tool-context.ts";
import { getKubeconfigContexts } from "../../src/tools/clusters/get-kubeconfig-contexts.ts";
import { setKubeconfigContext } from "../../src/tools/clusters/set-kubeconfig-context.ts";
import { getKubernetesMetrics } from "../../src/tools/reporting/get-kubernetes-metrics.ts";
import type { ToolContext } from "../../src/tools/tool.ts";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { callTool, testProvider } from "../helpers/tools.ts";

describe("kubeconfig context tools", () => {
  let api: TestApiServer;
  before(async () => {
    api = await startTestApiServer();
  });
  after(async () => {
    await api.close();
  });

  /** Two MCP sessions: separate session states over one shared provider, as the server runs them. */
  function twoSessions(): [ToolContext, ToolContext] {
    const provider = testProvider(api);
    const session = (state: SessionState) =>
      createToolContext({
        provider,
        session: state,
        maskSecrets: true,
        signal: new AbortController().signal,
      });
    return [session({ context: undefined }), session({ context: undefined })];
  }

  it("lists the contexts with cluster and user, marking the current one", async () => {
    const [ctx] = twoSessions();
    const result = await callTool(getKubeconfigContexts, {}, ctx);
    assert.equal(result.isError, undefined);
    assert.deepEqual(parse(result.text), {
      current: "staging",
      contexts: [
        { context: "production", cluster: "production", user: "flux-mcp-admin" },
        { context: "staging", cluster: "staging", user: "flux-mcp-admin" },
      ],
    });
    assert.match(
      result.text,
      /^ {2}- \{ context: production, cluster: production, user: flux-mcp-admin \}$/m,
    );
  });

  it("switches the context of one session only, without touching the kubeconfig", async () => {
    const kubeconfigBefore = await readFile(api.kubeconfigPath, "utf8");
    const [first, second] = twoSessions();

    const switched = await callTool(setKubeconfigContext, { name: "production" }, first);
    assert.equal(switched.isError, undefined);
    assert.match(
      switched.text,
      /^This session now uses context production \(cluster production, user flux-mcp-admin\)/,
    );

    assert.equal(parse((await callTool(getKubeconfigContexts, {}, first)).text).current, "production");
    assert.equal(parse((await callTool(getKubeconfigContexts, {}, second)).text).current, "staging");
    assert.equal(await readFile(api.kubeconfigPath, "utf8"), kubeconfigBefore);

    // Cluster tools follow the session's context.
    const metricsHeader = (session: ToolContext) =>
      callTool(getKubernetesMetrics, { namespace: "flux-system" }, session).then(
        (result) => result.text.split("\n")[0],
      );
    assert.match((await metricsHeader(first)) ?? "", /^# namespace flux-system in production: /);
    assert.match((await metricsHeader(second)) ?? "", /^# namespace flux-system in staging: /);
  });

  it("is idempotent", async () => {
    const [ctx] = twoSessions();
    for (let i = 0; i < 2; i++) {
      const result = await callTool(setKubeconfigContext, { name: "staging" }, ctx);
      assert.equal(result.isError, undefined);
    }
    assert.equal(parse((await callTool(getKubeconfigContexts, {}, ctx)).text).current, "staging");
  });

  it("refuses an unknown context, naming the known ones, and keeps the current one", async () => {
    const [ctx] = twoSessions();
    const result = await callTool(setKubeconfigContext, { name: "qa" }, ctx);
    assert.equal(result.isError, true);
    assert.match(result.text, /"qa" not found/);
    assert.match(result.text, /known contexts: .*production/);
    assert.match(result.text, /known contexts: .*staging/);
    assert.doesNotMatch(result.text, /\n/);
    assert.equal(parse((await callTool(getKubeconfigContexts, {}, ctx)).text).current, "staging");
  });

  it("declares session-only tools that need the kubeconfig and no cluster", () => {
    for (const tool of [getKubeconfigContexts, setKubeconfigContext]) {
      assert.equal(tool.kubeconfigOnly, true);
      assert.equal(tool.usesCluster, false);
      assert.equal(tool.writes, false);
      assert.deepEqual(tool.annotations, {
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      });
    }
  });
});
