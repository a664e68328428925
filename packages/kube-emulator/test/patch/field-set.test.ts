import { test } from "node:test";
import assert from "node:assert/strict";
import {
  formatFieldPath,
  fromFieldsV1,
  keyElement,
  pathKey,
  toFieldsV1,
  valueElement,
} from "../../src/patch/field-set.ts";

const fieldsV1 = {
  "f:metadata": { "f:finalizers": { ".": {}, 'v:"keep"': {} }, "f:labels": { "f:app": {} } },
  "f:spec": {
    "f:containers": {
      'k:{"name":"web"}': {
        ".": {},
        "f:ports": { 'k:{"containerPort":80,"protocol":"TCP"}': { ".": {}, "f:containerPort": {} } },
      },
    },
  },
};

test("fieldsV1 decodes to member paths and encodes back identically", () => {
  const set = fromFieldsV1(fieldsV1);
  assert.deepEqual(
    [...set].sort(),
    [
      ["f:metadata", "f:finalizers"],
      ["f:metadata", "f:finalizers", 'v:"keep"'],
      ["f:metadata", "f:labels", "f:app"],
      ["f:spec", "f:containers", 'k:{"name":"web"}'],
      ["f:spec", "f:containers", 'k:{"name":"web"}', "f:ports", 'k:{"containerPort":80,"protocol":"TCP"}'],
      [
        "f:spec",
        "f:containers",
        'k:{"name":"web"}',
        "f:ports",
        'k:{"containerPort":80,"protocol":"TCP"}',
        "f:containerPort",
      ],
    ]
      .map(pathKey)
      .sort(),
  );
  assert.deepEqual(toFieldsV1(set), fieldsV1);
  assert.deepEqual(JSON.stringify(toFieldsV1(set)), JSON.stringify(fieldsV1));
});

test("paths print the way kube-apiserver prints them in conflicts", () => {
  const port = keyElement({ protocol: "TCP", containerPort: 80 });
  assert.equal(port, 'k:{"containerPort":80,"protocol":"TCP"}');
  assert.equal(
    formatFieldPath([
      "f:spec",
      "f:template",
      "f:spec",
      "f:containers",
      keyElement({ name: "web" }),
      "f:ports",
      port,
    ]),
    '.spec.template.spec.containers[name="web"].ports[containerPort=80,protocol="TCP"]',
  );
  assert.equal(
    formatFieldPath(["f:metadata", "f:finalizers", valueElement("keep")]),
    '.metadata.finalizers[="keep"]',
  );
});
