// Pausing and resuming a Flux object: toolkit kinds through spec.suspend, Flux Operator kinds
// through the fluxcd.controlplane.io/reconcile annotation.
import type { KubeObject } from "../kube/types.ts";
import { OPERATOR_RECONCILE, OPERATOR_RECONCILE_DISABLED, RECONCILE_REQUESTED_AT } from "./annotations.ts";
import type { FluxKind } from "./kinds.ts";

const OPERATOR_RECONCILE_ENABLED = "enabled";

export function isSuspended(object: KubeObject, fluxKind: FluxKind): boolean {
  if (fluxKind.suspend === "annotation") {
    return object.metadata.annotations?.[OPERATOR_RECONCILE] === OPERATOR_RECONCILE_DISABLED;
  }
  if (fluxKind.suspend === "spec") {
    const spec = object.spec as { suspend?: unknown } | undefined;
    return spec?.suspend === true;
  }
  return false;
}

/** Where the pause lives, as a user would write it: "spec.suspend: true". */
export function suspensionMarker(fluxKind: FluxKind): string {
  return fluxKind.suspend === "annotation"
    ? `annotation ${OPERATOR_RECONCILE}: ${OPERATOR_RECONCILE_DISABLED}`
    : "spec.suspend: true";
}

/** The merge patch that pauses reconciliation. */
export function suspendPatch(fluxKind: FluxKind): object {
  return fluxKind.suspend === "annotation"
    ? { metadata: { annotations: { [OPERATOR_RECONCILE]: OPERATOR_RECONCILE_DISABLED } } }
    : { spec: { suspend: true } };
}

/**
 * The merge patch that resumes reconciliation and, when the kind has a status to report in, asks for
 * a reconciliation right away (`token` as requestedAt) so the caller can wait for its outcome.
 * spec.suspend is removed rather than set to false, as the flux CLI does.
 */
export function resumePatch(fluxKind: FluxKind, token: string | undefined): object {
  const annotations: Record<string, string> = {};
  if (token !== undefined) annotations[RECONCILE_REQUESTED_AT] = token;
  if (fluxKind.suspend === "annotation") {
    annotations[OPERATOR_RECONCILE] = OPERATOR_RECONCILE_ENABLED;
    return { metadata: { annotations } };
  }
  return {
    ...(token !== undefined && { metadata: { annotations } }),
    spec: { suspend: null },
  };
}
