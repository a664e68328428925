import { test } from "node:test";
import assert from "node:assert/strict";
import {
  BEFORE_FIRST_APPLY_MANAGER,
  conflictCauses,
  conflictMessage,
  recordUpdate,
  serverSideApply,
  type ApplyRequest,
  type ApplyResult,
  type FieldConflict,
} from "../../src/patch/server-side-apply.ts";
import { PatchError } from "../../src/patch/patch-error.ts";
import type { KubeObject } from "../../src/types.ts";

const T0 = "2026-03-01T10:00:00Z";
const T1 = "2026-03-01T10:05:00Z";
const T2 = "2026-03-01T10:10:00Z";

function deploymentConfig(
  options: { image?: string; replicas?: number; tier?: boolean; sidecar?: boolean } = {},
) {
  const containers: object[] = [{ name: "web", image: options.image ?? "nginx:1" }];
  if (options.sidecar) containers.push({ name: "log", image: "fluent-bit:3" });
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: "web",
      namespace: "apps",
      labels: { app: "web", ...(options.tier && { tier: "front" }) },
    },
    spec: {
      ...(options.replicas !== undefined && { replicas: options.replicas }),
      template: { spec: { containers } },
    },
  };
}

function apply(request: Partial<ApplyRequest> & Pick<ApplyRequest, "applied">): ApplyResult {
  return serverSideApply({
    live: undefined,
    manager: "kubectl",
    force: false,
    now: T0,
    apiVersion: request.applied.apiVersion,
    ...request,
  });
}

function applied(result: ApplyResult): KubeObject {
  if ("conflicts" in result) assert.fail(`unexpected conflicts: ${JSON.stringify(result.conflicts)}`);
  return result.object;
}

function conflicts(result: ApplyResult): FieldConflict[] {
  if (!("conflicts" in result)) assert.fail("expected conflicts");
  return result.conflicts;
}

/** A stored object: what the server adds on create. */
function stored(object: KubeObject): KubeObject {
  return { ...object, metadata: { ...object.metadata, uid: "uid-1", resourceVersion: "1", generation: 1 } };
}

const kubectlFields = (extra: { replicas?: boolean; tier?: boolean; log?: boolean } = {}) => ({
  "f:metadata": { "f:labels": { "f:app": {}, ...(extra.tier && { "f:tier": {} }) } },
  "f:spec": {
    ...(extra.replicas && { "f:replicas": {} }),
    "f:template": {
      "f:spec": {
        "f:containers": {
          'k:{"name":"web"}': { ".": {}, "f:image": {}, "f:name": {} },
          ...(extra.log && { 'k:{"name":"log"}': { ".": {}, "f:image": {}, "f:name": {} } }),
        },
      },
    },
  },
});

test("apply creates the object and records the applier's fields", () => {
  const object = applied(apply({ applied: deploymentConfig({ replicas: 2, tier: true }) }));
  assert.deepEqual(object, {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: "web",
      namespace: "apps",
      labels: { app: "web", tier: "front" },
      managedFields: [
        {
          manager: "kubectl",
          operation: "Apply",
          apiVersion: "apps/v1",
          time: T0,
          fieldsType: "FieldsV1",
          fieldsV1: kubectlFields({ replicas: true, tier: true }),
        },
      ],
    },
    spec: { replicas: 2, template: { spec: { containers: [{ name: "web", image: "nginx:1" }] } } },
  });
});

test("re-applying without a field removes it, and removed list items go too", () => {
  const first = stored(
    applied(apply({ applied: deploymentConfig({ replicas: 2, tier: true, sidecar: true }) })),
  );
  const second = applied(apply({ live: first, applied: deploymentConfig({ image: "nginx:2" }), now: T1 }));
  assert.deepEqual(second, {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: "web",
      namespace: "apps",
      labels: { app: "web" },
      uid: "uid-1",
      resourceVersion: "1",
      generation: 1,
      managedFields: [
        {
          manager: "kubectl",
          operation: "Apply",
          apiVersion: "apps/v1",
          time: T1,
          fieldsType: "FieldsV1",
          fieldsV1: kubectlFields(),
        },
      ],
    },
    spec: { template: { spec: { containers: [{ name: "web", image: "nginx:2" }] } } },
  });
});

test("fields the applier drops but someone else owns stay", () => {
  const first = stored(applied(apply({ applied: deploymentConfig({ replicas: 2 }) })));
  const scaled = applied(
    apply({ live: first, applied: { ...deploymentConfig(), spec: { replicas: 2 } }, manager: "hpa" }),
  );
  const second = applied(apply({ live: scaled, applied: deploymentConfig(), now: T1 }));
  assert.deepEqual(second.spec, {
    replicas: 2,
    template: { spec: { containers: [{ name: "web", image: "nginx:1" }] } },
  });
  assert.deepEqual(
    second.metadata.managedFields?.map((entry) => (entry as { manager: string }).manager),
    ["hpa", "kubectl"],
  );
});

