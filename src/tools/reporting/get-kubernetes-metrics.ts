// get_kubernetes_metrics: CPU and memory of pods from metrics.k8s.io (metrics-server), with totals, as
// a plain-text table like kubectl top pod: one row per pod, or per container when a pod has several.
import { disagreeingNames } from "../../params/renamed-parameters.ts";
import { z } from "zod";
import { nameArgument, namespaceArgument, selectorArgument } from "../../params/bounds.ts";
import { KubeError, type Kube } from "../../kube/types.ts";
import { where } from "../../format/names.ts";
import { defineTool, toolError } from "../tool.ts";
import { formatCpu, formatMemory, parseQuantity } from "../../format/quantities.ts";

const DEFAULT_METRICS_LIMIT = 100;
const METRICS_API = ["apis", "metrics.k8s.io", "v1beta1"];

export const getKubernetesMetrics = defineTool({
  name: "get_kubernetes_metrics",
  title: "Get pod CPU and memory usage",
  area: "reporting",
  description:
    "CPU and memory use of pods, with totals (kubectl top pod). Use it to spot pods near their memory limit or starved of CPU.",
  input: {
    namespace: namespaceArgument().optional().describe("Omit for all namespaces"),
    name: nameArgument().optional().describe("One pod; needs namespace"),
    selector: selectorArgument().min(1).optional().describe("Label selector, e.g. app=web"),
    limit: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .optional()
      .describe(`Pods listed (default ${DEFAULT_METRICS_LIMIT})`),
    pod_namespace: namespaceArgument().optional().describe("Old name of namespace"),
    pod_name: nameArgument().optional().describe("Old name of name"),
    pod_selector: selectorArgument().min(1).optional().describe("Old name of selector"),
  },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  writes: false,
  usesCluster: true,
  async handler(args, ctx) {
    const disagreement = disagreeingNames([
      ["namespace", args.namespace, "pod_namespace", args.pod_namespace],
      ["name", args.name, "pod_name", args.pod_name],
      ["selector", args.selector, "pod_selector", args.pod_selector],
    ]);
    if (disagreement) return toolError(disagreement);
    const namespace = args.namespace ?? args.pod_namespace;
    const name = args.name ?? args.pod_name;
    const selector = args.selector ?? args.pod_selector;
    if (name !== undefined && namespace === undefined)
      return toolError(`namespace is required with the pod name ${name}`);

    const kube = await ctx.kube();
    const scope = namespace === undefined ? "in all namespaces" : `in namespace ${namespace}`;
    let pods: PodMetrics[];
    try {
      pods =
        name !== undefined && namespace !== undefined
          ? [(await kube.getPath([...METRICS_API, "namespaces", namespace, "pods", name])) as PodMetrics]
          : await listPodMetrics(kube, namespace, selector);
    } catch (error) {
      if (!(error instanceof KubeError)) throw error;
      if (error.reason === "NotFound" && name !== undefined && (await metricsServed(kube))) {
        return toolError(
          `no metrics for pod ${namespace}/${name} ${where(kube)}: the pod does not exist, or metrics-server has not measured it yet`,
        );
      }
      return toolError(metricsFailure(error, kube));
    }
    if (pods.length === 0) {
      const matching = selector === undefined ? "" : ` matching ${selector}`;
      return toolError(
        `no pod metrics ${scope}${matching} ${where(kube)}: no such pods, or metrics-server has not measured them yet`,
      );
    }
    return { text: render(pods, { kube, namespace, limit: args.limit ?? DEFAULT_METRICS_LIMIT }) };
  },
});

interface PodMetrics {
  metadata: { name?: string; namespace?: string };
  timestamp?: string;
  window?: string;
  containers?: { name: string; usage?: { cpu?: string; memory?: string } }[];
}

