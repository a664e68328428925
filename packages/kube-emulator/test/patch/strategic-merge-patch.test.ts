import { test } from "node:test";
import assert from "node:assert/strict";
import {
  applyStrategicMergePatch,
  isStrategicMergeSupported,
} from "../../src/patch/strategic-merge-patch.ts";
import { PatchError } from "../../src/patch/patch-error.ts";

function deployment() {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", finalizers: ["a", "b"] },
    spec: {
      replicas: 1,
      template: {
        spec: {
          containers: [
            {
              name: "web",
              image: "nginx:1",
              env: [
                { name: "MODE", value: "prod" },
                { name: "DEBUG", value: "0" },
              ],
              ports: [{ containerPort: 80, name: "http" }],
            },
            { name: "sidecar", image: "envoy:1" },
          ],
          tolerations: [{ key: "a", operator: "Exists" }],
        },
      },
    },
  };
}

/** The pod spec of the deployment above with `containers` replaced. */
function withContainers(containers: unknown[], extra: object = {}) {
  const expected = deployment();
  return {
    ...expected,
    spec: { ...expected.spec, template: { spec: { ...expected.spec.template.spec, containers, ...extra } } },
  };
}

test("containers merge by name and env by name; other items stay", () => {
  const patch = {
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: "web",
              image: "nginx:2",
              env: [
                { name: "DEBUG", value: "1" },
                { name: "NEW", value: "x" },
              ],
            },
            { name: "log", image: "fluent-bit:3" },
          ],
        },
      },
    },
  };
  assert.deepEqual(
    applyStrategicMergePatch(deployment(), patch),
    withContainers([
      {
        name: "web",
        image: "nginx:2",
        env: [
          { name: "MODE", value: "prod" },
          { name: "DEBUG", value: "1" },
          { name: "NEW", value: "x" },
        ],
        ports: [{ containerPort: 80, name: "http" }],
      },
      { name: "sidecar", image: "envoy:1" },
      { name: "log", image: "fluent-bit:3" },
    ]),
  );
});

test("container ports merge on containerPort, unkeyed lists such as tolerations are replaced", () => {
  const patch = {
    spec: {
      template: {
        spec: {
          containers: [
            { name: "web", ports: [{ containerPort: 80, protocol: "TCP" }, { containerPort: 9090 }] },
          ],
          tolerations: [{ key: "b", operator: "Exists" }],
        },
      },
    },
  };
  const expected = withContainers(
    [
      {
        ...deployment().spec.template.spec.containers[0],
        ports: [{ containerPort: 80, name: "http", protocol: "TCP" }, { containerPort: 9090 }],
      },
      { name: "sidecar", image: "envoy:1" },
    ],
    { tolerations: [{ key: "b", operator: "Exists" }] },
  );
  assert.deepEqual(applyStrategicMergePatch(deployment(), patch), expected);
});

test("service ports merge on port", () => {
  const service = {
    spec: {
      ports: [
        { port: 80, targetPort: 8080 },
        { port: 443, targetPort: 8443 },
      ],
    },
  };
  assert.deepEqual(
    applyStrategicMergePatch(service, { spec: { ports: [{ port: 443, targetPort: 9443 }] } }),
    {
      spec: {
        ports: [
          { port: 80, targetPort: 8080 },
          { port: 443, targetPort: 9443 },
        ],
      },
    },
  );
});

test("$patch: delete removes a list item, and null removes a field", () => {
  const patch = {
    spec: {
      replicas: null,
      template: {
        spec: {
          containers: [
            { name: "sidecar", $patch: "delete" },
            { name: "absent", $patch: "delete" },
          ],
        },
      },
    },
  };
  const expected = withContainers([deployment().spec.template.spec.containers[0]]);
  const { replicas: _replicas, ...specWithoutReplicas } = expected.spec;
  assert.deepEqual(applyStrategicMergePatch(deployment(), patch), { ...expected, spec: specWithoutReplicas });
});

test("$patch: delete in a map deletes the map; at the top it empties the object", () => {
  const target = { spec: { template: { metadata: { labels: { app: "web" } } }, replicas: 1 } };
  assert.deepEqual(
    applyStrategicMergePatch(target, { spec: { template: { metadata: { $patch: "delete" } } } }),
    {
      spec: { template: {}, replicas: 1 },
    },
  );
  assert.deepEqual(applyStrategicMergePatch(target, { $patch: "delete" }), {});
});

