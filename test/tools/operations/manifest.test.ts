import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseManifest } from "../../../src/kube/manifest.ts";

describe("parseManifest", () => {
  it("reads several documents, skips empty ones and expands lists", () => {
    const parsed = parseManifest(
      [
        "---",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}",
        "---\n# only a comment\n",
        "---",
        "apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: Secret, metadata: {name: b}}\n  - {apiVersion: v1, kind: ConfigMapList, items: [{apiVersion: v1, kind: ConfigMap, metadata: {name: c}}]}",
      ].join("\n"),
    );
    assert.ok("objects" in parsed);
    assert.deepEqual(
      parsed.objects.map((object) => `${object.kind}/${object.metadata.name}`),
      ["ConfigMap/a", "Secret/b", "ConfigMap/c"],
    );
  });

  it("reads JSON", () => {
    const parsed = parseManifest('{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"x"}}');
    assert.ok("objects" in parsed);
    assert.equal(parsed.objects[0]?.kind, "Namespace");
  });

  it("names the document and item that is not an object", () => {
    assert.deepEqual(parseManifest("apiVersion: v1\nkind: List\nitems: [{kind: ConfigMap}]"), {
      error: "document 1, item 1 (ConfigMap) has no apiVersion",
    });
    assert.deepEqual(parseManifest("- a\n- b"), {
      error:
        "document 1 is not a Kubernetes object: expected a mapping with apiVersion, kind and metadata.name",
    });
    assert.deepEqual(parseManifest("apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n"), {
      error: "document 1 (ConfigMap) has no metadata.name",
    });
    const kustomization = parseManifest(
      "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]",
    );
    assert.ok("error" in kustomization);
    assert.match(
      kustomization.error,
      /^document 1 is a kustomize Kustomization \(kustomize\.config\.k8s\.io\), not a Kubernetes object/,
    );
  });

  it("reports YAML syntax errors on one line", () => {
    const parsed = parseManifest("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkey: [1, 2\n");
    assert.ok("error" in parsed);
    assert.match(parsed.error, /^invalid YAML in document 2: /);
    assert.doesNotMatch(parsed.error, /\n/);
  });

  it("refuses a manifest without objects", () => {
    assert.deepEqual(parseManifest("---\n---\n"), { error: "no Kubernetes objects found in the manifest" });
  });
});
