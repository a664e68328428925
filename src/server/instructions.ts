// The server instructions sent in the initialize result: how to work with the tools this server
// actually offers in this mode. A bullet appears only when the tools it names are registered, and
// the "Actions" part only when some tool writes.
import type { Tool } from "../tools/tool.ts";

interface Bullet {
  /** Every one of these must be offered for the bullet to appear. */
  needs: string[];
  text: string;
}

const WORKFLOW: Bullet[] = [
  {
    needs: ["get_kubeconfig_contexts", "set_kubeconfig_context"],
    text: "Several clusters: list them with get_kubeconfig_contexts and switch with set_kubeconfig_context, or pass `context` to a single call.",
  },
  {
    needs: ["get_flux_instance"],
    text: "Start with get_flux_instance: Flux version, controllers, health and a summary of what Flux reconciles.",
  },
  {
    needs: ["get_kubernetes_api_versions"],
    text: "Never guess an apiVersion: get_kubernetes_api_versions lists what the cluster serves.",
  },
  {
    needs: ["get_kubernetes_resources"],
    text: "get_kubernetes_resources reads any object or list; narrow it with namespace, a label selector, `fields` and `limit`. Objects Flux manages carry kustomize.toolkit.fluxcd.io or helm.toolkit.fluxcd.io labels.",
  },
  {
    needs: ["trace_kubernetes_resource"],
    text: "trace_kubernetes_resource answers which Flux object and source manage a given object.",
  },
  {
    needs: ["get_kubernetes_events"],
    text: "get_kubernetes_events shows why something failed; filter by object, type Warning and since.",
  },
  {
    needs: ["get_kubernetes_logs"],
    text: "get_kubernetes_logs reads a pod or workload's logs; use grep and since rather than long tails.",
  },
  {
    needs: ["get_kubernetes_metrics"],
    text: "get_kubernetes_metrics gives CPU and memory use of pods.",
  },
  {
    needs: ["diff_kubernetes_manifest"],
    text: "diff_kubernetes_manifest previews what applying a manifest would change, without changing anything.",
  },
  {
    needs: ["search_flux_docs"],
    text: "Check Flux behaviour and API fields with search_flux_docs rather than from memory.",
  },
  {
    needs: ["read_flux_doc"],
    text: "read_flux_doc reads a documentation page, or one of its sections, that a search pointed to.",
  },
];

/** Set by the bundler (scripts/build.ts): false in the hardened read-only build, which has no write tool to describe. */
declare const FLUX_MCP_WRITE_TOOLS: boolean | undefined;

const ACTIONS: Bullet[] =
  typeof FLUX_MCP_WRITE_TOOLS !== "undefined" && !FLUX_MCP_WRITE_TOOLS
    ? []
    : [
        {
          needs: ["reconcile_flux_resource"],
          text: "reconcile_flux_resource asks Flux to reconcile an object now (with_source to refetch its source first).",
        },
        {
          needs: ["reconcile_flux_kustomization"],
          text: "reconcile_flux_kustomization, reconcile_flux_helmrelease, reconcile_flux_source and reconcile_flux_resourceset do the same for one kind each.",
        },
        {
          needs: ["suspend_flux_reconciliation", "resume_flux_reconciliation"],
          text: "suspend_flux_reconciliation and resume_flux_reconciliation stop and restart Flux's work on an object.",
        },
        {
          needs: ["apply_kubernetes_manifest"],
          text: "apply_kubernetes_manifest applies YAML server-side; it refuses objects Flux manages unless told to overwrite, since Flux would revert the change.",
        },
        {
          needs: ["patch_kubernetes_resource"],
          text: "patch_kubernetes_resource changes single fields (e.g. removes a stuck finalizer).",
        },
        {
          needs: ["delete_kubernetes_resource"],
          text: "delete_kubernetes_resource deletes an object; Flux recreates objects it manages.",
        },
        {
          needs: ["install_flux_instance"],
          text: "install_flux_instance installs the Flux Operator and a FluxInstance.",
        },
      ];

export function serverInstructions(tools: readonly Tool[]): string {
  const offered = new Set(tools.map((tool) => tool.name));
  const pick = (bullets: Bullet[]) =>
    bullets
      .filter((bullet) => bullet.needs.every((name) => offered.has(name)))
      .map((bullet) => `- ${bullet.text}`);
  const writes = tools.some((tool) => tool.writes);
  const lines = [
    `This server inspects${writes ? " and operates" : ""} Kubernetes clusters run by Flux and the Flux Operator.` +
      (writes ? "" : " It is read-only: it cannot change anything in the cluster."),
  ];
  const workflow = pick(WORKFLOW);
  if (workflow.length > 0) lines.push("", "Workflow:", ...workflow);
  const actions = pick(ACTIONS);
  if (actions.length > 0) {
    lines.push("", "Actions (they change the cluster; confirm with the user first):", ...actions);
  }
  return lines.join("\n");
}
