// Which source a `--with-source` reconciliation goes through first, the way the flux CLI finds it
// (the reference of sources.ts), and whether that source can be reconciled on request. A HelmChart is
// itself reconciled with its own source, so callers follow the answer until there is none.
import type { KubeObject } from "../kube/types.ts";
import { findFluxKind, type FluxKind } from "./kinds.ts";
import { sourceReferenceOf } from "./sources.ts";

interface SourceTarget {
  fluxKind: FluxKind;
  name: string;
  namespace: string;
}

export type SourceLookup =
  | { found: SourceTarget }
  /** Nothing to reconcile first; says why, for the caller to pass on. */
  | { none: string };

export function sourceOf(object: KubeObject): SourceLookup {
  const ref = sourceReferenceOf(object);
  if (!ref) {
    return { none: `${object.kind} has no source reference (spec.chartRef, spec.sourceRef or spec.chart)` };
  }
  const fluxKind = findFluxKind(ref.group, ref.kind);
  if (!fluxKind) {
    return { none: `${ref.field} points at ${ref.kind} ${ref.name}, which is not a Flux source kind` };
  }
  if (!fluxKind.reconcilable) {
    return {
      none: `${ref.field} points at ${ref.kind} ${ref.namespace}/${ref.name}, which cannot be reconciled on request (its producer updates it)`,
    };
  }
  return { found: { fluxKind, name: ref.name, namespace: ref.namespace } };
}

/** An OCI HelmRepository has no status: helm-controller pulls charts straight from the registry. */
export function isStaticSource(object: KubeObject): boolean {
  const spec = object.spec as { type?: unknown } | undefined;
  return object.kind === "HelmRepository" && spec?.type === "oci";
}
