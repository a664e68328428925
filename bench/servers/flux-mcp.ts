// flux-mcp, the built CLI (`npm run build`), started like users start it.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import packageJson from "../../package.json" with { type: "json" };
import { DEMO_CONTEXT, FLEET_CONTEXT, OTHER_CONTEXT } from "../questions.ts";
import { cleanEnvironment, type ServerUnderTest } from "./server.ts";

const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
/**
 * The calls an assistant makes from the tool descriptions, not tuned to the key facts: the `fields`
 * are the description's own example (the Ready condition's message, which says why), the limit is
 * the description's "with fields, thousands fit".
 */
const READY = '.status.conditions[?(@.type=="Ready")]';
export const READY_FIELDS = [`${READY}.status`, `${READY}.message`];

export const fluxMcp: ServerUnderTest = {
  id: "flux-mcp",
  label: `flux-mcp ${packageJson.version}`,
  unavailable: () => (existsSync(CLI) ? undefined : `${CLI} is missing: run npm run build`),
  launch: (kubeconfigPath, home) => ({
    command: process.execPath,
    args: [CLI, "serve", "--kubeconfig", kubeconfigPath, "--kube-context", DEMO_CONTEXT],
    env: cleanEnvironment(home),
  }),
  calls: {
    helmreleases: [
      {
        tool: "get_kubernetes_resources",
        args: {
          apiVersion: "helm.toolkit.fluxcd.io/v2",
          kind: "HelmRelease",
          fields: READY_FIELDS,
        },
      },
    ],
    failing: [{ tool: "get_flux_instance", args: {} }],
    "crashloop-logs": [
      {
        tool: "get_kubernetes_logs",
        args: { name: "cart-qchb76nwf7-hmt8b", namespace: "frontend", container: "cart", previous: true },
      },
    ],
    "kustomization-events": [
      {
        tool: "get_kubernetes_events",
        args: { kind: "Kustomization", name: "monitoring", namespace: "flux-system" },
      },
    ],
    "helmrelease-yaml": [
      {
        tool: "get_kubernetes_resources",
        args: {
          apiVersion: "helm.toolkit.fluxcd.io/v2",
          kind: "HelmRelease",
          name: "kube-prometheus-stack",
          namespace: "monitoring",
        },
      },
    ],
    "pod-metrics": [{ tool: "get_kubernetes_metrics", args: { namespace: "flux-system" } }],
    "flux-api-versions": [{ tool: "get_kubernetes_api_versions", args: {} }],
    "fleet-kustomizations": [
      {
        tool: "get_kubernetes_resources",
        args: {
          apiVersion: "kustomize.toolkit.fluxcd.io/v1",
          kind: "Kustomization",
          fields: READY_FIELDS,
          limit: 10_000,
          context: FLEET_CONTEXT,
        },
        followContinue: true,
      },
    ],
    "root-cause": [
      {
        tool: "analyze_flux_resource",
        args: { kind: "Kustomization", name: "monitoring-configs", namespace: "flux-system" },
      },
    ],
    "image-latest": [
      {
        tool: "get_kubernetes_resources",
        args: {
          apiVersion: "image.toolkit.fluxcd.io/v1",
          kind: "ImagePolicy",
          name: "podinfo",
          namespace: "flux-system",
        },
      },
    ],
    "compare-clusters": [
      {
        tool: "compare_flux_resources",
        args: {
          kind: "HelmRelease",
          name: "podinfo",
          namespace: "frontend",
          left_context: OTHER_CONTEXT,
          right_context: DEMO_CONTEXT,
        },
      },
    ],
  },
};
