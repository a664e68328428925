// The Flux kinds this product knows, with the facts that decide how each one is handled.

type FluxController =
  | "source-controller"
  | "kustomize-controller"
  | "helm-controller"
  | "notification-controller"
  | "image-reflector-controller"
  | "image-automation-controller"
  | "flux-operator";

/** How a kind is paused: toolkit kinds use spec.suspend, Flux Operator kinds an annotation. */
type SuspendMechanism = "spec" | "annotation" | "none";

export interface FluxKind {
  kind: string;
  group: string;
  /** Version served by current Flux; clusters may serve others, so discovery has the last word. */
  version: string;
  plural: string;
  controller: FluxController;
  /** Kinds without a status (Alert, Provider) cannot be reconciled on request. */
  reconcilable: boolean;
  /** Alert and Provider have no status at all: they are always "ready", never failing. */
  hasStatus: boolean;
  suspend: SuspendMechanism;
  /** Kinds that accept reconcile.fluxcd.io/forceAt. */
  forceable: boolean;
  /**
   * Reconciled with forceAt unless the caller opts out, as flux-operator-mcp does: a HelmRelease is
   * upgraded even without changes, a ResourceSetInputProvider fetches its inputs again at once.
   */
  forcedByDefault: boolean;
}

const source = "source.toolkit.fluxcd.io";
const operator = "fluxcd.controlplane.io";
const image = "image.toolkit.fluxcd.io";
const notification = "notification.toolkit.fluxcd.io";

function toolkitKind(
  kind: string,
  group: string,
  version: string,
  controller: FluxController,
  extra: Partial<FluxKind> = {},
): FluxKind {
  const lower = kind.toLowerCase();
  const plural = lower.endsWith("y") ? `${lower.slice(0, -1)}ies` : `${lower}s`;
  return {
    kind,
    group,
    version,
    plural,
    controller,
    reconcilable: true,
    hasStatus: true,
    suspend: "spec",
    forceable: false,
    forcedByDefault: false,
    ...extra,
  };
}

export const FLUX_KINDS: readonly FluxKind[] = [
  toolkitKind("GitRepository", source, "v1", "source-controller"),
  toolkitKind("OCIRepository", source, "v1", "source-controller"),
  toolkitKind("HelmRepository", source, "v1", "source-controller"),
  toolkitKind("HelmChart", source, "v1", "source-controller"),
  toolkitKind("Bucket", source, "v1", "source-controller"),
  toolkitKind("ExternalArtifact", source, "v1", "source-controller", {
    reconcilable: false,
    suspend: "none",
  }),
  toolkitKind("Kustomization", "kustomize.toolkit.fluxcd.io", "v1", "kustomize-controller"),
  toolkitKind("HelmRelease", "helm.toolkit.fluxcd.io", "v2", "helm-controller", {
    forceable: true,
    forcedByDefault: true,
  }),
  toolkitKind("Alert", notification, "v1beta3", "notification-controller", {
    reconcilable: false,
    hasStatus: false,
  }),
  toolkitKind("Provider", notification, "v1beta3", "notification-controller", {
    reconcilable: false,
    hasStatus: false,
  }),
  toolkitKind("Receiver", notification, "v1", "notification-controller"),
  toolkitKind("ImageRepository", image, "v1", "image-reflector-controller"),
  toolkitKind("ImagePolicy", image, "v1", "image-reflector-controller"),
  toolkitKind("ImageUpdateAutomation", image, "v1", "image-automation-controller"),
  toolkitKind("FluxInstance", operator, "v1", "flux-operator", { suspend: "annotation", forceable: true }),
  toolkitKind("FluxReport", operator, "v1", "flux-operator", { suspend: "annotation" }),
  toolkitKind("ResourceSet", operator, "v1", "flux-operator", { suspend: "annotation" }),
  toolkitKind("ResourceSetInputProvider", operator, "v1", "flux-operator", {
    suspend: "annotation",
    forceable: true,
    forcedByDefault: true,
  }),
];

const byGroupKind = new Map(FLUX_KINDS.map((entry) => [`${entry.group}/${entry.kind}`, entry]));

export function findFluxKind(group: string, kind: string): FluxKind | undefined {
  return byGroupKind.get(`${group}/${kind}`);
}

/** The API group of an apiVersion ("" for the core group). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}

/** Flux toolkit (`*.toolkit.fluxcd.io`) and Flux Operator (`fluxcd.controlplane.io`) API groups. */
export function isFluxGroup(group: string): boolean {
  return /(^|\.)fluxcd\.(io|controlplane\.io)$/.test(group);
}
