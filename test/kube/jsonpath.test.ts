// kubectl's JSONPath dialect, as the `fields` projection and printer columns use it: each shape
// selects what `kubectl get -o jsonpath` selects on the same object.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { JsonPathQueries, JsonPathQuery, toJsonPathPlus } from "../../src/kube/jsonpath.ts";

const POD = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: {
    name: "cart-7d9f",
    namespace: "frontend",
    labels: { "app.kubernetes.io/name": "cart", tier: "web" },
    annotations: { "fluxcd.io/reconcile": "2026-12-04" },
  },
  spec: {
    containers: [
      { name: "cart", image: "ghcr.io/acme/cart:1.2.0" },
      { name: "proxy", image: "envoyproxy/envoy:v1.31" },
    ],
  },
  status: {
    conditions: [
      { type: "PodScheduled", status: "True", observedGeneration: 1 },
      { type: "Ready", status: "False", reason: "ContainersNotReady", message: "containers not ready" },
    ],
    // One container running (no `waiting`), one crash-looping: a filter through `state.waiting`
    // must skip the first, not fail the query.
    containerStatuses: [
      { name: "proxy", state: { running: { startedAt: "2026-12-04T20:00:00Z" } } },
      { name: "cart", state: { waiting: { reason: "CrashLoopBackOff" } } },
    ],
  },
};

const CASES: [path: string, expected: unknown[]][] = [
  [".metadata.name", ["cart-7d9f"]],
  ["{.metadata.namespace}", ["frontend"]],
  ["metadata.name", ["cart-7d9f"]],
  ["$.metadata.name", ["cart-7d9f"]],
  [".metadata.labels.app\\.kubernetes\\.io/name", ["cart"]],
  [".metadata.annotations.fluxcd\\.io/reconcile", ["2026-12-04"]],
  [".metadata.labels.*", ["cart", "web"]],
  [".spec.containers[*].image", ["ghcr.io/acme/cart:1.2.0", "envoyproxy/envoy:v1.31"]],
  [".spec.containers[1].name", ["proxy"]],
  [".spec.containers[5].name", []],
  ['.status.conditions[?(@.type=="Ready")].status', ["False"]],
  [".status.conditions[?(@.type=='Ready')].reason", ["ContainersNotReady"]],
  ['.status.conditions[?(@.status!="True")].type', ["Ready"]],
  [".status.conditions[?(@.observedGeneration>0)].type", ["PodScheduled"]],
  [".status.conditions[-1:].type", ["Ready"]],
  ['.status.containerStatuses[?(@.state.waiting.reason=="CrashLoopBackOff")].name', ["cart"]],
  ["..image", ["ghcr.io/acme/cart:1.2.0", "envoyproxy/envoy:v1.31"]],
  [".missing.field", []],
  [".spec.containers[", []],
];

describe("kubectl JSONPath", () => {
  for (const [path, expected] of CASES) {
    it(`selects ${JSON.stringify(expected)} for ${path}`, () => {
      assert.deepEqual(new JsonPathQuery(path).find(POD), expected);
    });
  }

  it("runs one query on many documents", () => {
    const query = new JsonPathQuery('.status.conditions[?(@.type=="Ready")].status');
    const ready = { status: { conditions: [{ type: "Ready", status: "True" }] } };
    assert.deepEqual(
      [POD, ready, {}, null].map((document) => query.find(document)),
      [["False"], ["True"], [], []],
    );
  });

  it("runs paths that share a filter as each path alone selects", () => {
    const paths = [
      '.status.conditions[?(@.type=="Ready")].status',
      '.status.conditions[?(@.type=="Ready")].message',
      '.status.conditions[?(@.type=="Ready")].message.length',
      '.status.conditions[?(@.type=="Ready")].value',
      '.status.conditions[?(@.type=="Ready")]',
      ".status.conditions[?(@.status!='True')].type",
      '.status.conditions[?(@.status!="True")].type',
      ".status.conditions[?(@.status!='True')].reason",
      ".spec.containers[*].image",
      ".metadata.name",
      ".spec.containers[",
    ];
    const documents = [
      POD,
      // Several conditions pass the filter, one twice over; values that are falsy or not objects.
      {
        status: {
          conditions: [
            { type: "Ready", status: "False", message: "first", value: 0 },
            { type: "Ready", status: "True", message: "", value: false },
            "Ready",
            null,
            { type: "Ready", message: { nested: ["x"] } },
          ],
        },
      },
      { status: { conditions: [] } },
      { status: { conditions: { a: { type: "Ready", status: "True" } } } },
      {},
      null,
      "text",
    ];
    const queries = new JsonPathQueries(paths);
    for (const document of documents) {
      assert.deepEqual(
        queries.find(document),
        paths.map((path) => new JsonPathQuery(path).find(document)),
        JSON.stringify(document),
      );
    }
  });

  it("rewrites kubectl paths into jsonpath-plus paths", () => {
    assert.equal(
      toJsonPathPlus("{.metadata.labels.app\\.kubernetes\\.io/name}"),
      '$.metadata.labels["app.kubernetes.io/name"]',
    );
    assert.equal(
      toJsonPathPlus('.status.conditions[?(@.type=="Ready")]'),
      '$.status.conditions[?(@.type=="Ready")]',
    );
    assert.throws(() => toJsonPathPlus(".spec.containers["), /unclosed \[/);
  });
});