test("two appliers setting the same value share the field without conflict", () => {
  const first = stored(applied(apply({ applied: deploymentConfig({ replicas: 3 }) })));
  const helm = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "apps" },
    spec: { replicas: 3 },
  };
  const shared = applied(apply({ live: first, applied: helm, manager: "helm", now: T1 }));
  assert.deepEqual(shared.metadata.managedFields, [
    {
      manager: "kubectl",
      operation: "Apply",
      apiVersion: "apps/v1",
      time: T0,
      fieldsType: "FieldsV1",
      fieldsV1: kubectlFields({ replicas: true }),
    },
    {
      manager: "helm",
      operation: "Apply",
      apiVersion: "apps/v1",
      time: T1,
      fieldsType: "FieldsV1",
      fieldsV1: { "f:spec": { "f:replicas": {} } },
    },
  ]);
  assert.equal(shared.spec && (shared.spec as { replicas: number }).replicas, 3);
});

test("a different value for another manager's field conflicts; force takes the field over", () => {
  const first = stored(applied(apply({ applied: deploymentConfig({ replicas: 3 }) })));
  const helm = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "apps" },
    spec: { replicas: 5 },
  };

  const refused = conflicts(apply({ live: first, applied: helm, manager: "helm", now: T1 }));
  assert.deepEqual(refused, [
    { manager: "kubectl", field: ".spec.replicas", operation: "Apply", apiVersion: "apps/v1" },
  ]);
  assert.equal(
    conflictMessage(refused, "apps/v1"),
    'Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas',
  );
  assert.deepEqual(conflictCauses(refused, "apps/v1"), [
    { type: "FieldManagerConflict", message: 'conflict with "kubectl"', field: ".spec.replicas" },
  ]);

  const forced = applied(apply({ live: first, applied: helm, manager: "helm", force: true, now: T1 }));
  assert.equal((forced.spec as { replicas: number }).replicas, 5);
  assert.deepEqual(forced.metadata.managedFields, [
    {
      manager: "kubectl",
      operation: "Apply",
      apiVersion: "apps/v1",
      time: T0,
      fieldsType: "FieldsV1",
      fieldsV1: kubectlFields(),
    },
    {
      manager: "helm",
      operation: "Apply",
      apiVersion: "apps/v1",
      time: T1,
      fieldsType: "FieldsV1",
      fieldsV1: { "f:spec": { "f:replicas": {} } },
    },
  ]);
});

test("conflicts with an updater name its apiVersion, keyed items show their key", () => {
  const created = recordUpdate({
    before: undefined,
    after: {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "apps" },
      spec: { replicas: 1, template: { spec: { containers: [{ name: "web", image: "nginx:1" }] } } },
    },
    manager: "kubectl-client-side-apply",
    now: T0,
    apiVersion: "apps/v1",
  });
  const refused = conflicts(
    apply({ live: created, applied: deploymentConfig({ replicas: 2, image: "nginx:2" }) }),
  );
  assert.deepEqual(
    refused.map((conflict) => conflict.field),
    [".spec.replicas", '.spec.template.spec.containers[name="web"].image'],
  );
  assert.equal(
    conflictMessage(refused, "apps/v1"),
    'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n' +
      "- .spec.replicas\n" +
      '- .spec.template.spec.containers[name="web"].image',
  );
});

test("conflicts with several managers are grouped by manager", () => {
  const message = conflictMessage(
    [
      {
        manager: "kube-controller-manager",
        field: ".spec.replicas",
        operation: "Update",
        apiVersion: "apps/v1",
      },
      { manager: "helm", field: ".metadata.labels.app", operation: "Apply" },
      { manager: "kube-controller-manager", field: ".spec.paused" },
    ],
    "apps/v1",
  );
  assert.equal(
    message,
    "Apply failed with 3 conflicts: " +
      'conflicts with "helm":\n' +
      "- .metadata.labels.app\n" +
      'conflicts with "kube-controller-manager" using apps/v1:\n' +
      "- .spec.replicas\n" +
      "- .spec.paused",
  );
});

