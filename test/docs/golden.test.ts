// The relevance contract: each golden query must find its section in the top three, from the
// knowledge base and from the real Flux CRD schemas a cluster serves.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createDocsLibrary, type DocsView } from "../../src/docs/library.ts";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { kubeOf } from "../helpers/tools.ts";
import { KNOWLEDGE_QUERIES, SCHEMA_QUERIES, type GoldenQuery } from "./golden-queries.ts";

const TOP = 3;

describe("golden queries", () => {
  let api: TestApiServer;
  let view: DocsView;

  before(async () => {
    api = await startTestApiServer({ sources: [{ name: "staging", paths: ["test/data/flux-crds"] }] });
    const cluster = kubeOf(api);
    view = await createDocsLibrary().view(cluster);
    assert.deepEqual(view.notes, []);
  });
  after(() => api.close());

  it("are at least thirty", () => {
    assert.ok(KNOWLEDGE_QUERIES.length + SCHEMA_QUERIES.length >= 30);
  });

  for (const golden of [...KNOWLEDGE_QUERIES, ...SCHEMA_QUERIES]) {
    it(golden.query, () => assertInTop(view, golden));
  }
});

describe("golden queries on the demo fleet, whose CRDs have short schemas", () => {
  let api: TestApiServer;
  let view: DocsView;

  before(async () => {
    api = await startTestApiServer();
    const cluster = kubeOf(api, "staging");
    view = await createDocsLibrary().view(cluster);
    assert.deepEqual(view.notes, []);
    assert.ok(view.document("crd/helmrelease/v2"), "the demo's own CRDs are documented too");
  });
  after(() => api.close());

  for (const golden of KNOWLEDGE_QUERIES) {
    it(golden.query, () => assertInTop(view, golden));
  }
});

function assertInTop(view: DocsView, { query, expect }: GoldenQuery): void {
  const found = view.search(query, { limit: TOP }).map((hit) => `${hit.doc.path}#${hit.section.anchor}`);
  const wanted = typeof expect === "string" ? [expect] : expect;
  assert.ok(
    wanted.some((section) => found.includes(section)),
    `"${query}": expected ${wanted.join(" or ")} in the top ${TOP}, got:\n  ${found.join("\n  ")}`,
  );
}
