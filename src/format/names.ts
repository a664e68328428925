// How tools name objects and where they act, in results and one-line errors.
import type { Kube } from "../kube/types.ts";

/** "Kustomization flux-system/apps", or "Namespace monitoring" when cluster-scoped. */
export function objectTitle(kind: string, name: string, namespace?: string): string {
  return namespace ? `${kind} ${namespace}/${name}` : `${kind} ${name}`;
}

/** "Deployment/frontend/podinfo", the change-set form kubectl and Flux print. */
export function objectPath(kind: string, name: string, namespace?: string): string {
  return namespace ? `${kind}/${namespace}/${name}` : `${kind}/${name}`;
}

/** "in context staging", plus the impersonated identity when there is one. */
export function where(kube: Kube): string {
  return kube.identity ? `in context ${kube.context} ${kube.identity}` : `in context ${kube.context}`;
}
