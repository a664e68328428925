// get_kubernetes_metrics: CPU and memory of pods from metrics.k8s.io (metrics-server), one row per
// container with totals, as compact YAML.
import { disagreeingNames } from "../input/renamed-parameters.ts";
import { Document } from "yaml";
import { z } from "zod";
import { KubeError, type Kube } from "../../kube/types.ts";
import { where } from "../output/names.ts";
import { defineTool, toolError } from "../tool.ts";
import { formatCpu, formatMemory, parseQuantity } from "./quantities.ts";

export const DEFAULT_METRICS_LIMIT = 100;
const METRICS_API = "/apis/metrics.k8s.io/v1beta1";

export const getKubernetesMetrics = defineTool({
  name: "get_kubernetes_metrics",
  title: "Get pod CPU and memory usage",
  area: "reporting",
  description: [
    "Gets the current CPU (millicores) and memory (MiB) usage of pods, one row per container, with totals, from metrics-server (what kubectl top pod shows).",
    "Give a namespace, and a pod name or a label selector to narrow it; omit the namespace for all namespaces.",
    "Use it to spot a controller or app near its memory limit (OOMKilled) or starved of CPU.",
  ].join(" "),
  input: {
    namespace: z.string().min(1).optional().describe("Namespace of the pods; omit for all namespaces"),
    name: z.string().min(1).optional().describe("Name of one pod; needs namespace"),
    selector: z
      .string()
      .min(1)
      .optional()
      .describe("Label selector of the pods, comma-separated, e.g. app.kubernetes.io/name=podinfo"),
    limit: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .optional()
      .describe(`Maximum pods listed (default ${DEFAULT_METRICS_LIMIT}); totals still count every pod`),
    pod_namespace: z.string().min(1).optional().describe("Older name of `namespace`, still accepted"),
    pod_name: z.string().min(1).optional().describe("Older name of `name`, still accepted"),
    pod_selector: z.string().min(1).optional().describe("Older name of `selector`, still accepted"),
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
          ? [(await kube.getPath(`${METRICS_API}/namespaces/${namespace}/pods/${name}`)) as PodMetrics]
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
    namespace === undefined ? `${METRICS_API}/pods` : `${METRICS_API}/namespaces/${namespace}/pods`;
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

function render(
  pods: PodMetrics[],
  options: { kube: Kube; namespace: string | undefined; limit: number },
): string {
  const rows: Record<string, string>[] = [];
  let cpu = 0;
  let memory = 0;
  pods.forEach((pod, index) => {
    const podName =
      options.namespace === undefined
        ? `${pod.metadata.namespace}/${pod.metadata.name}`
        : (pod.metadata.name ?? "");
    for (const container of pod.containers ?? []) {
      const cores = parseQuantity(container.usage?.cpu ?? "") ?? 0;
      const bytes = parseQuantity(container.usage?.memory ?? "") ?? 0;
      cpu += cores;
      memory += bytes;
      if (index < options.limit) {
        rows.push({
          pod: podName,
          container: container.name,
          cpu: formatCpu(cores),
          memory: formatMemory(bytes),
        });
      }
    }
  });
  const omitted = pods.length - Math.min(pods.length, options.limit);
  const summary = {
    context: options.kube.context,
    ...(options.namespace !== undefined && { namespace: options.namespace }),
    pods: pods.length,
    ...(omitted > 0 && {
      omitted: `${omitted} pods not listed: narrow with name or selector, or raise limit`,
    }),
    total: { cpu: formatCpu(cpu), memory: formatMemory(memory) },
    usage: rows,
  };
  const document = new Document(summary, { aliasDuplicateObjects: false });
  const usage = document.get("usage", true) as { items: { flow?: boolean }[] } | undefined;
  for (const row of usage?.items ?? []) row.flow = true;
  const total = document.get("total", true) as { flow?: boolean } | undefined;
  if (total) total.flow = true;
  return document.toString({ lineWidth: 0 });
}
