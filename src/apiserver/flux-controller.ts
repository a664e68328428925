// A small stand-in for the Flux controllers: it answers reconcile requests and spec changes the
// way they do (progress first, then the outcome, with events), so that tools which annotate and
// wait can be tested end to end. Objects that were failing keep failing: the simulation replays
// their last verdict instead of inventing a fix.
import { randomBytes } from "node:crypto";
import {
  OPERATOR_RECONCILE,
  OPERATOR_RECONCILE_DISABLED,
  RECONCILE_FORCE_AT,
  RECONCILE_REQUESTED_AT,
  RECONCILE_RESET_AT,
} from "../flux/annotations.ts";
import { findFluxKind, groupOf, type FluxKind } from "../flux/kinds.ts";
import type { KubeObject } from "./types.ts";

/** What the simulation needs from the API server it lives in. */
export interface FluxSimulationHost {
  /** Calls the listener with the stored object after every create or update; returns an unsubscribe. */
  subscribe(listener: (object: KubeObject) => void): () => void;
  get(apiVersion: string, kind: string, namespace: string, name: string): KubeObject | undefined;
  /** Replaces the object's status, as a controller writing the status subresource would. */
  writeStatus(object: KubeObject): void;
  /** Stores a core/v1 Event. */
  recordEvent(event: KubeObject): void;
}

export interface FluxSimulationOptions {
  /** Delay before the controller picks the request up and reports progress. */
  pickUpDelayMs: number;
  /** Delay between progress and the outcome. */
  workDurationMs: number;
}

export const DEFAULT_SIMULATION_TIMING: FluxSimulationOptions = { pickUpDelayMs: 150, workDurationMs: 600 };

export interface FluxSimulation {
  stop(): void;
  /** Resolves once no reconciliation is pending or running. */
  idle(): Promise<void>;
}

interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

interface Status {
  conditions?: Condition[];
  observedGeneration?: number;
  lastHandledReconcileAt?: string;
  [field: string]: unknown;
}

