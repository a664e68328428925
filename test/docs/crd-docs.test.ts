import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { parse, parseAllDocuments } from "yaml";
import { crdDocs } from "../../src/docs/crd-docs.ts";
import { sectionBody } from "../../src/docs/markdown.ts";
import type { KubeObject } from "../../src/kube/types.ts";

async function readCrd(path: string): Promise<KubeObject> {
  return parse(await readFile(path, "utf8")) as KubeObject;
}

describe("crdDocs", () => {
  it("renders a section per object field of the real HelmRelease schema", async () => {
    const [doc, ...others] = crdDocs(
      await readCrd("test/data/flux-crds/helm-controller/helm.toolkit.fluxcd.io_helmreleases.yaml"),
    );
    assert.ok(doc);
    assert.equal(others.length, 0);
    assert.equal(doc.path, "crd/helmrelease/v2");
    assert.equal(doc.title, "HelmRelease v2 schema");
    assert.match(
      doc.lines[1] ?? "",
      /helm\.toolkit\.fluxcd\.io\/v2, namespaced, short names: hr, storage version/,
    );

    const remediation = doc.sections.find((section) => section.anchor === "specinstallremediation");
    assert.ok(remediation);
    assert.deepEqual(remediation.trail, ["spec.install.remediation"]);
    const body = sectionBody(doc, remediation).text;
    assert.match(body, /^- retries \(integer\): Retries is the number of retries/m);
    assert.match(body, /^- remediateLastFailure \(boolean\): /m);

    const strategy = doc.sections.find((section) => section.trail[0] === "spec.upgrade.remediation");
    assert.ok(strategy);
    assert.match(sectionBody(doc, strategy).text, /^- strategy \(string, one of rollback\|uninstall\): /m);

    const dependsOn = doc.sections.find((section) => section.trail[0] === "spec.dependsOn[]");
    assert.ok(dependsOn, "array items with fields get their own section");
    const spec = doc.sections.find((section) => section.trail[0] === "spec");
    assert.ok(spec);
    const specBody = sectionBody(doc, spec).text;
    assert.match(specBody, /^- interval \(string, required\): /m);
    assert.match(
      specBody,
      /^- dependsOn \(\[\]object\): DependsOn may contain [^.]*\.$/m,
      "first sentence only",
    );
    assert.match(specBody, /^- rule: either chart or chartRef must be set$/m);
  });

  it("renders the short schemas of the demo fleet's CRDs", async () => {
    const text = await readFile("fixtures/crds/toolkit.yaml", "utf8");
    const crd = parseAllDocuments(text)
      .map((document) => document.toJS() as KubeObject)
      .find((object) => object?.metadata?.name === "gitrepositories.source.toolkit.fluxcd.io");
    assert.ok(crd);
    const [doc] = crdDocs(crd);
    assert.ok(doc);
    assert.equal(doc.path, "crd/gitrepository/v1");
    assert.match(doc.lines.join("\n"), /^- spec \(free-form object\): /m);
  });

  it("documents every served version, old and deprecated ones weighted down", () => {
    const schema = { openAPIV3Schema: { type: "object", properties: { spec: { type: "object" } } } };
    const crd: KubeObject = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "widgets.example.fluxcd.io" },
      spec: {
        group: "example.fluxcd.io",
        scope: "Cluster",
        names: { kind: "Widget", plural: "widgets" },
        versions: [
          { name: "v1", served: true, storage: true, schema },
          { name: "v1beta1", served: true, storage: false, deprecated: true, schema },
          { name: "v1alpha1", served: false, storage: false, schema },
        ],
      },
    };
    const docs = crdDocs(crd, true);
    assert.deepEqual(
      docs.map((doc) => [doc.path, doc.weight]),
      [
        ["crd/widget.example.fluxcd.io/v1", 1],
        ["crd/widget.example.fluxcd.io/v1beta1", 0.5],
      ],
    );
    assert.match(docs[1]?.lines[1] ?? "", /cluster-scoped, deprecated\)/);
  });
});
