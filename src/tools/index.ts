// The tool catalogue: every tool flux-mcp offers, in the order tools/list shows them: reading
// first, then documentation and kubeconfig contexts, then the tools that change a cluster.
import { analyzeFluxResource } from "./analysis/analyze-flux-resource.ts";
import { compareFluxResources } from "./analysis/compare-flux-resources.ts";
import { getFluxDependencyGraph } from "./analysis/get-flux-dependency-graph.ts";
import { traceKubernetesResource } from "./analysis/trace-kubernetes-resource.ts";
import { getKubeconfigContexts } from "./clusters/get-kubeconfig-contexts.ts";
import { setKubeconfigContext } from "./clusters/set-kubeconfig-context.ts";
import { readFluxDoc } from "./docs/read-flux-doc.ts";
import { searchFluxDocs } from "./docs/search-flux-docs.ts";
import { applyKubernetesManifest } from "./operations/apply-kubernetes-manifest.ts";
import { deleteKubernetesResource } from "./operations/delete-kubernetes-resource.ts";
import { diffKubernetesManifest } from "./operations/diff-kubernetes-manifest.ts";
import { installFluxInstance } from "./operations/install-flux-instance.ts";
import { patchKubernetesResource } from "./operations/patch-kubernetes-resource.ts";
import { reconcileFluxHelmRelease } from "./operations/reconcile-flux-helmrelease.ts";
import { reconcileFluxKustomization } from "./operations/reconcile-flux-kustomization.ts";
import { reconcileFluxResource } from "./operations/reconcile-flux-resource.ts";
import { reconcileFluxResourceSet } from "./operations/reconcile-flux-resourceset.ts";
import { reconcileFluxSource } from "./operations/reconcile-flux-source.ts";
import { resumeFluxReconciliation } from "./operations/resume-flux-reconciliation.ts";
import { suspendFluxReconciliation } from "./operations/suspend-flux-reconciliation.ts";
import { getFluxInstance } from "./reporting/get-flux-instance.ts";
import { getKubernetesApiVersions } from "./reporting/get-kubernetes-api-versions.ts";
import { getKubernetesEvents } from "./reporting/get-kubernetes-events.ts";
import { getKubernetesLogs } from "./reporting/get-kubernetes-logs.ts";
import { getKubernetesMetrics } from "./reporting/get-kubernetes-metrics.ts";
import { getKubernetesResources } from "./reporting/get-kubernetes-resources.ts";
import type { Tool } from "./tool.ts";

/** Set by the bundler (scripts/build.ts): false in the hardened read-only build, whose bundle then holds no write tool. */
declare const FLUX_MCP_WRITE_TOOLS: boolean | undefined;

const READ_TOOLS: readonly Tool[] = [
  getFluxInstance,
  getKubernetesResources,
  getKubernetesEvents,
  getKubernetesLogs,
  getKubernetesMetrics,
  getKubernetesApiVersions,
  traceKubernetesResource,
  analyzeFluxResource,
  getFluxDependencyGraph,
  compareFluxResources,
  diffKubernetesManifest,
  searchFluxDocs,
  readFluxDoc,
  getKubeconfigContexts,
  setKubeconfigContext,
];

const WRITE_TOOLS: readonly Tool[] = [
  reconcileFluxResource,
  reconcileFluxKustomization,
  reconcileFluxHelmRelease,
  reconcileFluxSource,
  reconcileFluxResourceSet,
  suspendFluxReconciliation,
  resumeFluxReconciliation,
  applyKubernetesManifest,
  patchKubernetesResource,
  deleteKubernetesResource,
  installFluxInstance,
];

/** Every tool this build offers: without the write tools, the bundler leaves their code out. */
export const ALL_TOOLS: readonly Tool[] =
  typeof FLUX_MCP_WRITE_TOOLS === "undefined" || FLUX_MCP_WRITE_TOOLS
    ? [...READ_TOOLS, ...WRITE_TOOLS]
    : READ_TOOLS;
