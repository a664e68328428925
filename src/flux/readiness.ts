// How a Flux object is doing, in the words a person would use: the Ready condition alone says too
// little (a suspended object keeps its last verdict; a failure that will be retried looks "in
// progress" to kstatus; a DependencyNotReady object is a symptom of another one's failure).
import type { KubeObject } from "../kube/types.ts";
import { findFluxKind, groupOf, type FluxKind } from "./kinds.ts";
import { isStaticSource } from "./reconcile-sources.ts";
import { findCondition, type Condition } from "./reconcile.ts";
import { isSuspended } from "./suspend.ts";

export type FluxState =
  /** Being deleted. */
  | "terminating"
  /** Paused by spec.suspend or the operator's reconcile annotation; conditions are the last known. */
  | "suspended"
  /** Has no status to report (Alert, Provider, an OCI HelmRepository): nothing can fail. */
  | "static"
  /** Never reconciled yet. */
  | "pending"
  /** Failed in a way the controller will not retry until the spec changes or someone forces it. */
  | "stalled"
  /** Waits for a dependency that is not ready: a consequence, the dependency is the cause. */
  | "blocked"
  /** The last attempt failed; the controller retries on its interval. */
  | "failing"
  /** A reconciliation is running, or the latest spec has not been reconciled yet. */
  | "progressing"
  | "ready";

export interface Readiness {
  state: FluxState;
  /** The Ready condition's status; absent when the object has none. */
  ready?: Condition["status"];
  /** Why: the Stalled reason when stalled, else the Ready reason. */
  reason?: string;
  message?: string;
  /** A failing condition that explains a summary verdict, e.g. "Released UpgradeFailed: …". */
  cause?: string;
  /** When the Ready condition last changed (RFC 3339). */
  since?: string;
}

interface TimedCondition extends Condition {
  lastTransitionTime?: string;
  observedGeneration?: number;
}

/** Conditions a summary Ready copies from, whose own message names the underlying error. */
const DETAIL_CONDITIONS = ["Released", "TestSuccess", "Healthy"];
const DEPENDENCY_NOT_READY = "DependencyNotReady";

/** The classification of flux-domain §2.5; the first rule that matches wins. */
export function readinessOf(object: KubeObject, fluxKind = fluxKindOf(object)): Readiness {
  const ready = findCondition(object, "Ready") as TimedCondition | undefined;
  const last: Omit<Readiness, "state"> = ready
    ? {
        ready: ready.status,
        ...(ready.reason && { reason: ready.reason }),
        ...(ready.message && { message: ready.message }),
        ...(ready.lastTransitionTime && { since: ready.lastTransitionTime }),
      }
    : {};

  if (object.metadata.deletionTimestamp) return { state: "terminating", ...last };
  if (suspended(object, fluxKind)) return { state: "suspended", ...last };
  if (fluxKind?.hasStatus === false || isStaticSource(object)) return { state: "static" };
  const status = object.status as { observedGeneration?: unknown } | undefined;
  if (!ready || status?.observedGeneration === -1) return { state: "pending", ...last };

  const stalled = findCondition(object, "Stalled");
  if (stalled?.status === "True") {
    const verdict = {
      ...last,
      ...(stalled.reason && { reason: stalled.reason }),
      ...(stalled.message && { message: stalled.message }),
    };
    return withCause({ state: "stalled", ...verdict }, object);
  }
  if (ready.status === "False") {
    if (ready.reason === DEPENDENCY_NOT_READY) return { state: "blocked", ...last };
    return withCause({ state: "failing", ...last }, object);
  }
  const reconciling = findCondition(object, "Reconciling");
  if (ready.status === "Unknown" || reconciling?.status === "True") return { state: "progressing", ...last };

  const generation = object.metadata.generation;
  const observed = [status?.observedGeneration, ready.observedGeneration].filter(
    (value): value is number => typeof value === "number" && value > 0,
  );
  if (generation !== undefined && observed.some((value) => value !== generation)) {
    return {
      state: "progressing",
      ...last,
      reason: "NewGeneration",
      message: `generation ${generation} not reconciled yet (last reconciled: ${Math.min(...observed)})`,
    };
  }
  return { state: "ready", ...last };
}

/** Failed and not waiting on anything else: what to look at first. */
export function isFailure(readiness: Readiness): boolean {
  return readiness.state === "stalled" || readiness.state === "failing";
}

/** The Flux kind of an object, from its apiVersion's group and kind. */
export function fluxKindOf(object: KubeObject): FluxKind | undefined {
  return findFluxKind(groupOf(object.apiVersion), object.kind);
}

function suspended(object: KubeObject, fluxKind: FluxKind | undefined): boolean {
  if (fluxKind) return isSuspended(object, fluxKind);
  return (object.spec as { suspend?: unknown } | undefined)?.suspend === true;
}

function withCause(readiness: Readiness, object: KubeObject): Readiness {
  for (const type of DETAIL_CONDITIONS) {
    const condition = findCondition(object, type);
    if (condition?.status !== "False" || !condition.message) continue;
    if (condition.message === readiness.message) return readiness;
    return { ...readiness, cause: `${type} ${condition.reason ?? "False"}: ${condition.message}` };
  }
  return readiness;
}

/**
 * The dependency a DependencyNotReady message names ("dependency 'flux-system/monitoring' is not
 * ready", "... revision is not up to date", "... not found: ..."), as namespace and name.
 */
export function blockingDependency(
  message: string | undefined,
): { namespace: string; name: string } | undefined {
  const match = /dependency '([^'/]+)\/([^']+)'/.exec(message ?? "");
  if (!match) return undefined;
  return { namespace: match[1] as string, name: match[2] as string };
}
