// ChainReader.failing on the demo's staging cluster: the failing Flux objects and the workloads
// whose pods are in trouble, found from the pods up through their ReplicaSets, each kind read a
// page at a time.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ChainReader, linkId } from "../../src/flux/causal-chain.ts";
import { createKubeProvider } from "../../src/kube/provider.ts";
import type { Kube } from "../../src/kube/types.ts";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";

describe("ChainReader.failing", () => {
  let api: TestApiServer;
  let kube: Kube;
  before(async () => {
    api = await startTestApiServer({ simulation: false });
    kube = await createKubeProvider({ kubeconfigPaths: [api.kubeconfigPath], readOnly: true }).forContext(
      "staging",
    );
  });
  after(() => api?.close());

  it("names the Deployment of a crash-looping pod through its ReplicaSet, with the failing Flux objects", async () => {
    const mark = api.server.requestLog.mark();
    const roots = (await new ChainReader(kube, Date.now()).failing()).map(linkId);
    assert.ok(roots.includes("Deployment frontend/cart"), roots.join("\n"));
    assert.ok(roots.includes("HelmRelease monitoring/kube-prometheus-stack"), roots.join("\n"));
    assert.ok(!roots.some((root) => root.startsWith("ReplicaSet ")), roots.join("\n"));
    const lists = api.server.requestLog.entries({ since: mark, verb: "list" }).map((entry) => entry.path);
    assert.ok(lists.length > 0 && lists.every((path) => path.includes("limit=500")), lists.join("\n"));
  });
});
