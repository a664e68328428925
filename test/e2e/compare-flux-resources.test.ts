// compare_flux_resources through the built server and the MCP client, on the demo fleet's two
// clusters: the seed documents' own question, a namespace, and bad input.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parse } from "yaml";
import { connectStdio, serverEnvironment, textOf, type StdioConnection } from "../helpers/mcp-clients.ts";

interface Compared {
  object: string;
  onlyIn?: string;
  verdict?: string;
  differences?: Record<string, Record<string, string>>;
  same?: string;
}

describe("compare_flux_resources on the demo fleet", { timeout: 120_000 }, () => {
  let server: StdioConnection;
  before(async () => {
    server = await connectStdio(["--demo"], "2025-11-25", serverEnvironment({ KUBECONFIG: "/nonexistent" }));
  });
  after(async () => server?.client.close());

  const compare = async (args: Record<string, unknown>) => {
    const result = await server.client.callTool({ name: "compare_flux_resources", arguments: args });
    return { text: textOf(result), isError: (result as { isError?: boolean }).isError === true };
  };

  it("compares the podinfo HelmRelease between production and staging", async () => {
    const result = await compare({
      kind: "HelmRelease",
      name: "podinfo",
      namespace: "frontend",
      left_context: "production",
      right_context: "staging",
    });
    assert.equal(result.isError, false, result.text);
    const answer = parse(result.text) as { compared: string; objects: Compared[] };
    assert.equal(answer.compared, "production vs staging");
    const [podinfo] = answer.objects;
    assert.equal(podinfo?.object, "HelmRelease frontend/podinfo");
    assert.match(podinfo?.differences?.revision?.production ?? "", /^6\.8\.0/);
    assert.match(podinfo?.differences?.revision?.staging ?? "", /^6\.9\.2/);
    assert.match(podinfo?.same ?? "", /source: OCIRepository frontend\/podinfo/);
  });

  it("compares a namespace's Kustomizations, naming the ones only one cluster has", async () => {
    const answer = parse(
      (
        await compare({
          kind: "Kustomization",
          namespace: "flux-system",
          left_context: "production",
          right_context: "staging",
        })
      ).text,
    ) as { objects: Compared[] };
    const apps = answer.objects.find((entry) => entry.object === "Kustomization flux-system/apps");
    assert.deepEqual(apps?.differences?.state, {
      production: "ready (ReconciliationSucceeded)",
      staging: "failing (BuildFailed)",
    });
    const automation = answer.objects.find(
      (entry) => entry.object === "Kustomization flux-system/image-automation",
    );
    assert.equal(automation?.onlyIn, "staging");
  });

  it("says what is wrong with its input in one line", async () => {
    const base = { kind: "HelmRelease", name: "podinfo", namespace: "frontend" };
    for (const [args, expected] of [
      [
        { ...base, left_context: "staging", right_context: "staging" },
        /^left_context and right_context are the same context$/,
      ],
      [
        { ...base, left_context: "staging", right_context: "qa" },
        /^context "qa" not found in the kubeconfig; known contexts: /,
      ],
      [
        { ...base, name: "nope", left_context: "staging", right_context: "production" },
        /^HelmRelease frontend\/nope is in neither context/,
      ],
    ] as const) {
      const result = await compare(args);
      assert.equal(result.isError, true, result.text);
      assert.match(result.text, expected);
    }
  });
});
