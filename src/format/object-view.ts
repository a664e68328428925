// An object as get_kubernetes_resources shows it: cleanObject's shape, minus the identifiers only the
// API server acts on (uid, resourceVersion, selfLink, owner uids) and without null fields (an unset
// field says the same). generation stays: next to status.observedGeneration it tells whether the
// controller has seen the latest spec.
import type { KubeObject } from "../kube/types.ts";
import { cleanObject } from "./objects.ts";

export function viewObject(object: KubeObject): KubeObject {
  const cleaned = cleanObject(object);
  const { uid: _uid, resourceVersion: _resourceVersion, selfLink: _selfLink, ...metadata } = cleaned.metadata;
  if (metadata.ownerReferences) {
    metadata.ownerReferences = metadata.ownerReferences.map(
      ({ uid: _ownerUid, blockOwnerDeletion: _block, ...reference }: Record<string, unknown>) => reference,
    ) as typeof metadata.ownerReferences;
  }
  return withoutNulls({ ...cleaned, metadata }) as KubeObject;
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, field]) => field !== null)
      .map(([key, field]) => [key, withoutNulls(field)]),
  );
}
