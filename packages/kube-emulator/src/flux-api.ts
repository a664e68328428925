// What the controller simulation knows of the Flux APIs, taken from the Flux and Flux Operator
// CRDs (status fields lastHandledReconcileAt / lastHandledForceAt / lastHandledResetAt, spec.suspend)
// and their controllers. Kept apart from the product's own table on purpose: a fake that shares the
// product's mistakes cannot catch them.

/** The group of an apiVersion: "apps" for "apps/v1", "" for the core "v1". */
export function apiGroupOf(apiVersion: string): string {
  const [group, version] = apiVersion.split("/");
  return version === undefined ? "" : (group ?? "");
}

export const ANNOTATION_REQUESTED_AT = "reconcile.fluxcd.io/requestedAt";
export const ANNOTATION_FORCE_AT = "reconcile.fluxcd.io/forceAt";
export const ANNOTATION_RESET_AT = "reconcile.fluxcd.io/resetAt";
/** The Flux Operator's kinds have no spec.suspend; this annotation set to "disabled" pauses them. */
const OPERATOR_RECONCILE_ANNOTATION = "fluxcd.controlplane.io/reconcile";

export interface ReconciledKind {
  /** The controller that reconciles the kind, as it names itself in events. */
  controller: string;
  /** Whether the kind's status has lastHandledForceAt. */
  honoursForceAt: boolean;
  /** Whether the kind's status has lastHandledResetAt. */
  honoursResetAt: boolean;
  pausedBy: "spec.suspend" | "annotation";
}

const CONTROLLER_OF_GROUP: Record<string, string> = {
  "source.toolkit.fluxcd.io": "source-controller",
  "kustomize.toolkit.fluxcd.io": "kustomize-controller",
  "helm.toolkit.fluxcd.io": "helm-controller",
  "notification.toolkit.fluxcd.io": "notification-controller",
  "image.toolkit.fluxcd.io": "image-reflector-controller",
  "fluxcd.controlplane.io": "flux-operator",
};

/** Kinds of those groups that no controller reconciles on request: they have no lastHandledReconcileAt. */
const NOT_RECONCILED = new Set(["ExternalArtifact", "Alert", "Provider"]);

/** The source kinds a Kustomization or HelmRelease may point at, with their served version. */
export const SOURCE_API_VERSION = "source.toolkit.fluxcd.io/v1";

/** How the kind is reconciled, or undefined when no Flux controller reconciles it on request. */
export function reconciledKind(apiVersion: string, kind: string): ReconciledKind | undefined {
  const group = apiGroupOf(apiVersion);
  let controller = CONTROLLER_OF_GROUP[group];
  if (controller === undefined || NOT_RECONCILED.has(kind)) return undefined;
  if (kind === "ImageUpdateAutomation") controller = "image-automation-controller";
  const operatorKind = group === "fluxcd.controlplane.io";
  return {
    controller,
    honoursForceAt: kind === "HelmRelease" || kind === "FluxInstance" || kind === "ResourceSetInputProvider",
    honoursResetAt: kind === "HelmRelease",
    pausedBy: operatorKind ? "annotation" : "spec.suspend",
  };
}

export function isPaused(
  object: { metadata: { annotations?: Record<string, string> }; spec?: unknown },
  kind: ReconciledKind,
): boolean {
  if (kind.pausedBy === "annotation") {
    return object.metadata.annotations?.[OPERATOR_RECONCILE_ANNOTATION] === "disabled";
  }
  return (object.spec as { suspend?: unknown } | undefined)?.suspend === true;
}
