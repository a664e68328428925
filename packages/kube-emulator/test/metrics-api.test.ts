import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { nodeMetrics, nodeMetricsList, podMetrics, podMetricsList } from "../src/metrics-api.ts";
import { parseLabelSelector } from "../src/selectors.ts";
import type { KubeObject } from "../src/types.ts";

function podObject(namespace: string, name: string, labels?: Record<string, string>): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { namespace, name, creationTimestamp: "2026-08-20T08:00:00Z", ...(labels && { labels }) },
  };
}

function podMetricsDocument(namespace: string, name: string, cpu: string): KubeObject {
  return {
    apiVersion: "metrics.k8s.io/v1beta1",
    kind: "PodMetrics",
    // Whatever metadata the document carries is replaced by the pod's.
    metadata: { namespace, name, labels: { stale: "true" }, creationTimestamp: "2020-01-01T00:00:00Z" },
    timestamp: "2026-08-20T09:59:50Z",
    window: "10.5s",
    containers: [{ name: "manager", usage: { cpu, memory: "41232Ki" } }],
  };
}

const pods = [
  podObject("flux-system", "source-controller-1", { app: "source-controller" }),
  podObject("flux-system", "kustomize-controller-1", { app: "kustomize-controller" }),
  podObject("kube-system", "coredns-1", { "k8s-app": "kube-dns" }),
  podObject("default", "unlabelled"),
];
const findPod = (namespace: string, name: string) =>
  pods.find((pod) => pod.metadata.namespace === namespace && pod.metadata.name === name);

const documents = [
  podMetricsDocument("flux-system", "source-controller-1", "2m"),
  podMetricsDocument("kube-system", "coredns-1", "3m"),
  podMetricsDocument("flux-system", "kustomize-controller-1", "5m"),
  podMetricsDocument("flux-system", "deleted-pod", "9m"),
  podMetricsDocument("default", "unlabelled", "1m"),
];

const itemNames = (list: KubeObject) =>
  (list.items as { metadata: { namespace?: string; name?: string } }[]).map(
    ({ metadata }) => `${metadata.namespace ?? ""}/${metadata.name}`,
  );

describe("podMetricsList", () => {
  test("a PodMetricsList of one namespace, only for pods that exist, sorted", () => {
    const list = podMetricsList(documents, "flux-system", undefined, findPod);
    assert.equal(list.apiVersion, "metrics.k8s.io/v1beta1");
    assert.equal(list.kind, "PodMetricsList");
    assert.deepEqual(list.metadata, {});
    assert.deepEqual(itemNames(list), [
      "flux-system/kustomize-controller-1",
      "flux-system/source-controller-1",
    ]);
  });

  test("all namespaces when none is given", () => {
    assert.deepEqual(itemNames(podMetricsList(documents, undefined, undefined, findPod)), [
      "default/unlabelled",
      "flux-system/kustomize-controller-1",
      "flux-system/source-controller-1",
      "kube-system/coredns-1",
    ]);
  });

  test("the label selector is matched against the pod's labels, not the document's", () => {
    const selector = parseLabelSelector("app in (source-controller)");
    assert.deepEqual(itemNames(podMetricsList(documents, undefined, selector, findPod)), [
      "flux-system/source-controller-1",
    ]);
    assert.deepEqual(
      itemNames(podMetricsList(documents, undefined, parseLabelSelector("stale"), findPod)),
      [],
    );
    assert.deepEqual(itemNames(podMetricsList(documents, undefined, parseLabelSelector("!app"), findPod)), [
      "default/unlabelled",
      "kube-system/coredns-1",
    ]);
  });

  test("items carry the pod's metadata and the document's timestamp, window and usage", () => {
    const [item] = podMetricsList(documents, "kube-system", undefined, findPod).items as unknown[];
    assert.deepEqual(item, {
      metadata: {
        name: "coredns-1",
        namespace: "kube-system",
        creationTimestamp: "2026-08-20T08:00:00Z",
        labels: { "k8s-app": "kube-dns" },
      },
      timestamp: "2026-08-20T09:59:50Z",
      window: "10.5s",
      containers: [{ name: "manager", usage: { cpu: "3m", memory: "41232Ki" } }],
    });
    const [unlabelled] = podMetricsList(documents, "default", undefined, findPod).items as KubeObject[];
    assert.equal(unlabelled !== undefined && "labels" in unlabelled.metadata, false);
  });

  test("a single PodMetrics object has its apiVersion and kind", () => {
    const single = podMetrics(documents[0] as KubeObject, pods[0] as KubeObject);
    assert.equal(single.apiVersion, "metrics.k8s.io/v1beta1");
    assert.equal(single.kind, "PodMetrics");
    assert.deepEqual(single.metadata.labels, { app: "source-controller" });
  });
});

describe("nodeMetricsList", () => {
  const nodes: KubeObject[] = [
    {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "node-1", creationTimestamp: "2026-08-01T00:00:00Z", labels: { role: "worker" } },
    },
    { apiVersion: "v1", kind: "Node", metadata: { name: "cp-1", labels: { role: "control-plane" } } },
  ];
  const findNode = (name: string) => nodes.find((node) => node.metadata.name === name);
  const nodeDocument = (name: string): KubeObject => ({
    apiVersion: "metrics.k8s.io/v1beta1",
    kind: "NodeMetrics",
    metadata: { name },
    timestamp: "2026-08-20T09:59:45Z",
    window: "20.05s",
    usage: { cpu: "250m", memory: "2Gi" },
  });
  const nodeDocuments = [nodeDocument("node-1"), nodeDocument("gone"), nodeDocument("cp-1")];

  test("metrics of existing nodes, filtered by the node's labels", () => {
    const all = nodeMetricsList(nodeDocuments, undefined, findNode);
    assert.equal(all.kind, "NodeMetricsList");
    assert.deepEqual(itemNames(all), ["/cp-1", "/node-1"]);
    assert.deepEqual(itemNames(nodeMetricsList(nodeDocuments, parseLabelSelector("role=worker"), findNode)), [
      "/node-1",
    ]);
  });

  test("items carry the node's metadata and the document's usage", () => {
    const [item] = nodeMetricsList(nodeDocuments, parseLabelSelector("role=worker"), findNode)
      .items as unknown[];
    assert.deepEqual(item, {
      metadata: { name: "node-1", creationTimestamp: "2026-08-01T00:00:00Z", labels: { role: "worker" } },
      timestamp: "2026-08-20T09:59:45Z",
      window: "20.05s",
      usage: { cpu: "250m", memory: "2Gi" },
    });
    assert.equal(nodeMetrics(nodeDocument("cp-1"), nodes[1] as KubeObject).kind, "NodeMetrics");
  });
});
