// Finding the Flux object an operation acts on: the kind through discovery, checked against what
// Flux knows about it, then the live object.
import { findFluxKind, FLUX_KINDS, type FluxKind } from "./kinds.ts";
import type { Kube, KubeObject, ResolvedKind } from "../kube/types.ts";
import { objectTitle } from "../format/names.ts";

export interface FluxTarget {
  resolved: ResolvedKind;
  fluxKind: FluxKind;
  object: KubeObject;
  /** "HelmRelease monitoring/kube-prometheus-stack". */
  title: string;
}

/** The Flux kind behind `kind`/`apiVersion`, or a one-line reason why it is not one. */
export async function resolveFluxKind(
  kube: Kube,
  kind: string,
  apiVersion: string | undefined,
): Promise<{ resolved: ResolvedKind; fluxKind: FluxKind } | { refusal: string }> {
  const resolved = await kube.resolveKind(kind, apiVersion);
  const fluxKind = findFluxKind(resolved.group, resolved.kind);
  if (!fluxKind) {
    return {
      refusal: `${resolved.kind} (${resolved.apiVersion}) is not a Flux kind; this tool acts on Flux objects only: ${FLUX_KINDS.map((entry) => entry.kind).join(", ")}`,
    };
  }
  return { resolved, fluxKind };
}

export async function getFluxTarget(
  kube: Kube,
  resolved: ResolvedKind,
  fluxKind: FluxKind,
  name: string,
  namespace: string,
): Promise<FluxTarget> {
  const object = await kube.get(resolved, name, namespace);
  return { resolved, fluxKind, object, title: objectTitle(resolved.kind, name, namespace) };
}
