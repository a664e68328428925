// Names become path segments and field selector values only after they are checked and encoded.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fieldSelectorValue, pathSegment } from "../../src/kube/request-parts.ts";
import { closeNames } from "../../src/kube/suggestions.ts";
import { KubeError } from "../../src/kube/types.ts";

function refused(value: string, cause: RegExp): void {
  for (const build of [() => pathSegment(value, "pod name"), () => fieldSelectorValue(value, "pod name")]) {
    assert.throws(build, (error) => {
      assert.ok(error instanceof KubeError);
      assert.equal(error.reason, "BadRequest");
      assert.match(error.message, /^invalid pod name "/);
      assert.match(error.message, cause);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    });
  }
}

test("names that cannot be a path segment get a one-line error naming the cause", () => {
  refused("podinfo\ud800", /lone UTF-16 surrogate/);
  refused("two words", /spaces, line breaks or control characters/);
  refused("line\nbreak", /spaces, line breaks or control characters/);
  refused("nul\u0000", /control characters/);
  refused("..", /not a name/);
  refused("../../api/v1/secrets", /cannot contain \/ or %/);
  refused("%2e%2e", /cannot contain \/ or %/);
  refused("", /empty/);
  refused("n".repeat(254), /at most 253 characters/);
});

test("the error quotes a short prefix of a long name, not all of it", () => {
  assert.throws(
    () => pathSegment(`${"x".repeat(100_000)} `, "name"),
    (error: Error) => error.message.length < 300 && /… \(100001 characters\)/.test(error.message),
  );
});

test("what passes is encoded: nothing in a name adds a query or a path", () => {
  assert.equal(pathSegment("x?labelSelector=a", "name"), "x%3FlabelSelector%3Da");
  assert.equal(pathSegment("system:controller:podinfo", "name"), "system%3Acontroller%3Apodinfo");
  assert.equal(fieldSelectorValue("a,metadata.namespace=b"), "a\\,metadata.namespace\\=b");
});

test("suggestions only for inputs that could be a kind name", () => {
  const known = ["Kustomization", "kustomizations", "ks", "HelmRelease", "helmreleases", "hr"];
  assert.deepEqual(closeNames("Kustomizaton", known).slice(0, 1), ["Kustomization"]);
  assert.deepEqual(closeNames("K".repeat(1_000_000), known), []);
  assert.deepEqual(closeNames("Kustomization!", known), []);
});
