import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { joinedWords, normalizeTerm, tokenize } from "../../src/docs/terms.ts";

describe("tokenize", () => {
  it("keeps camelCase words whole and adds their parts", () => {
    assert.deepEqual(tokenize("DependencyNotReady dependsOn"), [
      "DependencyNotReady",
      "Dependency",
      "Not",
      "Ready",
      "dependsOn",
      "depends",
      "On",
    ]);
  });

  it("leaves versions and lower-case words alone", () => {
    assert.deepEqual(tokenize("v1beta2 k8s spec.install"), ["v1beta2", "k8s", "spec", "install"]);
  });
});

describe("normalizeTerm", () => {
  it("stems, keeps the word, drops stop words and maps Flux short names", () => {
    assert.deepEqual(normalizeTerm("Upgrades"), ["upgrad", "upgrades"]);
    assert.deepEqual(normalizeTerm("spec"), ["spec"]);
    assert.equal(normalizeTerm("the"), null);
    assert.equal(normalizeTerm("a"), null);
    assert.deepEqual(normalizeTerm("hr"), normalizeTerm("HelmRelease"));
    assert.deepEqual(normalizeTerm("ks"), normalizeTerm("kustomization"));
  });
});

describe("joinedWords", () => {
  it("runs adjacent words together, so a reason is found from its words", () => {
    assert.deepEqual(joinedWords("dependency not ready"), [
      "dependencynot",
      "notready",
      "dependencynotready",
    ]);
    assert.deepEqual(joinedWords("single"), []);
  });
});
