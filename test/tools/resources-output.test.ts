import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../src/kube/types.ts";
import { decodeHelmRelease, manifestObjects } from "../../src/kube/helm-release.ts";
import { groupManagedObjects, inventoryObjects, parseInventoryId } from "../../src/flux/inventory.ts";
import { viewObject } from "../../src/format/object-view.ts";
import { columnLabels, invalidFieldExpression, ProjectionTable } from "../../src/format/projection.ts";
import { helmStorageSecret } from "../helpers/tools.ts";

// blockOwnerDeletion is part of real owner references, though KubeObject does not name it.
const namespaceOwner = {
  apiVersion: "v1",
  kind: "Namespace",
  name: "frontend",
  uid: "9c1e",
  controller: true,
  blockOwnerDeletion: true,
};

const release: KubeObject = {
  apiVersion: "helm.toolkit.fluxcd.io/v2",
  kind: "HelmRelease",
  metadata: {
    name: "podinfo",
    namespace: "frontend",
    uid: "0b7f",
    resourceVersion: "42",
    generation: 3,
    labels: { "app.kubernetes.io/name": "podinfo" },
    ownerReferences: [namespaceOwner],
  },
  spec: { interval: "30m", suspend: false },
  status: {
    conditions: [
      { type: "Ready", status: "False", reason: "UpgradeFailed", message: "boom" },
      { type: "Released", status: "False", reason: "UpgradeFailed", message: "boom" },
    ],
  },
};

describe("viewObject", () => {
  it("drops the identifiers only the API server needs and keeps generation", () => {
    const viewed = viewObject(release);
    assert.deepEqual(viewed.metadata, {
      name: "podinfo",
      namespace: "frontend",
      generation: 3,
      labels: { "app.kubernetes.io/name": "podinfo" },
      ownerReferences: [{ apiVersion: "v1", kind: "Namespace", name: "frontend", controller: true }],
    });
    assert.equal(release.metadata.uid, "0b7f", "the input is not changed");
  });
});

describe("fields projection", () => {
  it("writes the kind and the columns once, then one tab-separated row per object", () => {
    const fields = [
      '{.status.conditions[?(@.type=="Ready")].reason}',
      "spec.suspend",
      ".status.conditions[*].type",
      ".nope",
      ".status.conditions[0]",
    ];
    assert.equal(invalidFieldExpression(fields), undefined);
    const kind = { apiVersion: "helm.toolkit.fluxcd.io/v2", kind: "HelmRelease", namespaced: true };
    const table = new ProjectionTable(kind, fields);
    table.add([release, release]);
    const [title, header, ...rows] = table.toString().trimEnd().split("\n");
    assert.equal(
      title,
      "# HelmRelease (helm.toolkit.fluxcd.io/v2), 2 rows; tab-separated, - where a field selects nothing",
    );
    assert.deepEqual(header?.split("\t"), [
      "NAMESPACE",
      "NAME",
      "Ready.reason",
      "spec.suspend",
      "status.conditions[*].type",
      "nope",
      "status.conditions[0]",
    ]);
    assert.equal(rows.length, 2);
    assert.deepEqual(rows[0]?.split("\t"), [
      "frontend",
      "podinfo",
      "UpgradeFailed",
      "false",
      '["Ready","Released"]',
      "-",
      JSON.stringify((release.status as { conditions: unknown[] }).conditions[0]),
    ]);
  });

  it("quotes a text cell only when it could be misread", () => {
    const kind = { apiVersion: "v1", kind: "ConfigMap", namespaced: false };
    const table = new ProjectionTable(kind, [".data.a", ".data.b", ".data.c", ".data.d", ".data.e"]);
    table.add([
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "c" },
        data: { a: "plain words: ok", b: "-", c: "two\tcells", d: "", e: '"x"' },
      },
    ]);
    const row = table.toString().trimEnd().split("\n").at(-1);
    assert.equal(row, ["c", "plain words: ok", '"-"', '"two\\tcells"', '""', '"\\"x\\""'].join("\t"));
  });

  it("labels columns shortly unless two labels would read the same", () => {
    assert.deepEqual(
      columnLabels([
        '.status.conditions[?(@.type=="Ready")].status',
        '.status.conditions[?(@.status=="False")].message',
      ]),
      ["Ready.status", "status.conditions[status==False].message"],
    );
    assert.deepEqual(columnLabels([".spec.x", "{.spec.x}"]), [".spec.x", "{.spec.x}"]);
  });

  it("refuses expressions it cannot read, naming them", () => {
    assert.match(invalidFieldExpression([".status[0"]) ?? "", /invalid fields expression "\.status\[0"/);
    assert.match(invalidFieldExpression(["{.a}{.b}"]) ?? "", /one JSONPath per entry/);
    assert.match(invalidFieldExpression(["{}"]) ?? "", /invalid fields expression/);
  });
});

describe("inventory ids", () => {
  it("reads Flux's <namespace>_<name>_<group>_<kind>", () => {
    assert.deepEqual(parseInventoryId("frontend_podinfo_apps_Deployment"), {
      apiVersion: "apps",
      kind: "Deployment",
      namespace: "frontend",
      name: "podinfo",
    });
    assert.deepEqual(parseInventoryId("frontend_podinfo__Service"), {
      apiVersion: "",
      kind: "Service",
      namespace: "frontend",
      name: "podinfo",
    });
    assert.deepEqual(parseInventoryId("_system__metrics-server_rbac.authorization.k8s.io_ClusterRole"), {
      apiVersion: "rbac.authorization.k8s.io",
      kind: "ClusterRole",
      name: "system:metrics-server",
    });
    assert.equal(parseInventoryId("garbage"), undefined);
  });

  it("groups objects by apiVersion and kind", () => {
    const object = {
      ...release,
      status: {
        inventory: {
          entries: [
            { id: "frontend_podinfo_apps_Deployment", v: "v1" },
            { id: "frontend_podinfo__Service", v: "v1" },
            { id: "frontend_cart_apps_Deployment", v: "v1" },
            { id: "_frontend__Namespace", v: "v1" },
          ],
        },
      },
    };
    assert.deepEqual(groupManagedObjects(inventoryObjects(object) ?? []), {
      "apps/v1 Deployment": ["frontend/podinfo", "frontend/cart"],
      "v1 Service": ["frontend/podinfo"],
      "v1 Namespace": ["frontend"],
    });
    assert.equal(inventoryObjects(release), undefined);
  });
});

describe("Helm storage", () => {
  it("decodes a release Secret down to the objects of its manifest", () => {
    const manifest = [
      "---\n# Source: podinfo/templates/service.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: podinfo\n",
      "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: podinfo\n  namespace: frontend\n",
      "---\n# an empty document\n",
    ].join("");
    const secret = helmStorageSecret({ name: "podinfo", namespace: "frontend", version: 9, manifest });
    const decoded = decodeHelmRelease(secret);
    assert.equal(decoded.namespace, "frontend");
    assert.deepEqual(manifestObjects(decoded.manifest), [
      { apiVersion: "v1", kind: "Service", name: "podinfo" },
      { apiVersion: "apps/v1", kind: "Deployment", namespace: "frontend", name: "podinfo" },
    ]);
  });

  it("says what is wrong with a Secret that holds no release", () => {
    const empty: KubeObject = { apiVersion: "v1", kind: "Secret", metadata: { name: "x" }, data: {} };
    assert.throws(() => decodeHelmRelease(empty), /no data.release/);
  });
});
