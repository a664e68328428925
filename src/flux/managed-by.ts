// Which Flux object applied an object, from the labels every Flux applier stamps on what it manages.
// A change made by hand to such an object is reverted (or fought over) at the next reconciliation.
import type { KubeObject } from "../kube/types.ts";

export interface FluxManager {
  kind: "Kustomization" | "HelmRelease" | "FluxInstance" | "ResourceSet";
  name: string;
  namespace: string;
}

const MANAGER_LABELS: readonly { prefix: string; kind: FluxManager["kind"] }[] = [
  { prefix: "kustomize.toolkit.fluxcd.io", kind: "Kustomization" },
  { prefix: "helm.toolkit.fluxcd.io", kind: "HelmRelease" },
  { prefix: "fluxcd.controlplane.io", kind: "FluxInstance" },
  { prefix: "resourceset.fluxcd.controlplane.io", kind: "ResourceSet" },
];

/** Every Flux applier whose `<prefix>/name` or `<prefix>/namespace` label the object carries. */
export function fluxManagersOf(object: KubeObject): FluxManager[] {
  const labels = object.metadata.labels ?? {};
  return MANAGER_LABELS.flatMap(({ prefix, kind }) => {
    const name = labels[`${prefix}/name`];
    const namespace = labels[`${prefix}/namespace`];
    if (name === undefined && namespace === undefined) return [];
    return [{ kind, name: name ?? "?", namespace: namespace ?? "?" }];
  });
}

export function describeManager(manager: FluxManager): string {
  return `${manager.kind} ${manager.namespace}/${manager.name}`;
}
