// The metrics.k8s.io/v1beta1 view over stored PodMetrics/NodeMetrics documents, answering the way
// metrics-server does: only metrics of pods/nodes that exist, selectors applied to the pod's or
// node's own labels, and each item's metadata (name, namespace, labels, creationTimestamp) taken
// from the pod or node. `timestamp`, `window` and the usage figures are kept from the document.
import type { ObjectPredicate } from "./selectors.ts";
import type { KubeObject, ObjectMeta } from "./types.ts";

const API_VERSION = "metrics.k8s.io/v1beta1";

/** `namespace` undefined (or "") lists all namespaces; `selector` is matched against the pod. */
export function podMetricsList(
  items: KubeObject[],
  namespace: string | undefined,
  selector: ObjectPredicate | undefined,
  pods: (namespace: string, name: string) => KubeObject | undefined,
): KubeObject {
  const listed = items
    .filter((item) => item.kind === "PodMetrics" && (!namespace || item.metadata.namespace === namespace))
    .flatMap((item) => {
      const pod = pods(item.metadata.namespace ?? "", item.metadata.name ?? "");
      return pod !== undefined && (selector?.(pod) ?? true) ? [podMetrics(item, pod)] : [];
    });
  return list("PodMetricsList", listed);
}

/** `selector` is matched against the node. */
export function nodeMetricsList(
  items: KubeObject[],
  selector: ObjectPredicate | undefined,
  nodes: (name: string) => KubeObject | undefined,
): KubeObject {
  const listed = items
    .filter((item) => item.kind === "NodeMetrics")
    .flatMap((item) => {
      const node = nodes(item.metadata.name ?? "");
      return node !== undefined && (selector?.(node) ?? true) ? [nodeMetrics(item, node)] : [];
    });
  return list("NodeMetricsList", listed);
}

/** One PodMetrics object, as a GET of pods/NAME in metrics.k8s.io answers it. */
export function podMetrics(document: KubeObject, pod: KubeObject): KubeObject {
  return {
    apiVersion: API_VERSION,
    kind: "PodMetrics",
    metadata: metadataOf(pod),
    timestamp: document.timestamp,
    window: document.window,
    containers: structuredClone(document.containers ?? []),
  };
}

/** One NodeMetrics object, as a GET of nodes/NAME in metrics.k8s.io answers it. */
export function nodeMetrics(document: KubeObject, node: KubeObject): KubeObject {
  return {
    apiVersion: API_VERSION,
    kind: "NodeMetrics",
    metadata: metadataOf(node),
    timestamp: document.timestamp,
    window: document.window,
    usage: structuredClone(document.usage ?? {}),
  };
}

function metadataOf(source: KubeObject): ObjectMeta {
  const { name, namespace, creationTimestamp, labels } = source.metadata;
  return {
    name,
    ...(namespace !== undefined && { namespace }),
    ...(creationTimestamp !== undefined && { creationTimestamp }),
    ...(labels !== undefined && { labels: { ...labels } }),
  };
}

/** metrics-server's lists carry no resourceVersion, and their items no apiVersion/kind. */
function list(kind: string, items: KubeObject[]): KubeObject {
  const key = (item: KubeObject) => [item.metadata.namespace ?? "", item.metadata.name ?? ""].join("\0");
  const sorted = items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return {
    apiVersion: API_VERSION,
    kind,
    metadata: {},
    items: sorted.map(({ apiVersion: _apiVersion, kind: _kind, ...item }) => item),
  };
}