test("applying to the status subresource applies and tracks only .status", () => {
  const live = stored(applied(apply({ applied: deploymentConfig({ replicas: 1 }) })));
  const status = {
    ...deploymentConfig({ replicas: 9 }),
    status: { readyReplicas: 1, conditions: [{ type: "Available", status: "True" }] },
  };
  const result = applied(
    apply({ live, applied: status, manager: "deployment-controller", subresource: "status", now: T1 }),
  );
  assert.equal((result.spec as { replicas: number }).replicas, 1);
  assert.deepEqual(result.status, { readyReplicas: 1, conditions: [{ type: "Available", status: "True" }] });
  assert.deepEqual(result.metadata.managedFields?.[1], {
    manager: "deployment-controller",
    operation: "Apply",
    apiVersion: "apps/v1",
    time: T1,
    fieldsType: "FieldsV1",
    fieldsV1: {
      "f:status": {
        "f:conditions": { 'k:{"type":"Available"}': { ".": {}, "f:status": {}, "f:type": {} } },
        "f:readyReplicas": {},
      },
    },
    subresource: "status",
  });
});

test("with ignoreStatus a main-resource apply leaves .status alone", () => {
  const live = { ...stored(applied(apply({ applied: deploymentConfig() }))), status: { readyReplicas: 1 } };
  const result = applied(
    apply({
      live,
      applied: { ...deploymentConfig(), status: { readyReplicas: 7 } },
      ignoreStatus: true,
      now: T1,
    }),
  );
  assert.deepEqual(result.status, { readyReplicas: 1 });
  assert.deepEqual((result.metadata.managedFields?.[0] as { fieldsV1: unknown }).fieldsV1, kubectlFields());
});

test("recordUpdate moves changed fields to the writer and drops emptied entries", () => {
  const live = stored(applied(apply({ applied: deploymentConfig({ replicas: 2 }) })));
  const scaled = recordUpdate({
    before: live,
    after: { ...live, spec: { ...(live.spec as object), replicas: 4 } },
    manager: "kubectl-scale",
    now: T1,
    apiVersion: "apps/v1",
  });
  assert.deepEqual(scaled.metadata.managedFields, [
    {
      manager: "kubectl",
      operation: "Apply",
      apiVersion: "apps/v1",
      time: T0,
      fieldsType: "FieldsV1",
      fieldsV1: kubectlFields(),
    },
    {
      manager: "kubectl-scale",
      operation: "Update",
      apiVersion: "apps/v1",
      time: T1,
      fieldsType: "FieldsV1",
      fieldsV1: { "f:spec": { "f:replicas": {} } },
    },
  ]);

  // The same writer again, changing the labels: new maps carry ".", removed fields leave everyone.
  const relabelled = recordUpdate({
    before: scaled,
    after: {
      ...scaled,
      metadata: { ...scaled.metadata, labels: {}, annotations: { note: "x" } },
      spec: { template: { spec: { containers: [{ name: "web", image: "nginx:1" }] } } },
    },
    manager: "kubectl-scale",
    now: T2,
    apiVersion: "apps/v1",
  });
  assert.deepEqual(relabelled.metadata.managedFields, [
    {
      manager: "kubectl",
      operation: "Apply",
      apiVersion: "apps/v1",
      time: T0,
      fieldsType: "FieldsV1",
      fieldsV1: {
        "f:spec": {
          "f:template": {
            "f:spec": { "f:containers": { 'k:{"name":"web"}': { ".": {}, "f:image": {}, "f:name": {} } } },
          },
        },
      },
    },
    {
      manager: "kubectl-scale",
      operation: "Update",
      apiVersion: "apps/v1",
      time: T2,
      fieldsType: "FieldsV1",
      fieldsV1: { "f:metadata": { "f:annotations": { ".": {}, "f:note": {} }, "f:labels": {} } },
    },
  ]);
});

test("recordUpdate on create owns everything; a no-op write keeps the entry's time", () => {
  const created = recordUpdate({
    before: undefined,
    after: {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "settings", namespace: "apps", uid: "u", finalizers: ["keep"] },
      data: { mode: "prod" },
    },
    manager: "kubectl-create",
    now: T0,
    apiVersion: "v1",
  });
  const entry = {
    manager: "kubectl-create",
    operation: "Update",
    apiVersion: "v1",
    time: T0,
    fieldsType: "FieldsV1",
    fieldsV1: {
      "f:data": { ".": {}, "f:mode": {} },
      "f:metadata": { "f:finalizers": { ".": {}, 'v:"keep"': {} } },
    },
  };
  assert.deepEqual(created.metadata.managedFields, [entry]);
  const unchanged = recordUpdate({
    before: created,
    after: created,
    manager: "kubectl-create",
    now: T1,
    apiVersion: "v1",
  });
  assert.deepEqual(unchanged.metadata.managedFields, [entry]);
});