async function listPodMetrics(kube: Kube, namespace: string | undefined, selector: string | undefined) {
  const path =
    namespace === undefined ? [...METRICS_API, "pods"] : [...METRICS_API, "namespaces", namespace, "pods"];
  const list = (await kube.getPath(path, selector === undefined ? {} : { labelSelector: selector })) as {
    items?: PodMetrics[];
  };
  return list.items ?? [];
}

/** Whether the cluster serves metrics.k8s.io at all (a 404 on a pod may mean either). */
async function metricsServed(kube: Kube): Promise<boolean> {
  try {
    await kube.getPath(METRICS_API);
    return true;
  } catch (error) {
    if (error instanceof KubeError && error.reason === "NotFound") return false;
    throw error;
  }
}

function metricsFailure(error: KubeError, kube: Kube): string {
  if (error.reason === "NotFound") {
    return `metrics-server is not installed ${where(kube)}: the metrics.k8s.io API is not served`;
  }
  if (error.status === 503) {
    return `metrics-server is not answering ${where(kube)} (metrics.k8s.io is registered but unavailable): ${error.message}`;
  }
  return error.message;
}

/** One pod's usage: its containers, and the pod's sum of them. */
interface PodUsage {
  namespace: string;
  name: string;
  containers: { name: string; cores: number; bytes: number }[];
  cores: number;
  bytes: number;
}

function podUsage(pod: PodMetrics): PodUsage {
  const containers = (pod.containers ?? []).map((container) => ({
    name: container.name,
    cores: parseQuantity(container.usage?.cpu ?? "") ?? 0,
    bytes: parseQuantity(container.usage?.memory ?? "") ?? 0,
  }));
  return {
    namespace: pod.metadata.namespace ?? "",
    name: pod.metadata.name ?? "",
    containers,
    cores: containers.reduce((sum, container) => sum + container.cores, 0),
    bytes: containers.reduce((sum, container) => sum + container.bytes, 0),
  };
}

/** A header line with the totals, then a tab-separated table with the values `kubectl top pod` prints. */
function render(
  pods: PodMetrics[],
  options: { kube: Kube; namespace: string | undefined; limit: number },
): string {
  const usage = pods.map(podUsage);
  const cores = usage.reduce((sum, pod) => sum + pod.cores, 0);
  const bytes = usage.reduce((sum, pod) => sum + pod.bytes, 0);
  const listed = usage.slice(0, options.limit);
  const omitted = usage.length - listed.length;
  const subject =
    options.namespace === undefined
      ? `context ${options.kube.context}`
      : `namespace ${options.namespace} in ${options.kube.context}`;
  const header = [
    `# ${subject}: ${pods.length} ${pods.length === 1 ? "pod" : "pods"}, total CPU ${formatCpu(cores)}, memory ${formatMemory(bytes)}`,
    omitted > 0 ? `; ${omitted} pods not listed: narrow with name or selector, or raise limit` : "",
  ].join("");
  const table = usageTable(listed, {
    withNamespace: options.namespace === undefined,
    // A container column only earns its tokens when some pod has several.
    withContainers: listed.some((pod) => pod.containers.length > 1),
  });
  return [header, ...table].join("\n") + "\n";
}

function usageTable(
  pods: PodUsage[],
  columns: { withNamespace: boolean; withContainers: boolean },
): string[] {
  const row = (pod: PodUsage, cells: string[]) =>
    [...(columns.withNamespace ? [pod.namespace] : []), pod.name, ...cells].join("\t");
  const headings = [
    ...(columns.withNamespace ? ["NAMESPACE"] : []),
    "POD",
    ...(columns.withContainers ? ["CONTAINER"] : []),
    "CPU",
    "MEMORY",
  ];
  const rows = pods.flatMap((pod) =>
    columns.withContainers
      ? pod.containers.map((container) =>
          row(pod, [container.name, formatCpu(container.cores), formatMemory(container.bytes)]),
        )
      : [row(pod, [formatCpu(pod.cores), formatMemory(pod.bytes)])],
  );
  return [headings.join("\t"), ...rows];
}
