// Asking a Flux controller to reconcile now, and reading from the object's status whether it has
// handled the request and how it went.
import type { KubeObject } from "../kube/types.ts";
import { RECONCILE_FORCE_AT, RECONCILE_REQUESTED_AT } from "./annotations.ts";

export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason?: string;
  message?: string;
}

/** A fresh requestedAt value: any new value asks for a reconciliation; a timestamp also tells when. */
export function newRequestToken(): string {
  return new Date().toISOString();
}

/**
 * The merge patch that requests a reconciliation; `force` also asks for a one-off forced run
 * (a Helm upgrade without changes, a FluxInstance migration), which only happens when forceAt equals
 * requestedAt.
 */
export function reconcileRequestPatch(token: string, force: boolean): object {
  const annotations: Record<string, string> = { [RECONCILE_REQUESTED_AT]: token };
  if (force) annotations[RECONCILE_FORCE_AT] = token;
  return { metadata: { annotations } };
}

export function findCondition(object: KubeObject, type: string): Condition | undefined {
  const status = object.status as { conditions?: unknown } | undefined;
  if (!Array.isArray(status?.conditions)) return undefined;
  return (status.conditions as Condition[]).find((condition) => condition?.type === type);
}

/** What a controller did with one reconcile request, read from the object it writes status to. */
export type ReconcileProgress =
  | { state: "pending" }
  | { state: "running"; reason?: string; message?: string }
  | { state: "done"; ready: boolean; reason?: string; message?: string; stalled?: Condition };

/**
 * The request is handled once `status.lastHandledReconcileAt` carries its token. A controller that
 * failed and will retry keeps Ready False with Reconciling reason ProgressingWithRetry (or no
 * Reconciling at all): that is a finished attempt, not one still running.
 */
export function reconcileProgress(object: KubeObject, token: string): ReconcileProgress {
  const status = object.status as { lastHandledReconcileAt?: unknown } | undefined;
  if (status?.lastHandledReconcileAt !== token) return { state: "pending" };
  return attemptOutcome(object);
}

/** Like reconcileProgress, for a spec change: handled once status.observedGeneration reaches it. */
export function generationProgress(object: KubeObject): ReconcileProgress {
  const status = object.status as { observedGeneration?: unknown } | undefined;
  const observed = typeof status?.observedGeneration === "number" ? status.observedGeneration : -1;
  if (observed < (object.metadata.generation ?? 1)) return { state: "pending" };
  return attemptOutcome(object);
}

function attemptOutcome(object: KubeObject): ReconcileProgress {
  const ready = findCondition(object, "Ready");
  const reconciling = findCondition(object, "Reconciling");
  const stalled = findCondition(object, "Stalled");
  const outcome = { reason: ready?.reason, message: ready?.message };
  if (stalled?.status === "True") return { state: "done", ready: false, ...outcome, stalled };
  if (ready?.status === "True") return { state: "done", ready: true, ...outcome };
  const retrying = reconciling?.status !== "True" || reconciling.reason === "ProgressingWithRetry";
  if (ready?.status === "False" && retrying) return { state: "done", ready: false, ...outcome };
  return { state: "running", reason: reconciling?.reason ?? ready?.reason, message: ready?.message };
}

export interface Revisions {
  /** What the cluster runs now: the applied revision, a release's chart version, a source's artifact. */
  current?: string;
  /** What the last attempt tried, when it differs from the current one. */
  attempted?: string;
}

export function revisionsOf(object: KubeObject): Revisions {
  const status = (object.status ?? {}) as {
    lastAppliedRevision?: unknown;
    lastAttemptedRevision?: unknown;
    artifact?: { revision?: unknown };
    history?: { chartVersion?: unknown }[];
  };
  const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
  const current =
    text(status.lastAppliedRevision) ??
    text(status.artifact?.revision) ??
    (Array.isArray(status.history) ? text(status.history[0]?.chartVersion) : undefined);
  const attempted = text(status.lastAttemptedRevision);
  return { current, ...(attempted !== undefined && attempted !== current && { attempted }) };
}
