// mcp-server-kubernetes (Flux159/mcp-server-kubernetes), its TypeScript entry point run by our Node
// directly (not through npx) so its own process is measured. It reads KUBECONFIG, starts in
// K8S_CONTEXT, and shells out to kubectl for most tools (kubectl's memory is not counted).
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { DEMO_CONTEXT, FLEET_CONTEXT, FLUX_KINDS_WITH_STATUS, OTHER_CONTEXT } from "../questions.ts";
import { cleanEnvironment, type ServerUnderTest } from "./server.ts";

const require = createRequire(import.meta.url);
const manifestPath = require.resolve("mcp-server-kubernetes/package.json");
const entryPoint = join(dirname(manifestPath), "dist", "index.js");
const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { version: string };

export const mcpServerKubernetes: ServerUnderTest = {
  id: "mcp-server-kubernetes",
  label: `mcp-server-kubernetes ${manifest.version} (TypeScript)`,
  unavailable: () => (existsSync(entryPoint) ? undefined : `${entryPoint} is missing`),
  launch: (kubeconfigPath, home) => ({
    command: process.execPath,
    args: [entryPoint],
    env: cleanEnvironment(home, {
      KUBECONFIG: kubeconfigPath,
      K8S_CONTEXT: DEMO_CONTEXT,
      ENABLE_TELEMETRY: "false",
    }),
  }),
  calls: {
    helmreleases: [
      { tool: "kubectl_get", args: { resourceType: "helmreleases", allNamespaces: true, output: "wide" } },
    ],
    failing: [
      {
        tool: "kubectl_get",
        args: {
          resourceType: FLUX_KINDS_WITH_STATUS.map(({ plural, group }) => `${plural}.${group}`).join(","),
          allNamespaces: true,
          output: "wide",
        },
      },
    ],
    "crashloop-logs": [
      {
        tool: "kubectl_logs",
        args: {
          resourceType: "pod",
          name: "cart-qchb76nwf7-hmt8b",
          namespace: "frontend",
          container: "cart",
          previous: true,
        },
      },
    ],
    "kustomization-events": [
      {
        tool: "kubectl_get",
        args: {
          resourceType: "events",
          namespace: "flux-system",
          fieldSelector: "involvedObject.kind=Kustomization,involvedObject.name=monitoring",
        },
      },
    ],
    "helmrelease-yaml": [
      {
        tool: "kubectl_get",
        args: {
          resourceType: "helmrelease",
          name: "kube-prometheus-stack",
          namespace: "monitoring",
          output: "yaml",
        },
      },
    ],
    "pod-metrics": [
      { tool: "kubectl_generic", args: { command: "top", resourceType: "pod", namespace: "flux-system" } },
    ],
    "flux-api-versions": [{ tool: "list_api_resources", args: {} }],
    "fleet-kustomizations": [
      {
        tool: "kubectl_get",
        args: { resourceType: "kustomizations", allNamespaces: true, output: "wide", context: FLEET_CONTEXT },
      },
    ],
    // One call per link of the chain: the blocked object, its dependency, what that one waits on.
    "root-cause": [
      ["kustomization", "monitoring-configs", "flux-system"],
      ["kustomization", "monitoring", "flux-system"],
      ["helmrelease", "kube-prometheus-stack", "monitoring"],
    ].map(([resourceType, name, namespace]) => ({
      tool: "kubectl_get",
      args: { resourceType, name, namespace, output: "yaml" },
    })),
    "image-latest": [
      {
        tool: "kubectl_get",
        args: { resourceType: "imagepolicy", name: "podinfo", namespace: "flux-system", output: "yaml" },
      },
      {
        tool: "kubectl_get",
        args: { resourceType: "deployment", name: "podinfo", namespace: "frontend", output: "wide" },
      },
    ],
    "compare-clusters": [DEMO_CONTEXT, OTHER_CONTEXT].map((context) => ({
      tool: "kubectl_get",
      args: { resourceType: "helmrelease", name: "podinfo", namespace: "frontend", output: "yaml", context },
    })),
  },
};
