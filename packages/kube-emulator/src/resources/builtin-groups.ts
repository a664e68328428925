// API groups whose kinds are compiled into Kubernetes or its aggregated APIs (as opposed to served
// from CRDs). Only these accept strategic merge patch, get the schema-driven list handling of
// server-side apply, and have field selectors beyond metadata.name and metadata.namespace.

const BUILTIN_GROUPS: ReadonlySet<string> = new Set([
  "",
  "admissionregistration.k8s.io",
  "apiextensions.k8s.io",
  "apiregistration.k8s.io",
  "apps",
  "authentication.k8s.io",
  "authorization.k8s.io",
  "autoscaling",
  "batch",
  "certificates.k8s.io",
  "coordination.k8s.io",
  "discovery.k8s.io",
  "events.k8s.io",
  "flowcontrol.apiserver.k8s.io",
  "internal.apiserver.k8s.io",
  "metrics.k8s.io",
  "networking.k8s.io",
  "node.k8s.io",
  "policy",
  "rbac.authorization.k8s.io",
  "resource.k8s.io",
  "scheduling.k8s.io",
  "storage.k8s.io",
  "storagemigration.k8s.io",
]);

/** Exact match: CRD groups such as snapshot.storage.k8s.io only look built-in. */
export function isBuiltInGroup(group: string): boolean {
  return BUILTIN_GROUPS.has(group);
}
