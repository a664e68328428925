// What a Flux object manages, compact: from its `status.inventory`, or for a HelmRelease without one,
// from the objects Kube.helmReleaseObjects reads in Helm's storage Secret.
import type { KubeObject } from "../kube/types.ts";
import type { ObjectRef } from "../format/events.ts";

/** The objects of `status.inventory.entries`, or undefined when the object has no inventory. */
export function inventoryObjects(object: KubeObject): ObjectRef[] | undefined {
  const status = object.status as { inventory?: { entries?: unknown } } | undefined;
  const entries = status?.inventory?.entries;
  if (!Array.isArray(entries)) return undefined;
  return entries.flatMap((entry: { id?: unknown; v?: unknown }) => {
    const ref = typeof entry?.id === "string" ? parseInventoryId(entry.id) : undefined;
    if (!ref) return [];
    const version = typeof entry.v === "string" ? entry.v : "";
    return [{ ...ref, apiVersion: ref.apiVersion ? `${ref.apiVersion}/${version}` : version }];
  });
}

/**
 * `<namespace>_<name>_<group>_<kind>`, as Flux writes inventory ids (an RBAC name's `:` written as
 * `__`). The apiVersion of the answer holds the group only; the entry's `v` completes it.
 */
export function parseInventoryId(id: string): ObjectRef | undefined {
  const first = id.indexOf("_");
  const last = id.lastIndexOf("_");
  if (first < 0 || last <= first) return undefined;
  const middle = id.slice(first + 1, last);
  const groupStart = middle.lastIndexOf("_");
  if (groupStart < 0) return undefined;
  const name = middle.slice(0, groupStart).replaceAll("__", ":");
  const namespace = id.slice(0, first);
  if (name === "" || name.includes("_")) return undefined;
  return {
    apiVersion: middle.slice(groupStart + 1),
    kind: id.slice(last + 1),
    ...(namespace && { namespace }),
    name,
  };
}

/**
 * Grouped by "apiVersion Kind", each with its `namespace/name`s (or names when cluster-scoped): the
 * type is written once per group rather than once per object.
 */
export function groupManagedObjects(refs: readonly ObjectRef[]): Record<string, string[]> {
  const groups: Record<string, string[]> = {};
  for (const ref of refs) {
    const key = `${ref.apiVersion ?? ""} ${ref.kind}`.trim();
    (groups[key] ??= []).push(ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name);
  }
  return groups;
}
