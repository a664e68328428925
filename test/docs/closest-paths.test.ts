import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { closestPaths } from "../../src/docs/closest-paths.ts";

const KNOWN = [
  "crd/helmrelease/v2",
  "crd/helmrelease/v2beta2",
  "crd/kustomization/v1",
  "kinds/helmrelease",
  "kinds/kustomization",
  "troubleshooting/helmrelease",
];

describe("closestPaths", () => {
  it("forgives a typo in a segment", () => {
    assert.deepEqual(closestPaths("crd/helmrelase/v2", KNOWN, 2), [
      "crd/helmrelease/v2",
      "crd/helmrelease/v2beta2",
    ]);
  });

  it("finds documents when the folder is missing or wrong", () => {
    assert.deepEqual(closestPaths("kustomization", KNOWN, 2), [
      "kinds/kustomization",
      "crd/kustomization/v1",
    ]);
    assert.equal(closestPaths("concepts/helmrelease", KNOWN, 1)[0], "kinds/helmrelease");
  });
});
