// kubernetes-mcp-server (containers/kubernetes-mcp-server), the Go binary from its platform npm
// package (a dev dependency for linux/amd64, the kind our machines are: the registry here carries no
// other platform's build), spawned directly so its own process is measured. Default
// toolsets (core, config); it follows the kubeconfig's current context and takes `context` per call.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { FLEET_CONTEXT, FLUX_KINDS_WITH_STATUS, OTHER_CONTEXT } from "../questions.ts";
import { cleanEnvironment, type ServerUnderTest } from "./server.ts";

const require = createRequire(import.meta.url);
const arch = process.arch === "x64" ? "amd64" : process.arch;
const platformPackage = `kubernetes-mcp-server-${process.platform}-${arch}`;

function binaryPath(): string | undefined {
  try {
    return require.resolve(`${platformPackage}/bin/${platformPackage}`);
  } catch {
    return undefined;
  }
}

function version(): string {
  const manifest = require.resolve(`${platformPackage}/package.json`);
  return (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
}

export const kubernetesMcpServer: ServerUnderTest = {
  id: "kubernetes-mcp-server",
  label: `kubernetes-mcp-server ${version()} (Go)`,
  unavailable: () => {
    const binary = binaryPath();
    return binary && existsSync(binary) ? undefined : `${platformPackage} is not installed`;
  },
  launch: (kubeconfigPath, home) => ({
    command: binaryPath() ?? platformPackage,
    args: ["--kubeconfig", kubeconfigPath],
    env: cleanEnvironment(home),
  }),
  calls: {
    helmreleases: [
      { tool: "resources_list", args: { apiVersion: "helm.toolkit.fluxcd.io/v2", kind: "HelmRelease" } },
    ],
    failing: FLUX_KINDS_WITH_STATUS.map(({ kind, group, version }) => ({
      tool: "resources_list",
      args: { apiVersion: `${group}/${version}`, kind },
    })),
    "crashloop-logs": [
      {
        tool: "pods_log",
        args: { name: "cart-qchb76nwf7-hmt8b", namespace: "frontend", container: "cart", previous: true },
      },
    ],
    "kustomization-events": [
      {
        tool: "events_list",
        args: {
          namespace: "flux-system",
          fieldSelector: "involvedObject.kind=Kustomization,involvedObject.name=monitoring",
        },
      },
    ],
    "helmrelease-yaml": [
      {
        tool: "resources_get",
        args: {
          apiVersion: "helm.toolkit.fluxcd.io/v2",
          kind: "HelmRelease",
          name: "kube-prometheus-stack",
          namespace: "monitoring",
        },
      },
    ],
    "pod-metrics": [{ tool: "pods_top", args: { namespace: "flux-system" } }],
    "flux-api-versions": [
      {
        tool: "resources_list",
        args: { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition" },
      },
    ],
    "fleet-kustomizations": [
      {
        tool: "resources_list",
        args: { apiVersion: "kustomize.toolkit.fluxcd.io/v1", kind: "Kustomization", context: FLEET_CONTEXT },
      },
    ],
    // One call per link of the chain: the blocked object, its dependency, what that one waits on.
    "root-cause": [
      ["kustomize.toolkit.fluxcd.io/v1", "Kustomization", "monitoring-configs", "flux-system"],
      ["kustomize.toolkit.fluxcd.io/v1", "Kustomization", "monitoring", "flux-system"],
      ["helm.toolkit.fluxcd.io/v2", "HelmRelease", "kube-prometheus-stack", "monitoring"],
    ].map(([apiVersion, kind, name, namespace]) => ({
      tool: "resources_get",
      args: { apiVersion, kind, name, namespace },
    })),
    "image-latest": [
      {
        tool: "resources_get",
        args: {
          apiVersion: "image.toolkit.fluxcd.io/v1",
          kind: "ImagePolicy",
          name: "podinfo",
          namespace: "flux-system",
        },
      },
      {
        tool: "resources_get",
        args: { apiVersion: "apps/v1", kind: "Deployment", name: "podinfo", namespace: "frontend" },
      },
    ],
    "compare-clusters": [undefined, OTHER_CONTEXT].map((context) => ({
      tool: "resources_get",
      args: {
        apiVersion: "helm.toolkit.fluxcd.io/v2",
        kind: "HelmRelease",
        name: "podinfo",
        namespace: "frontend",
        ...(context && { context }),
      },
    })),
  },
};