export function startFluxSimulation(
  host: FluxSimulationHost,
  timing: FluxSimulationOptions = DEFAULT_SIMULATION_TIMING,
): FluxSimulation {
  const running = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  let idleWaiters: (() => void)[] = [];
  let stopped = false;

  const later = (delayMs: number, work: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopped) work();
    }, delayMs);
    timers.add(timer);
  };

  const settle = (uid: string) => {
    running.delete(uid);
    if (running.size === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  };

  const reread = (object: KubeObject) =>
    host.get(object.apiVersion, object.kind, object.metadata.namespace ?? "", object.metadata.name ?? "");

  const consider = (object: KubeObject) => {
    const fluxKind = findFluxKind(groupOf(object.apiVersion), object.kind);
    const uid = object.metadata.uid ?? "";
    if (stopped || !fluxKind || !fluxKind.reconcilable || running.has(uid)) return;
    if (object.metadata.deletionTimestamp || isSuspended(object, fluxKind) || !hasPendingWork(object)) return;
    running.add(uid);
    const startedAt = Date.now();
    later(timing.pickUpDelayMs, () => {
      const current = reread(object);
      if (!current) return settle(uid);
      const before = structuredClone(statusOf(current));
      host.writeStatus(withStatus(current, markProgressing(before, current)));
      later(timing.workDurationMs, () => {
        const latest = reread(object);
        if (latest) {
          const outcome = decideOutcome(latest, fluxKind, before, host, Date.now() - startedAt);
          host.writeStatus(withStatus(latest, outcome.status));
          host.recordEvent(buildEvent(latest, fluxKind, outcome.event));
        }
        settle(uid);
        // A request that arrived while this one ran is handled next.
        const next = reread(object);
        if (next) consider(next);
      });
    });
  };

  const unsubscribe = host.subscribe(consider);
  return {
    stop() {
      stopped = true;
      unsubscribe();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      running.clear();
      settle("");
    },
    idle() {
      if (running.size === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}

function statusOf(object: KubeObject): Status {
  const status = object.status;
  return status && typeof status === "object" ? (status as Status) : {};
}

function withStatus(object: KubeObject, status: Status): KubeObject {
  return { ...object, status };
}

function isSuspended(object: KubeObject, fluxKind: FluxKind): boolean {
  if (fluxKind.suspend === "annotation") {
    return object.metadata.annotations?.[OPERATOR_RECONCILE] === OPERATOR_RECONCILE_DISABLED;
  }
  const spec = object.spec as { suspend?: unknown } | undefined;
  return spec?.suspend === true;
}

function hasPendingWork(object: KubeObject): boolean {
  const status = statusOf(object);
  const requestedAt = object.metadata.annotations?.[RECONCILE_REQUESTED_AT];
  if (requestedAt !== undefined && requestedAt !== status.lastHandledReconcileAt) return true;
  const generation = object.metadata.generation ?? 1;
  return (status.observedGeneration ?? -1) < generation;
}

function findCondition(status: Status, type: string): Condition | undefined {
  return status.conditions?.find((condition) => condition.type === type);
}

function setCondition(conditions: Condition[], next: Condition, now: string): Condition[] {
  const previous = conditions.find((condition) => condition.type === next.type);
  const transitioned = !previous || previous.status !== next.status;
  const merged = { ...next, lastTransitionTime: transitioned ? now : previous.lastTransitionTime };
  return [...conditions.filter((condition) => condition.type !== next.type), merged];
}

function markProgressing(before: Status, object: KubeObject): Status {
  const now = new Date().toISOString();
  const generation = object.metadata.generation ?? 1;
  let conditions = before.conditions ?? [];
  conditions = setCondition(
    conditions,
    {
      type: "Reconciling",
      status: "True",
      reason: "Progressing",
      message: "Reconciliation in progress",
      observedGeneration: generation,
    },
    now,
  );
  conditions = setCondition(
    conditions,
    {
      type: "Ready",
      status: "Unknown",
      reason: "Progressing",
      message: "Reconciliation in progress",
      observedGeneration: generation,
    },
    now,
  );
  return { ...before, conditions };
}

interface Outcome {
  status: Status;
  event: { type: "Normal" | "Warning"; reason: string; message: string; revision?: string };
}

function decideOutcome(
  object: KubeObject,
  fluxKind: FluxKind,
  before: Status,
  host: FluxSimulationHost,
  elapsedMs: number,
): Outcome {
  const now = new Date().toISOString();
  const generation = object.metadata.generation ?? 1;
  const annotations = object.metadata.annotations ?? {};
  const requestedAt = annotations[RECONCILE_REQUESTED_AT];
  const status: Status = { ...before, observedGeneration: generation };
  if (requestedAt !== undefined) status.lastHandledReconcileAt = requestedAt;
  if (fluxKind.forceable && requestedAt !== undefined && annotations[RECONCILE_FORCE_AT] === requestedAt) {
    status.lastHandledForceAt = requestedAt;
  }
  if (
    fluxKind.kind === "HelmRelease" &&
    requestedAt !== undefined &&
    annotations[RECONCILE_RESET_AT] === requestedAt
  ) {
    Object.assign(status, {
      lastHandledResetAt: requestedAt,
      failures: 0,
      installFailures: 0,
      upgradeFailures: 0,
    });
  }

  const blocker = findBlocker(object, host);
  const previousReady = findCondition(before, "Ready");
  let conditions = (before.conditions ?? []).filter((condition) => condition.type !== "Reconciling");
  let event: Outcome["event"];
  if (blocker) {
    conditions = setCondition(
      conditions,
      { type: "Ready", status: "False", ...blocker, observedGeneration: generation },
      now,
    );
    event = { type: blocker.reason === "DependencyNotReady" ? "Normal" : "Warning", ...blocker };
  } else if (previousReady?.status === "False") {
    // Failing fixtures stay failing: the controller reaches the same verdict again.
    conditions = (before.conditions ?? []).map((condition) => ({
      ...condition,
      observedGeneration: generation,
    }));
    event = { type: "Warning", reason: previousReady.reason, message: previousReady.message };
  } else {
    const success = successVerdict(object, fluxKind, previousReady, host, elapsedMs);
    conditions = conditions.filter((condition) => condition.type !== "Stalled");
    conditions = setCondition(
      conditions,
      {
        type: "Ready",
        status: "True",
        reason: success.reason,
        message: success.message,
        observedGeneration: generation,
      },
      now,
    );
    if (success.revision && fluxKind.kind === "Kustomization") {
      status.lastAppliedRevision = success.revision;
      status.lastAttemptedRevision = success.revision;
    }
    event = {
      type: "Normal",
      reason: success.reason,
      message: success.eventMessage,
      revision: success.revision,
    };
  }
  status.conditions = conditions.map((condition) =>
    condition.type === "Ready" || condition.type === "Reconciling"
      ? condition
      : { ...condition, observedGeneration: generation },
  );
  return { status, event };
}

interface Blocker {
  reason: string;
  message: string;
}

/** Dependencies that are not ready, or a source that does not exist, stop a reconciliation. */
function findBlocker(object: KubeObject, host: FluxSimulationHost): Blocker | undefined {
  const namespace = object.metadata.namespace ?? "";
  const spec = (object.spec ?? {}) as {
    dependsOn?: { name: string; namespace?: string }[];
    sourceRef?: { kind: string; name: string; namespace?: string; apiVersion?: string };
  };
  for (const dependency of spec.dependsOn ?? []) {
    const dependencyNamespace = dependency.namespace ?? namespace;
    const target = host.get(object.apiVersion, object.kind, dependencyNamespace, dependency.name);
    const ready = target ? findCondition(statusOf(target), "Ready") : undefined;
    if (ready?.status !== "True") {
      return {
        reason: "DependencyNotReady",
        message: `dependency '${dependencyNamespace}/${dependency.name}' is not ready`,
      };
    }
  }
  if (object.kind === "Kustomization" && spec.sourceRef) {
    const ref = spec.sourceRef;
    const source = findSource(host, ref.kind, ref.namespace ?? namespace, ref.name);
    if (!source) {
      return {
        reason: "ArtifactFailed",
        message: `${ref.kind}.source.toolkit.fluxcd.io "${ref.name}" not found`,
      };
    }
  }
  return undefined;
}

function findSource(
  host: FluxSimulationHost,
  kind: string,
  namespace: string,
  name: string,
): KubeObject | undefined {
  const sourceKind = findFluxKind("source.toolkit.fluxcd.io", kind);
  if (!sourceKind) return undefined;
  return host.get(`${sourceKind.group}/${sourceKind.version}`, kind, namespace, name);
}

interface SuccessVerdict {
  reason: string;
  message: string;
  eventMessage: string;
  revision?: string;
}

function successVerdict(
  object: KubeObject,
  fluxKind: FluxKind,
  previousReady: Condition | undefined,
  host: FluxSimulationHost,
  elapsedMs: number,
): SuccessVerdict {
  const spec = (object.spec ?? {}) as {
    interval?: string;
    sourceRef?: { kind: string; name: string; namespace?: string };
  };
  const finished = `Reconciliation finished in ${(elapsedMs / 1000).toFixed(2)}s, next run in ${spec.interval ?? "10m0s"}`;
  const status = statusOf(object);
  if (fluxKind.kind === "Kustomization") {
    const ref = spec.sourceRef;
    const source = ref
      ? findSource(host, ref.kind, ref.namespace ?? object.metadata.namespace ?? "", ref.name)
      : undefined;
    const artifact = source ? (statusOf(source).artifact as { revision?: string } | undefined) : undefined;
    const revision = artifact?.revision ?? (status.lastAppliedRevision as string | undefined);
    return {
      reason: "ReconciliationSucceeded",
      message: `Applied revision: ${revision ?? "unknown"}`,
      eventMessage: finished,
      revision,
    };
  }
  if (fluxKind.controller === "source-controller") {
    const revision = (status.artifact as { revision?: string } | undefined)?.revision;
    if (revision) {
      return {
        reason: previousReady?.reason ?? "Succeeded",
        message: previousReady?.message ?? `stored artifact for revision '${revision}'`,
        eventMessage: `artifact up-to-date with remote revision: '${revision}'`,
        revision,
      };
    }
  }
  if (previousReady)
    return {
      reason: previousReady.reason,
      message: previousReady.message,
      eventMessage: previousReady.message,
    };
  if (fluxKind.kind === "HelmRelease") {
    const message = `Helm install succeeded for release ${object.metadata.namespace}/${object.metadata.name}.v1`;
    return { reason: "InstallSucceeded", message, eventMessage: message };
  }
  return { reason: "ReconciliationSucceeded", message: finished, eventMessage: finished };
}

function buildEvent(object: KubeObject, fluxKind: FluxKind, event: Outcome["event"]): KubeObject {
  const now = new Date().toISOString();
  const annotations: Record<string, string> = {};
  if (event.revision)
    annotations[`${fluxKind.group.split(".")[0]}.toolkit.fluxcd.io/revision`] = event.revision;
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: {
      name: `${object.metadata.name}.${randomBytes(8).toString("hex")}`,
      namespace: object.metadata.namespace,
      ...(event.revision ? { annotations } : {}),
    },
    involvedObject: {
      apiVersion: object.apiVersion,
      kind: object.kind,
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      uid: object.metadata.uid,
      resourceVersion: object.metadata.resourceVersion,
    },
    reason: event.reason,
    message: event.message,
    type: event.type,
    source: { component: fluxKind.controller },
    reportingComponent: fluxKind.controller,
    reportingInstance: `${fluxKind.controller}-0`,
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
  };
}
