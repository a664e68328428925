// The server instructions sent in the initialize result: how to work with the tools this server
// actually offers in this mode. A bullet appears only when the tools it names are registered, and
// the "Actions" part only when some tool writes. Guidance that concerns several tools lives here,
// once per session, rather than in every tool description of tools/list.
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
    text: "Start with get_flux_instance for Flux's health and what is failing.",
  },
  {
    needs: ["analyze_flux_resource"],
    text: "To find why something fails, call analyze_flux_resource before reading objects, events and logs one by one.",
  },
  {
    needs: ["get_kubernetes_api_versions"],
    text: "Never guess an apiVersion: ask get_kubernetes_api_versions.",
  },
  {
    needs: ["get_kubernetes_resources"],
    text: "get_kubernetes_resources reads any object or list; narrow it with namespace, selector, `fields` (kubectl JSONPath) and `limit`; a paged list ends with how many more there are and a `continue` token. Objects Flux manages carry kustomize.toolkit.fluxcd.io or helm.toolkit.fluxcd.io labels.",
  },
  {
    needs: ["get_kubernetes_events"],
    text: "get_kubernetes_events: filter by object, type Warning and since; Kubernetes keeps events about an hour.",
  },
  {
    needs: ["get_kubernetes_logs"],
    text: "get_kubernetes_logs: use grep and since rather than long tails.",
  },
  {
    needs: ["search_flux_docs"],
    text: "Check Flux behaviour and fields with search_flux_docs, not memory; its path mcp documents this server's tools.",
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
          text: "reconcile_flux_resource reconciles any Flux kind (with_source: its source first); a wait that runs out (wait_timeout) means still in progress, not failed.",
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
          needs: ["apply_kubernetes_manifest", "patch_kubernetes_resource", "delete_kubernetes_resource"],
          text: "apply_kubernetes_manifest, patch_kubernetes_resource and delete_kubernetes_resource refuse objects Flux manages unless overwrite is true, since Flux would revert the change; dry_run changes nothing.",
        },
      ];

export interface InstructionOptions {
  /** --mask-secrets: every answer has its Secret values masked. */
  maskSecrets: boolean;
}

export function serverInstructions(tools: readonly Tool[], options: InstructionOptions): string {
  const offered = new Set(tools.map((tool) => tool.name));
  const pick = (bullets: Bullet[]) =>
    bullets
      .filter((bullet) => bullet.needs.every((name) => offered.has(name)))
      .map((bullet) => `- ${bullet.text}`);
  const writes = tools.some((tool) => tool.writes);
  const lines = [
    `This server inspects${writes ? " and operates" : ""} Kubernetes clusters run by Flux and the Flux Operator.` +
      (writes ? "" : " It is read-only: it cannot change anything in the cluster.") +
      (options.maskSecrets ? " Secret values are masked in every answer." : ""),
  ];
  const workflow = pick(WORKFLOW);
  if (workflow.length > 0) lines.push("", "Workflow:", ...workflow);
  lines.push("", "An answer over the response limit is refused with how to narrow the call.");
  const actions = pick(ACTIONS);
  if (actions.length > 0) {
    lines.push("", "Actions (they change the cluster; confirm with the user first):", ...actions);
  }
  return lines.join("\n");
}
