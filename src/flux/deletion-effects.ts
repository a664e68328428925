// What deleting an object sets off, said before or right after it happens: who would bring it back
// (its Flux applier, its owner) and what goes with it (garbage-collected dependents, a Flux object's
// inventory, a namespace's content, a CRD's objects, finalizers to wait for).
import { fluxManagersOf, describeManager } from "./managed-by.ts";
import { findFluxKind } from "./kinds.ts";
import { isSuspended } from "./suspend.ts";
import { KubeError, type Kube, type KubeObject, type ResolvedKind } from "../kube/types.ts";
import { inventoryObjects } from "./inventory.ts";

/** Kinds whose controllers create Pods (directly or through ReplicaSets and Jobs). */
const WORKLOAD_KINDS = new Set(["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob"]);
const DEPENDENT_KINDS = [
  { kind: "ReplicaSet", apiVersion: "apps/v1" },
  { kind: "Job", apiVersion: "batch/v1" },
  { kind: "Pod", apiVersion: "v1" },
] as const;
const COUNT_LIMIT = 500;

export async function deletionEffects(
  kube: Kube,
  resolved: ResolvedKind,
  live: KubeObject,
): Promise<string[]> {
  const lines: string[] = [];
  const managers = fluxManagersOf(live);
  if (managers.length > 0) {
    lines.push(
      `managed by ${managers.map(describeManager).join(", ")}: Flux re-creates it at the next reconciliation unless it is removed from the source`,
    );
  }
  for (const owner of live.metadata.ownerReferences ?? []) {
    const role = owner.controller ? "controller" : "owner";
    lines.push(
      `owned by ${owner.kind} ${owner.name} (${role})${owner.controller ? ", which may create a replacement" : ""}`,
    );
  }
  const propagation = await propagatesTo(kube, resolved, live);
  if (propagation) lines.push(`propagates to: ${propagation}`);
  const finalizers = live.metadata.finalizers ?? [];
  if (finalizers.length > 0) {
    lines.push(
      `finalizers: ${finalizers.join(", ")} (the object stays, marked for deletion, until their controllers remove them)`,
    );
  }
  return lines;
}

async function propagatesTo(
  kube: Kube,
  resolved: ResolvedKind,
  live: KubeObject,
): Promise<string | undefined> {
  if (resolved.kind === "Namespace" && resolved.group === "") {
    return `every object in namespace ${live.metadata.name}`;
  }
  if (resolved.kind === "CustomResourceDefinition" && resolved.group === "apiextensions.k8s.io") {
    return customResources(kube, live);
  }
  const fluxKind = findFluxKind(resolved.group, resolved.kind);
  if (fluxKind) return fluxInventory(live, isSuspended(live, fluxKind));
  if (WORKLOAD_KINDS.has(resolved.kind) && live.metadata.namespace) return dependents(kube, live);
  return undefined;
}

function fluxInventory(live: KubeObject, suspended: boolean): string | undefined {
  const inventory = inventoryObjects(live);
  if (!inventory || inventory.length === 0) return undefined;
  const spec = (live.spec ?? {}) as { prune?: unknown; deletionPolicy?: unknown };
  const objects = `the ${inventory.length} objects of its inventory`;
  if (suspended) return `nothing: it is suspended, so its controller leaves ${objects} in place`;
  if (spec.deletionPolicy === "Orphan") return `nothing: deletionPolicy Orphan leaves ${objects} in place`;
  if (live.kind === "Kustomization" && spec.prune !== true) {
    return `nothing: spec.prune is off, so ${objects} stay in place`;
  }
  const action =
    live.kind === "HelmRelease" ? "helm-controller uninstalls the release" : "its controller deletes them";
  return `${objects} (${action})`;
}

async function customResources(kube: Kube, crd: KubeObject): Promise<string> {
  const spec = (crd.spec ?? {}) as { group?: unknown; names?: { kind?: unknown } };
  const kind = typeof spec.names?.kind === "string" ? spec.names.kind : "";
  const group = typeof spec.group === "string" ? spec.group : "";
  try {
    const resolved = await kube.resolveKind(kind, group);
    const list = await kube.list(resolved, { limit: COUNT_LIMIT });
    const count = list.continue ? `${COUNT_LIMIT}+` : String(list.items.length);
    return `every ${kind} object in the cluster (${count})`;
  } catch (error) {
    if (error instanceof KubeError) return `every ${kind} object in the cluster`;
    throw error;
  }
}

/** Objects garbage-collected with a workload: those whose ownerReferences lead back to it. */
async function dependents(kube: Kube, live: KubeObject): Promise<string | undefined> {
  const candidates: KubeObject[] = [];
  for (const { kind, apiVersion } of DEPENDENT_KINDS) {
    try {
      const resolved = await kube.resolveKind(kind, apiVersion);
      const list = await kube.list(resolved, { namespace: live.metadata.namespace, limit: COUNT_LIMIT });
      candidates.push(...list.items.map((item) => ({ ...item, kind, apiVersion })));
    } catch (error) {
      if (!(error instanceof KubeError)) throw error;
    }
  }
  const found: KubeObject[] = [];
  const owners = new Set([live.metadata.uid]);
  let grown: boolean;
  do {
    grown = false;
    for (const candidate of candidates) {
      if (owners.has(candidate.metadata.uid)) continue;
      if (candidate.metadata.ownerReferences?.some((owner) => owners.has(owner.uid))) {
        owners.add(candidate.metadata.uid);
        found.push(candidate);
        grown = true;
      }
    }
  } while (grown);
  if (found.length === 0) return undefined;
  return found.map((object) => `${object.kind} ${object.metadata.name}`).join(", ");
}
