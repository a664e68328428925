// A YAML page of Flux objects spread over more namespaces than a few: get_kubernetes_resources reads
// the events of the page's namespaces, one list each, and never every event of the kind in the cluster.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parseAllDocuments } from "yaml";
import { startFluxClusterOf, type TestApiServer } from "../helpers/apiserver.ts";
import { callOnce } from "../helpers/tool-session.ts";

const NAMESPACES = 30;
const PAGE = 24;

const namespaceOf = (index: number) => `team-${String(index).padStart(2, "0")}`;

function kustomization(index: number): object {
  return {
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    metadata: { name: "apps", namespace: namespaceOf(index) },
    spec: {
      interval: "10m",
      path: "./apps",
      prune: true,
      sourceRef: { kind: "GitRepository", name: "tenant" },
    },
  };
}

function warning(index: number): object {
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: `apps.${index}`, namespace: namespaceOf(index) },
    involvedObject: {
      apiVersion: "kustomize.toolkit.fluxcd.io/v1",
      kind: "Kustomization",
      name: "apps",
      namespace: namespaceOf(index),
    },
    reason: "BuildFailed",
    message: `kustomize build failed in ${namespaceOf(index)}`,
    source: { component: "kustomize-controller" },
    firstTimestamp: "2026-01-01T00:00:00Z",
    lastTimestamp: "2026-01-01T00:00:00Z",
    count: 1,
    type: "Warning",
  };
}

describe("get_kubernetes_resources on a page spread over many namespaces", () => {
  let api: TestApiServer;

  before(async () => {
    const indexes = Array.from({ length: NAMESPACES }, (_, index) => index);
    api = await startFluxClusterOf("spread", [
      ...indexes.map((index) => ({
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: namespaceOf(index) },
      })),
      ...indexes.map(kustomization),
      ...indexes.map(warning),
    ]);
  });
  after(async () => {
    await api?.close();
  });

  it("lists the events of each of the page's namespaces, and no other", async () => {
    const mark = api.server.requestLog.mark();
    const result = await callOnce(api, { context: "spread" }, "get_kubernetes_resources", {
      kind: "Kustomization",
      limit: PAGE,
    });
    assert.notEqual(result.isError, true, result.text);
    const objects = parseAllDocuments(result.text).map(
      (document) => document.toJS() as { metadata: { namespace: string }; events?: string[] },
    );
    const onPage = objects.map((object) => object.metadata.namespace);
    assert.equal(onPage.length, PAGE);
    for (const object of objects) {
      assert.ok(
        object.events?.some((line) =>
          line.includes(`kustomize build failed in ${object.metadata.namespace}`),
        ),
        JSON.stringify(object),
      );
    }
    const eventLists = api.server.requestLog
      .entries({ since: mark, verb: "list" })
      .map((entry) => entry.path)
      .filter((path) => path.includes("/events"));
    assert.deepEqual(
      eventLists
        .map((path) => /\/namespaces\/([^/]+)\/events/.exec(path)?.[1] ?? `all namespaces: ${path}`)
        .sort(),
      [...onPage].sort(),
    );
  });
});
