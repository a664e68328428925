// The library's three sources and how a call's cluster decides what it sees.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createDocsLibrary } from "../../src/docs/library.ts";
import { sectionBody } from "../../src/docs/markdown.ts";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { kubeOf } from "../helpers/tools.ts";

describe("docs library", () => {
  let api: TestApiServer;
  let docsDir: string;

  before(async () => {
    // staging serves the real Flux CRDs, production the demo's short ones.
    api = await startTestApiServer({
      sources: [
        { name: "staging", paths: ["test/data/flux-crds"] },
        { name: "production", paths: ["fixtures/crds/toolkit.yaml"] },
      ],
    });
    docsDir = await mkdtemp(join(tmpdir(), "flux-docs-"));
    await mkdir(join(docsDir, "guides"));
    await writeFile(
      join(docsDir, "guides", "canary.md"),
      "---\ntitle: Canary releases\n---\n\n## Traffic shifting\n\nFlagger moves traffic step by step to the canary.\n\n## Rollback\n\nA failed analysis sends traffic back to the primary.\n",
    );
    await writeFile(join(docsDir, "README.md"), "# Local notes\n\nOur team's quokka runbook lives here.\n");
  });
  after(async () => {
    await api.close();
    await rm(docsDir, { recursive: true, force: true });
  });

  it("searches Markdown from --docs-dir under local/, with titles from front matter or headings", async () => {
    const library = createDocsLibrary({ docsDir });
    const cluster = kubeOf(api, "staging");
    const view = await library.view(cluster);
    const [hit] = view.search("flagger traffic canary", { limit: 1 });
    assert.equal(hit?.doc.path, "local/guides/canary");
    assert.equal(hit?.doc.title, "Canary releases");
    assert.deepEqual(hit?.section.trail, ["Traffic shifting"]);
    assert.equal(view.search("quokka runbook", { limit: 1 })[0]?.doc.path, "local/README");
    assert.deepEqual(
      view.search("traffic", { path: "local/guides", limit: 5 }).map((found) => found.doc.path),
      ["local/guides/canary", "local/guides/canary"],
    );
  });

  it("reads --docs-dir only when first used, and says so when it cannot", async () => {
    const missing = join(docsDir, "missing");
    const library = createDocsLibrary({ docsDir: missing });
    await mkdir(missing);
    await writeFile(join(missing, "late.md"), "# Late\n\nWritten after the library was created: a wombat.\n");
    const cluster = kubeOf(api, "staging");
    const view = await library.view(cluster);
    assert.equal(view.search("wombat", { limit: 1 })[0]?.doc.path, "local/late");

    const unreadable = createDocsLibrary({ docsDir: join(docsDir, "nowhere") });
    const without = await unreadable.view(cluster);
    assert.match(without.notes.join("\n"), /--docs-dir .*nowhere was not read: ENOENT/);
    assert.ok(
      without.search("dependency not ready", { limit: 1 }).length > 0,
      "the knowledge base still answers",
    );
  });

  it("documents each context's own CRDs, side by side", async () => {
    const library = createDocsLibrary();
    const staging = kubeOf(api, "staging");
    const production = kubeOf(api, "production");
    const [real, demo] = await Promise.all([library.view(staging), library.view(production)]);
    const realDoc = real.document("crd/gitrepository/v1");
    const demoDoc = demo.document("crd/gitrepository/v1");
    assert.ok(realDoc && demoDoc);
    assert.ok(realDoc.sections.some((section) => section.anchor === "specref"));
    assert.ok(!demoDoc.sections.some((section) => section.anchor === "specref"));
    assert.equal(real.document("crd/fluxinstance/v1")?.path, "crd/fluxinstance/v1");
    assert.equal(demo.document("crd/fluxinstance/v1"), undefined, "production has no Flux Operator");

    const fromDemo = demo.search("gitrepository spec.ref semver", { path: "crd", limit: 3 });
    assert.ok(fromDemo.every((hit) => !hit.section.trail.includes("spec.ref")));
    const fromReal = real.search("gitrepository spec.ref semver", { path: "crd", limit: 1 });
    assert.deepEqual(fromReal[0]?.section.trail, ["spec.ref"]);
    assert.match(sectionBody(fromReal[0].doc, fromReal[0].section).text, /^- semver \(string\): /m);
  });

  it("fetches a context's CRDs once, then serves them from its cache", async () => {
    const library = createDocsLibrary();
    const cluster = kubeOf(api, "staging");
    const mark = api.server.requestLog.mark();
    await library.view(cluster);
    await library.view(cluster);
    const crdReads = api.server.requestLog.entries({
      since: mark,
      pathPrefix: "/clusters/staging/apis/apiextensions.k8s.io/v1/customresourcedefinitions/",
    });
    assert.equal(crdReads.length, 18, "one GET per Flux CRD, and only the first time");
  });

  it("does not wait for a slow cluster: the schemas arrive for a later call", async () => {
    let respond = () => {};
    const fault = api.server.faults.add({
      kind: "gate",
      opened: new Promise<void>((resolve) => (respond = resolve)),
      pathPrefix: "/clusters/production/apis/apiextensions.k8s.io/v1/customresourcedefinitions/",
    });
    try {
      const library = createDocsLibrary({ schemaWaitMs: 100 });
      const cluster = kubeOf(api, "production");
      // The cluster holds every CRD read until told: an answer now is one that did not wait for them.
      const loading = ["Flux CRD schemas of the cluster are still loading: ask again shortly"];
      const early = await library.view(cluster);
      assert.deepEqual(early.notes, loading, "answered before the CRDs arrived");
      assert.equal(early.document("crd/kustomization/v1"), undefined);
      assert.ok(early.search("dependency not ready", { limit: 1 }).length > 0);
      // The fetch it waited for in vain is not waited for again.
      assert.deepEqual((await library.view(cluster)).notes, loading);

      respond();
      let later = await library.view(cluster);
      for (let polls = 0; later.notes.length > 0 && polls < 500; polls++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        later = await library.view(cluster);
      }
      assert.deepEqual(later.notes, []);
      assert.ok(later.document("crd/kustomization/v1"));
    } finally {
      api.server.faults.remove(fault);
    }
  });

  it("answers from the knowledge base when the cluster cannot be reached, with a note", async () => {
    const cluster = kubeOf(api, "no-such-context");
    const view = await createDocsLibrary().view(cluster);
    assert.match(
      view.notes.join("\n"),
      /^Flux CRD schemas of the cluster are not included: .*no-such-context/,
    );
    assert.equal(view.search("dependency not ready", { limit: 1 })[0]?.doc.path, "reference/reasons");
    assert.deepEqual(view.search("spec.install.remediation", { path: "crd", limit: 3 }), []);
  });

  it("finds documents by path however it is written, and suggests close ones", async () => {
    const cluster = kubeOf(api, "staging");
    const view = await createDocsLibrary().view(cluster);
    for (const path of [
      "kinds/helmrelease",
      "/kinds/helmrelease",
      "kinds/helmrelease.md",
      "Kinds/HelmRelease/",
    ]) {
      assert.equal(view.document(path)?.path, "kinds/helmrelease", path);
    }
    assert.deepEqual(view.closest("kind/helmrelese", 2), ["kinds/helmrelease", "fields/helmrelease"]);
    assert.equal(
      view.document("/docs/crd/helmrelease")?.path,
      "fields/helmrelease",
      "the newer reference's paths",
    );
    assert.equal(view.document("docs/crd/resourceset.md")?.path, "fields/resourceset");
  });
});
