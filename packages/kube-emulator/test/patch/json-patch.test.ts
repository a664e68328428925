import { test } from "node:test";
import assert from "node:assert/strict";
import { applyJsonPatch } from "../../src/patch/json-patch.ts";
import { INVALID_REQUEST_MESSAGE, PatchError } from "../../src/patch/patch-error.ts";

const deployment = {
  metadata: { name: "web", labels: { app: "web" } },
  spec: { replicas: 1, containers: [{ name: "web", image: "nginx:1" }] },
};

test("add sets object members, inserts at array indexes and appends with -", () => {
  const result = applyJsonPatch(deployment, [
    { op: "add", path: "/metadata/labels/tier", value: "front" },
    { op: "add", path: "/spec/containers/0", value: { name: "init" } },
    { op: "add", path: "/spec/containers/-", value: { name: "sidecar" } },
    { op: "add", path: "/spec/replicas", value: 2 },
  ]);
  assert.deepEqual(result, {
    metadata: { name: "web", labels: { app: "web", tier: "front" } },
    spec: {
      replicas: 2,
      containers: [{ name: "init" }, { name: "web", image: "nginx:1" }, { name: "sidecar" }],
    },
  });
});

test("remove, replace, move and copy", () => {
  const result = applyJsonPatch(deployment, [
    { op: "replace", path: "/spec/containers/0/image", value: "nginx:2" },
    { op: "copy", from: "/metadata/labels", path: "/spec/selector" },
    { op: "move", from: "/spec/replicas", path: "/spec/count" },
    { op: "remove", path: "/metadata/labels" },
  ]);
  assert.deepEqual(result, {
    metadata: { name: "web" },
    spec: { containers: [{ name: "web", image: "nginx:2" }], selector: { app: "web" }, count: 1 },
  });
});

test("test passes on equal values, whatever the key order, and the root can be replaced", () => {
  const result = applyJsonPatch({ a: { x: 1, y: [1, { z: 2 }] } }, [
    { op: "test", path: "/a", value: { y: [1, { z: 2 }], x: 1 } },
    { op: "test", path: "/missing", value: null },
    { op: "replace", path: "", value: { b: true } },
  ]);
  assert.deepEqual(result, { b: true });
});

test("pointers unescape ~1 to / and ~0 to ~", () => {
  const target = { metadata: { annotations: { "fluxcd.io/reconcile": "a", "x~y": "b" } } };
  const result = applyJsonPatch(target, [
    { op: "replace", path: "/metadata/annotations/fluxcd.io~1reconcile", value: "now" },
    { op: "remove", path: "/metadata/annotations/x~0y" },
  ]);
  assert.deepEqual(result, { metadata: { annotations: { "fluxcd.io/reconcile": "now" } } });
});

test("operations apply in order and a failure leaves the input untouched", () => {
  const target = structuredClone(deployment);
  assert.throws(() =>
    applyJsonPatch(target, [
      { op: "replace", path: "/spec/replicas", value: 5 },
      { op: "test", path: "/spec/replicas", value: 1 },
    ]),
  );
  assert.deepEqual(target, deployment);
});

/** Runs a patch expected to fail and returns the PatchError. */
function failure(target: unknown, operations: unknown): PatchError {
  try {
    applyJsonPatch(target, operations);
  } catch (error) {
    assert.ok(error instanceof PatchError);
    return error;
  }
  assert.fail("the patch applied");
}

test("failures carry kube-apiserver's wording and status code", () => {
  const missing = failure(deployment, [{ op: "replace", path: "/spec/foo", value: 1 }]);
  assert.equal(
    missing.message,
    'replace operation does not apply: doc is missing path: "/spec/foo": missing value',
  );
  assert.equal(missing.code, 422);
  assert.equal(missing.statusMessage, INVALID_REQUEST_MESSAGE);

  assert.equal(
    failure(deployment, [{ op: "remove", path: "/metadata/annotations" }]).message,
    'remove operation does not apply: doc is missing path: "/metadata/annotations": missing value',
  );
  assert.equal(
    failure(deployment, [{ op: "add", path: "/status/phase", value: "Running" }]).message,
    'add operation does not apply: doc is missing path: "/status/phase": missing value',
  );
  assert.equal(
    failure(deployment, [{ op: "test", path: "/spec/replicas", value: 3 }]).message,
    "testing value /spec/replicas failed: test failed",
  );
  assert.equal(
    failure(deployment, [{ op: "add", path: "/spec/containers/5", value: {} }]).message,
    "Unable to access invalid index: 5: invalid index referenced",
  );
  assert.equal(
    failure(deployment, [{ op: "move", from: "/spec/nothing", path: "/spec/x" }]).message,
    'move operation does not apply: doc is missing from path: "/spec/nothing": missing value',
  );
  assert.equal(
    failure(deployment, [{ op: "frobnicate", path: "/spec" }]).message,
    "Unexpected kind: frobnicate",
  );
  assert.equal(
    failure(deployment, [{ op: "add", path: "/spec/x" }]).message,
    "add operation, missing value field",
  );
});

test("a body that is not a list of operations is a 400 decode error", () => {
  const error = failure(deployment, { op: "add", path: "/a", value: 1 });
  assert.equal(error.code, 400);
  assert.equal(
    error.message,
    "error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp",
  );
  assert.equal(error.statusMessage, error.message);
  assert.equal(failure(deployment, ["add"]).code, 400);
});

test("a null patch is an empty list of operations", () => {
  assert.deepEqual(applyJsonPatch(deployment, null), deployment);
});

test("added values are copies: changing the result does not reach the patch", () => {
  const value = { name: "sidecar" };
  const result = applyJsonPatch({ list: [] }, [{ op: "add", path: "/list/-", value }]) as {
    list: { name: string }[];
  };
  assert.notEqual(result.list[0], value);
  assert.deepEqual(result, { list: [{ name: "sidecar" }] });
});
