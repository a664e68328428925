// Annotations through which users and tools talk to the Flux controllers.

export const RECONCILE_REQUESTED_AT = "reconcile.fluxcd.io/requestedAt";
export const RECONCILE_FORCE_AT = "reconcile.fluxcd.io/forceAt";
/** Flux Operator kinds are paused with this annotation set to "disabled" instead of spec.suspend. */
export const OPERATOR_RECONCILE = "fluxcd.controlplane.io/reconcile";
export const OPERATOR_RECONCILE_DISABLED = "disabled";
