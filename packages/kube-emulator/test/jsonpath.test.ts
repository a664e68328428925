import { test } from "node:test";
import assert from "node:assert/strict";
import { evaluateJsonPath } from "../src/jsonpath.ts";

const helmRelease = {
  metadata: { name: "podinfo", labels: { "app.kubernetes.io/name": "podinfo" } },
  spec: { chart: { spec: { version: "6.x" } }, suspend: false },
  status: {
    history: [{ chartVersion: "6.5.4" }, { chartVersion: "6.5.3" }, { chartVersion: "6.5.2" }],
    conditions: [
      { type: "Reconciling", status: "False", observedGeneration: 3 },
      { type: "Ready", status: "True", message: "Helm upgrade succeeded", observedGeneration: 4 },
    ],
  },
};

test("the printer-column paths of the Flux CRDs select what kube-apiserver selects", () => {
  const cases: [string, unknown[]][] = [
    ['.status.conditions[?(@.type=="Ready")].status', ["True"]],
    ['.status.conditions[?(@.type=="Ready")].message', ["Helm upgrade succeeded"]],
    [".spec.chart.spec.version", ["6.x"]],
    [".spec.suspend", [false]],
    ["{.metadata.name}", ["podinfo"]],
    [".metadata.labels.app\\.kubernetes\\.io/name", ["podinfo"]],
    ['.metadata.labels["app.kubernetes.io/name"]', ["podinfo"]],
    [".status.history[0].chartVersion", ["6.5.4"]],
    [".status.history[-1].chartVersion", ["6.5.2"]],
    [".status.history[0:2].chartVersion", ["6.5.4", "6.5.3"]],
    [".status.history[*].chartVersion", ["6.5.4", "6.5.3", "6.5.2"]],
    ["..chartVersion", ["6.5.4", "6.5.3", "6.5.2"]],
    [".status.conditions[?(@.observedGeneration>3)].type", ["Ready"]],
    [".status.conditions[?(@.message)].type", ["Ready"]],
    ['.status.conditions[?(@.type!="Ready")].type', ["Reconciling"]],
  ];
  for (const [path, expected] of cases) assert.deepEqual(evaluateJsonPath(helmRelease, path), expected, path);
});

test("missing keys and malformed paths select nothing", () => {
  assert.deepEqual(evaluateJsonPath(helmRelease, ".status.lastAppliedRevision"), []);
  assert.deepEqual(evaluateJsonPath(helmRelease, ".status.history[7]"), []);
  assert.deepEqual(evaluateJsonPath(helmRelease, ".spec.suspend.deeper"), []);
  assert.deepEqual(evaluateJsonPath(helmRelease, ".status.conditions[?(@.type=="), []);
  assert.deepEqual(evaluateJsonPath(helmRelease, ".status.history[a]"), []);
});