test("$patch: replace replaces a map, or a whole list when it is a list item", () => {
  const target = { metadata: { labels: { app: "web", tier: "front" } }, spec: { list: [{ name: "a" }] } };
  assert.deepEqual(
    applyStrategicMergePatch(target, { metadata: { labels: { $patch: "replace", only: "this" } } }),
    {
      metadata: { labels: { only: "this" } },
      spec: { list: [{ name: "a" }] },
    },
  );
  const replacedContainers = applyStrategicMergePatch(deployment(), {
    spec: { template: { spec: { containers: [{ $patch: "replace" }, { name: "solo", image: "busybox" }] } } },
  });
  assert.deepEqual(replacedContainers, withContainers([{ name: "solo", image: "busybox" }]));
});

test("finalizers merge as a set; $deleteFromPrimitiveList removes values", () => {
  const patch = { metadata: { finalizers: ["b", "c"], "$deleteFromPrimitiveList/finalizers": ["a"] } };
  const result = applyStrategicMergePatch(deployment(), patch) as ReturnType<typeof deployment>;
  assert.deepEqual(result.metadata, { name: "web", finalizers: ["b", "c"] });
});

test("$setElementOrder reorders the named items and leaves the others in place", () => {
  const target = {
    spec: { containers: [{ name: "a" }, { name: "server-only" }, { name: "b" }, { name: "c" }] },
  };
  const patch = {
    spec: {
      "$setElementOrder/containers": [{ name: "c" }, { name: "a" }, { name: "b" }],
      containers: [{ name: "c", image: "new" }],
    },
  };
  assert.deepEqual(applyStrategicMergePatch(target, patch), {
    spec: {
      containers: [{ name: "c", image: "new" }, { name: "server-only" }, { name: "a" }, { name: "b" }],
    },
  });
});

test("$retainKeys keeps only the listed keys", () => {
  const target = { spec: { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1 } } } };
  const patch = { spec: { strategy: { $retainKeys: ["type"], type: "Recreate" } } };
  assert.deepEqual(applyStrategicMergePatch(target, patch), { spec: { strategy: { type: "Recreate" } } });
  assert.throws(
    () => applyStrategicMergePatch(target, { spec: { strategy: { $retainKeys: ["type"], other: 1 } } }),
    (error: unknown) =>
      error instanceof PatchError &&
      error.code === 422 &&
      error.message === "patch content doesn't match retainKeys list",
  );
});

test("directives never reach the result, not even in new items or new maps", () => {
  const patch = {
    metadata: { labels: { $patch: "replace", app: "x" }, annotations: { $retainKeys: ["a"], a: "1" } },
    spec: {
      template: {
        spec: { containers: [{ name: "new", env: [{ name: "A", value: "1", $patch: "merge" }] }] },
      },
    },
  };
  const result = applyStrategicMergePatch({}, patch);
  assert.deepEqual(result, {
    metadata: { labels: { app: "x" }, annotations: { a: "1" } },
    spec: { template: { spec: { containers: [{ name: "new", env: [{ name: "A", value: "1" }] }] } } },
  });
});

test("a list item without its merge key is an error", () => {
  assert.throws(
    () =>
      applyStrategicMergePatch(deployment(), {
        spec: { template: { spec: { containers: [{ image: "x" }] } } },
      }),
    (error: unknown) =>
      error instanceof PatchError &&
      error.code === 500 &&
      error.message === 'map: {"image":"x"} does not contain declared merge key: name',
  );
});

test("strategic merge patch never mutates its inputs", () => {
  const target = deployment();
  const patch = { spec: { template: { spec: { containers: [{ name: "web", image: "nginx:9" }] } } } };
  const patchCopy = structuredClone(patch);
  applyStrategicMergePatch(target, patch);
  assert.deepEqual(target, deployment());
  assert.deepEqual(patch, patchCopy);
});

test("only built-in groups accept strategic merge patch", () => {
  for (const group of [
    "",
    "apps",
    "batch",
    "networking.k8s.io",
    "rbac.authorization.k8s.io",
    "apiextensions.k8s.io",
  ]) {
    assert.equal(isStrategicMergeSupported(group), true, group);
  }
  for (const group of [
    "kustomize.toolkit.fluxcd.io",
    "source.toolkit.fluxcd.io",
    "snapshot.storage.k8s.io",
  ]) {
    assert.equal(isStrategicMergeSupported(group), false, group);
  }
});
