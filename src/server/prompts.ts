// The debugging prompts the reference offers: a numbered plan, naming this server's tools, for
// finding out why a Kustomization or a HelmRelease does not become ready.

export interface DebugPrompt {
  name: string;
  title: string;
  description: string;
  kind: "Kustomization" | "HelmRelease";
}

export const DEBUG_PROMPTS: readonly DebugPrompt[] = [
  {
    name: "debug_flux_kustomization",
    title: "Debug a Flux Kustomization",
    description: "A step-by-step plan to find why a Kustomization is failing or stuck.",
    kind: "Kustomization",
  },
  {
    name: "debug_flux_helmrelease",
    title: "Debug a Flux HelmRelease",
    description: "A step-by-step plan to find why a HelmRelease is failing or stuck.",
    kind: "HelmRelease",
  },
];

export interface DebugPromptArguments {
  name: string;
  namespace: string;
  cluster?: string | undefined;
}

/** The plan, using only the tools in `offered`. */
export function debugPlan(
  prompt: DebugPrompt,
  args: DebugPromptArguments,
  offered: ReadonlySet<string>,
): string {
  const object = `${prompt.kind} ${args.namespace}/${args.name}`;
  const has = (name: string) => offered.has(name);
  const steps: string[] = [];
  if (args.cluster) {
    steps.push(
      has("set_kubeconfig_context")
        ? `Switch to the cluster "${args.cluster}" with set_kubeconfig_context (get_kubeconfig_contexts lists the names), or pass context: "${args.cluster}" to each call.`
        : `Pass context: "${args.cluster}" to each call.`,
    );
  }
  const controller = prompt.kind === "Kustomization" ? "kustomize-controller" : "helm-controller";
  steps.push(
    `Call get_flux_instance: check that Flux and the ${controller} are running and healthy, and note the Flux version.`,
    `Read the ${object} with get_kubernetes_resources (kind ${prompt.kind}): look at its Ready and Stalled conditions, the last applied and attempted revisions, spec.suspend and spec.dependsOn.`,
    prompt.kind === "Kustomization"
      ? "Read its source (spec.sourceRef: a GitRepository, OCIRepository, Bucket or ExternalArtifact) and check that it is ready and has fetched the expected revision."
      : "Read its chart source (spec.chartRef: an OCIRepository or HelmChart; or spec.chart: the generated HelmChart and its HelmRepository, GitRepository or Bucket) and check that it is ready and has the expected chart version.",
  );
  if (has("get_kubernetes_events")) {
    steps.push(
      `If it is failing or progressing, read the Warning events of the ${object} with get_kubernetes_events.`,
    );
  }
  steps.push(
    prompt.kind === "Kustomization"
      ? "If it depends on other Kustomizations, check each of them the same way: a dependency that is not ready blocks this one."
      : "Check the release's workloads (Deployments, StatefulSets, Pods) in its target namespace for failing rollouts.",
  );
  steps.push(
    `List the objects in its inventory (status.inventory${prompt.kind === "HelmRelease" ? " or the Helm release's objects" : ""}) with get_kubernetes_resources and look for ones that are not ready.`,
  );
  if (has("get_kubernetes_logs")) {
    steps.push(
      `For a failing pod, read its logs with get_kubernetes_logs (grep for "error"); for a controller-side failure, read the ${controller} logs in the Flux namespace.`,
    );
  }
  if (has("search_flux_docs")) {
    steps.push(`Look up unfamiliar fields or error reasons with search_flux_docs.`);
  }
  steps.push(
    "Report what you found: the root cause, the evidence (conditions, events, log lines) and the change that would fix it. Do not change the cluster without the user's go-ahead.",
  );
  const numbered = steps.map((step, index) => `${index + 1}. ${step}`).join("\n");
  return `Find out why the Flux ${object}${args.cluster ? ` in cluster ${args.cluster}` : ""} is not ready. Follow these steps:\n\n${numbered}`;
}
