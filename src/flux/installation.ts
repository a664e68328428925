// What a Flux installation looks like from its controllers' Deployments, which exist however Flux
// was installed (Flux Operator, `flux bootstrap`, `flux install`, Helm): the component versions from
// their images, their health, the distribution version and what manages them from their labels.
import type { KubeObject } from "../kube/types.ts";
import { describeManager, fluxManagersOf } from "./managed-by.ts";

/** Every Deployment Flux installs carries it, whoever installed Flux. */
export const FLUX_COMPONENTS_SELECTOR = "app.kubernetes.io/part-of=flux";
/** The Flux Operator's own Deployment (Helm chart and plain manifests alike). */
export const FLUX_OPERATOR_SELECTOR = "app.kubernetes.io/name=flux-operator";

const VERSION_LABEL = "app.kubernetes.io/version";
const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";

export interface Component {
  /** The Deployment's name: shards of one controller share their component label. */
  name: string;
  namespace: string;
  /** The image without its digest, e.g. ghcr.io/fluxcd/source-controller:v1.9.4. */
  image: string;
  /** The image tag, e.g. v1.9.4. */
  version?: string;
  ready: boolean;
  /** "ready", or what is wrong: "0/1 available: …", "rolling out: 1/2 updated", "scaled to zero". */
  status: string;
}

interface DeploymentFields {
  spec?: {
    replicas?: number;
    template?: { spec?: { containers?: { name?: string; image?: string }[] } };
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    conditions?: { type?: string; status?: string; reason?: string; message?: string }[];
  };
}

export function componentOf(deployment: KubeObject): Component {
  const { spec } = deployment as DeploymentFields;
  const containers = spec?.template?.spec?.containers ?? [];
  const container = containers.find((candidate) => candidate.name === "manager") ?? containers[0];
  const image = withoutDigest(container?.image ?? "");
  const version = imageTag(image);
  return {
    name: deployment.metadata.name ?? "",
    namespace: deployment.metadata.namespace ?? "",
    image,
    ...(version && { version }),
    ...deploymentHealth(deployment),
  };
}

/** kstatus's rules for a Deployment, reduced to what an operator of Flux needs to know. */
export function deploymentHealth(deployment: KubeObject): { ready: boolean; status: string } {
  const { spec, status } = deployment as DeploymentFields;
  const wanted = spec?.replicas ?? 1;
  const generation = deployment.metadata.generation;
  const conditions = status?.conditions ?? [];
  const progressing = conditions.find((condition) => condition.type === "Progressing");
  const available = conditions.find((condition) => condition.type === "Available");
  if (deployment.metadata.deletionTimestamp) return { ready: false, status: "terminating" };
  if (wanted === 0) return { ready: false, status: "scaled to zero" };
  if (progressing?.reason === "ProgressDeadlineExceeded") {
    return { ready: false, status: `ProgressDeadlineExceeded: ${progressing.message ?? ""}`.trim() };
  }
  if (generation !== undefined && (status?.observedGeneration ?? 0) < generation) {
    return { ready: false, status: `rolling out: generation ${generation} not observed yet` };
  }
  const updated = status?.updatedReplicas ?? 0;
  if (updated < wanted) return { ready: false, status: `rolling out: ${updated}/${wanted} updated` };
  const ready = status?.availableReplicas ?? 0;
  if (ready < wanted) {
    const why = available?.status === "False" && available.message ? `: ${available.message}` : "";
    return { ready: false, status: `${ready}/${wanted} available${why}` };
  }
  if ((status?.replicas ?? 0) > wanted) {
    return { ready: false, status: `rolling out: ${status?.replicas} replicas, ${wanted} wanted` };
  }
  return { ready: true, status: "ready" };
}

/** The Flux version the controllers were installed from (their version label), most common first. */
export function distributionVersion(deployments: readonly KubeObject[]): string | undefined {
  const counts = new Map<string, number>();
  for (const deployment of deployments) {
    const version = deployment.metadata.labels?.[VERSION_LABEL];
    if (version) counts.set(version, (counts.get(version) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/**
 * Who keeps the controllers in place, from their labels: the Flux Operator (FluxInstance), a
 * Kustomization (`flux bootstrap` makes Flux manage itself this way), Helm, or nothing.
 */
export function installationManager(deployments: readonly KubeObject[]): string {
  const labelled = (predicate: (labels: Record<string, string>) => boolean) =>
    deployments.find((deployment) => predicate(deployment.metadata.labels ?? {}));
  const manager = (deployment: KubeObject | undefined, kind: string) => {
    const found = deployment && fluxManagersOf(deployment).find((candidate) => candidate.kind === kind);
    return found ? ` (${describeManager(found)})` : "";
  };
  const byOperator = labelled((labels) => labels[MANAGED_BY_LABEL] === "flux-operator");
  if (byOperator) return `flux-operator${manager(byOperator, "FluxInstance")}`;
  const bySelf = labelled((labels) => labels["kustomize.toolkit.fluxcd.io/name"] !== undefined);
  if (bySelf) return `flux bootstrap${manager(bySelf, "Kustomization")}`;
  const byHelm = labelled((labels) => labels[MANAGED_BY_LABEL] === "Helm");
  if (byHelm) return "Helm";
  return "flux install or kubectl (nothing reconciles the controllers)";
}

function withoutDigest(image: string): string {
  const at = image.indexOf("@");
  return at < 0 ? image : image.slice(0, at);
}

/** The tag of `registry:port/path/name:tag`: a colon after the last slash. */
export function imageTag(image: string): string | undefined {
  const name = withoutDigest(image);
  const colon = name.lastIndexOf(":");
  return colon > name.lastIndexOf("/") ? name.slice(colon + 1) : undefined;
}
