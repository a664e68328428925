// What a Flux object manages, compact: from its `status.inventory`, or for a HelmRelease without one,
// from the objects Kube.helmReleaseObjects reads in Helm's storage Secret.
import type { ObjectRef } from "./events.ts";

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
