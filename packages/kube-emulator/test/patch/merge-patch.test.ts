import { test } from "node:test";
import assert from "node:assert/strict";
import { applyMergePatch } from "../../src/patch/merge-patch.ts";

test("merge patch replaces scalars, adds fields and deletes fields set to null", () => {
  const target = { title: "Goodbye!", author: { givenName: "John", familyName: "Doe" }, tags: ["a", "b"] };
  const patch = {
    title: "Hello!",
    phoneNumber: "+01-123-456-7890",
    author: { familyName: null },
    tags: ["c"],
  };
  assert.deepEqual(applyMergePatch(target, patch), {
    title: "Hello!",
    author: { givenName: "John" },
    tags: ["c"],
    phoneNumber: "+01-123-456-7890",
  });
});

test("merge patch replaces arrays wholesale, nulls inside them included", () => {
  assert.deepEqual(applyMergePatch({ a: [1, 2, 3] }, { a: [{ b: null }] }), { a: [{ b: null }] });
});

test("a patch that is not an object replaces the target", () => {
  assert.deepEqual(applyMergePatch({ a: "b" }, ["c"]), ["c"]);
  assert.equal(applyMergePatch({ a: "b" }, null), null);
  assert.equal(applyMergePatch({ a: "b" }, "text"), "text");
});

test("an object patch turns a non-object target into an object and drops its own nulls", () => {
  assert.deepEqual(applyMergePatch("text", { a: { b: null, c: 1 } }), { a: { c: 1 } });
  assert.deepEqual(applyMergePatch({ a: 1 }, { a: { nested: { gone: null } } }), { a: { nested: {} } });
});

test("merge patch deletes a whole map and leaves absent keys alone", () => {
  const target = { metadata: { labels: { app: "web" }, annotations: { note: "x" } } };
  assert.deepEqual(applyMergePatch(target, { metadata: { labels: null } }), {
    metadata: { annotations: { note: "x" } },
  });
});

test("merge patch never mutates its inputs", () => {
  const target = { spec: { replicas: 1, template: { labels: { app: "web" } } } };
  const patch = { spec: { replicas: 3, template: { labels: { tier: "front" } } } };
  const targetCopy = structuredClone(target);
  const patchCopy = structuredClone(patch);
  const result = applyMergePatch(target, patch) as typeof target;
  assert.deepEqual(target, targetCopy);
  assert.deepEqual(patch, patchCopy);
  assert.notEqual(result.spec.template, target.spec.template);
  assert.deepEqual(result, { spec: { replicas: 3, template: { labels: { app: "web", tier: "front" } } } });
});