test("recordUpdate on the status subresource tracks only .status and clears on [{}]", () => {
  const live: KubeObject = {
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    metadata: { name: "apps", namespace: "flux-system" },
    spec: { interval: "10m" },
  };
  const after = {
    ...live,
    spec: { interval: "1m" },
    status: { conditions: [{ type: "Ready", status: "True" }], lastAppliedRevision: "main@sha1:abc" },
  };
  const updated = recordUpdate({
    before: live,
    after,
    manager: "kustomize-controller",
    now: T0,
    subresource: "status",
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
  });
  assert.deepEqual(updated.metadata.managedFields, [
    {
      manager: "kustomize-controller",
      operation: "Update",
      apiVersion: "kustomize.toolkit.fluxcd.io/v1",
      time: T0,
      fieldsType: "FieldsV1",
      fieldsV1: {
        "f:status": {
          "f:conditions": { ".": {}, 'k:{"type":"Ready"}': { ".": {}, "f:status": {}, "f:type": {} } },
          "f:lastAppliedRevision": {},
        },
      },
      subresource: "status",
    },
  ]);
  const cleared = recordUpdate({
    before: updated,
    after: { ...updated, metadata: { ...updated.metadata, managedFields: [{}] } },
    manager: "kubectl-edit",
    now: T1,
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
  });
  assert.equal(Object.hasOwn(cleared.metadata, "managedFields"), false);
});

test("custom resources key lists of named objects by name, other lists are atomic", () => {
  const config: KubeObject = {
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    metadata: { name: "apps", namespace: "flux-system" },
    spec: {
      dependsOn: [{ name: "infra" }],
      patches: [{ patch: "- op: remove", target: { kind: "Deployment" } }],
      components: ["a", "b"],
    },
  };
  const object = applied(apply({ applied: config, manager: "flux" }));
  assert.deepEqual((object.metadata.managedFields?.[0] as { fieldsV1: unknown }).fieldsV1, {
    "f:spec": {
      "f:components": {},
      "f:dependsOn": { 'k:{"name":"infra"}': { ".": {}, "f:name": {} } },
      "f:patches": {},
    },
  });
});

test("the first apply to an object without managedFields conflicts with before-first-apply", () => {
  const unmanaged: KubeObject = stored({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "settings", namespace: "apps" },
    data: { mode: "prod", extra: "kept" },
  });
  const config = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "settings", namespace: "apps" },
    data: { mode: "dev" },
  };
  const refused = conflicts(apply({ live: unmanaged, applied: config }));
  assert.deepEqual(refused, [
    { manager: BEFORE_FIRST_APPLY_MANAGER, field: ".data.mode", operation: "Update", apiVersion: "v1" },
  ]);
  const forced = applied(apply({ live: unmanaged, applied: config, force: true }));
  assert.deepEqual(forced.data, { mode: "dev", extra: "kept" });
  assert.deepEqual(
    forced.metadata.managedFields?.map((entry) => (entry as { manager: string; fieldsV1: unknown }).fieldsV1),
    [{ "f:data": { "f:mode": {} } }, { "f:data": { "f:extra": {} } }],
  );
});

test("apply keeps live-only list items in place and rejects managedFields in the config", () => {
  const live = stored(applied(apply({ applied: deploymentConfig({ sidecar: true }) })));
  const withInjected = recordUpdate({
    before: live,
    after: {
      ...live,
      spec: {
        template: {
          spec: {
            containers: [
              { name: "istio-proxy", image: "proxy" },
              { name: "web", image: "nginx:1" },
              { name: "log", image: "fluent-bit:3" },
            ],
          },
        },
      },
    },
    manager: "istio",
    now: T1,
    apiVersion: "apps/v1",
  });
  const result = applied(
    apply({ live: withInjected, applied: deploymentConfig({ image: "nginx:2" }), now: T2 }),
  );
  assert.deepEqual(result.spec, {
    template: {
      spec: {
        containers: [
          { name: "istio-proxy", image: "proxy" },
          { name: "web", image: "nginx:2" },
        ],
      },
    },
  });
  assert.throws(
    () =>
      apply({
        applied: { ...deploymentConfig(), metadata: { name: "web", managedFields: [{ manager: "x" }] } },
      }),
    (error: unknown) =>
      error instanceof PatchError &&
      error.code === 400 &&
      error.message === "metadata.managedFields must be nil",
  );
});

test("server-side apply never mutates its inputs", () => {
  const live = stored(applied(apply({ applied: deploymentConfig({ replicas: 1, sidecar: true }) })));
  const liveCopy = structuredClone(live);
  const config = deploymentConfig({ replicas: 2 });
  const configCopy = structuredClone(config);
  applied(apply({ live, applied: config, now: T1 }));
  assert.deepEqual(live, liveCopy);
  assert.deepEqual(config, configCopy);
});
