import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { parse } from "yaml";
import { getKubeconfigContexts } from "../../src/tools/clusters/get-kubeconfig-contexts.ts";
import { setKubeconfigContext } from "../../src/tools/clusters/set-kubeconfig-context.ts";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { connectTools, type ToolSession } from "../helpers/tool-session.ts";

describe("kubeconfig context tools", () => {
  let api: TestApiServer;
  before(async () => {
    api = await startTestApiServer();
  });
  after(async () => {
    await api.close();
  });

  /** Two MCP sessions with one server, so over one shared provider. */
  async function twoSessions(): Promise<[ToolSession, ToolSession]> {
    const first = await connectTools(api);
    return [first, await first.another()];
  }

  it("lists the contexts with cluster and user, marking the current one", async () => {
    const [ctx] = await twoSessions();
    const result = await ctx.call("get_kubeconfig_contexts", {});
    assert.equal(result.isError, false);
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
    const [first, second] = await twoSessions();

    const switched = await first.call("set_kubeconfig_context", { name: "production" });
    assert.equal(switched.isError, false);
    assert.match(
      switched.text,
      /^This session now uses context production \(cluster production, user flux-mcp-admin\)/,
    );

    assert.equal(parse((await first.call("get_kubeconfig_contexts", {})).text).current, "production");
    assert.equal(parse((await second.call("get_kubeconfig_contexts", {})).text).current, "staging");
    assert.equal(await readFile(api.kubeconfigPath, "utf8"), kubeconfigBefore);

    // Cluster tools follow the session's context.
    const metricsHeader = (session: ToolSession) =>
      session
        .call("get_kubernetes_metrics", { namespace: "flux-system" })
        .then((result) => result.text.split("\n")[0]);
    assert.match((await metricsHeader(first)) ?? "", /^# namespace flux-system in production: /);
    assert.match((await metricsHeader(second)) ?? "", /^# namespace flux-system in staging: /);
  });

  it("is idempotent", async () => {
    const [ctx] = await twoSessions();
    for (let i = 0; i < 2; i++) {
      const result = await ctx.call("set_kubeconfig_context", { name: "staging" });
      assert.equal(result.isError, false);
    }
    assert.equal(parse((await ctx.call("get_kubeconfig_contexts", {})).text).current, "staging");
  });

  it("refuses an unknown context, naming the known ones, and keeps the current one", async () => {
    const [ctx] = await twoSessions();
    const result = await ctx.call("set_kubeconfig_context", { name: "qa" });
    assert.equal(result.isError, true);
    assert.match(result.text, /"qa" not found/);
    assert.match(result.text, /known contexts: .*production/);
    assert.match(result.text, /known contexts: .*staging/);
    assert.doesNotMatch(result.text, /\n/);
    assert.equal(parse((await ctx.call("get_kubeconfig_contexts", {})).text).current, "staging");
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
