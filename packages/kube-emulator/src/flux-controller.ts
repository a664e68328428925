// A small stand-in for the Flux controllers, so that tools which annotate and wait can be tested end
// to end. It acts as they do on two triggers only: an explicit reconcile request (the
// reconcile.fluxcd.io/requestedAt annotation changing) and a spec change (generation bump) of an
// object whose status it has already seen. An object created without status is left alone, since
// that is how kubectl users load a cluster (objects first, then their status through the status
// subresource); only a simulation told that the controllers run and own new objects
// (reconcileNewObjects, as in a demo fleet) reconciles one as new when no status arrives in time.
// Its writes are conditional on the resourceVersion it read, as a real controller's are: a status
// written by someone else meanwhile is never overwritten, and nothing is recorded then. It keeps the
// outcome an object had (a failing object keeps failing, a healthy one stays healthy) and invents no
// success it has no basis for.
import { randomBytes } from "node:crypto";
import {
  ANNOTATION_FORCE_AT,
  ANNOTATION_REQUESTED_AT,
  ANNOTATION_RESET_AT,
  SOURCE_API_VERSION,
  isPaused,
  reconciledKind,
  type ReconciledKind,
} from "./flux-api.ts";
import type { KubeObject } from "./types.ts";

/** What the simulation needs from the API server it lives in. */
export interface FluxSimulationHost {
  /** Every stored object of the cluster at the time the simulation starts. */
  existing(): KubeObject[];
  /** Calls the listener with the stored object after every write; returns an unsubscribe. */
  subscribe(listener: (object: KubeObject, deleted: boolean) => void): () => void;
  get(apiVersion: string, kind: string, namespace: string, name: string): KubeObject | undefined;
  /**
   * Writes the object's status through the status subresource, on condition that the object is
   * still at the object's metadata.resourceVersion; returns the stored object, or undefined on a
   * conflict (the object changed since it was read).
   */
  writeStatus(object: KubeObject): KubeObject | undefined;
  /** Stores a core/v1 Event. */
  recordEvent(event: KubeObject): void;
}

export interface FluxSimulationOptions {
  /** Delay before the controller picks a request up and reports progress. */
  pickUpDelayMs: number;
  /** Delay between progress and the outcome. */
  workDurationMs: number;
  /** With reconcileNewObjects: how long an object created without status is left to its creator to write one. */
  newObjectDelayMs: number;
  /**
   * Whether the controllers act on a new object nobody gives a status (after newObjectDelayMs), as
   * they do in a cluster where they run (a demo fleet, whose Flux Operator installs a new
   * FluxInstance). Default false: the double never acts on an object a client may still be loading.
   */
  reconcileNewObjects?: boolean;
}

export const DEFAULT_SIMULATION_TIMING: FluxSimulationOptions = {
  pickUpDelayMs: 150,
  workDurationMs: 600,
  newObjectDelayMs: 5000,
};

export interface FluxSimulation {
  stop(): void;
  /** Resolves once no reconciliation is pending, waiting or running. */
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

/** What the controller remembers of an object from the last write it saw. */
interface Observed {
  statusSeen: boolean;
  requestedAt: string | undefined;
  generation: number;
}

export function startFluxSimulation(
  host: FluxSimulationHost,
  timing: FluxSimulationOptions = DEFAULT_SIMULATION_TIMING,
): FluxSimulation {
  return new FluxControllerSimulation(host, timing);
}

class FluxControllerSimulation implements FluxSimulation {
  readonly #host: FluxSimulationHost;
  readonly #timing: FluxSimulationOptions;
  readonly #observed = new Map<string, Observed>();
  /** Objects with work queued, waiting or running, by uid. */
  readonly #busy = new Set<string>();
  /** Objects that got a new trigger while busy: they are reconciled again afterwards. */
  readonly #retrigger = new Set<string>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #unsubscribe: () => void;
  #idleWaiters: (() => void)[] = [];
  #stopped = false;

  constructor(host: FluxSimulationHost, timing: FluxSimulationOptions) {
    this.#host = host;
    this.#timing = timing;
    for (const object of host.existing()) {
      if (reconciledKind(object.apiVersion, object.kind)) this.#observed.set(uidOf(object), observe(object));
    }
    this.#unsubscribe = host.subscribe((object, deleted) => {
      if (deleted) this.#observed.delete(uidOf(object));
      else this.#onWrite(object);
    });
  }

  stop(): void {
    this.#stopped = true;
    this.#unsubscribe();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#busy.clear();
    this.#retrigger.clear();
    this.#notifyIdle();
  }

  idle(): Promise<void> {
    if (this.#busy.size === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
  }

  #onWrite(object: KubeObject): void {
    if (this.#stopped || !reconciledKind(object.apiVersion, object.kind)) return;
    const uid = uidOf(object);
    const previous = this.#observed.get(uid);
    const current = observe(object);
    this.#observed.set(uid, {
      ...current,
      statusSeen: current.statusSeen || (previous?.statusSeen ?? false),
    });
    if (!previous) {
      if (!current.statusSeen && this.#timing.reconcileNewObjects) this.#waitForLoadedStatus(object);
      return;
    }
    if (!previous.statusSeen) return;
    const requested = current.requestedAt !== undefined && current.requestedAt !== previous.requestedAt;
    if (requested || current.generation > previous.generation) this.#enqueue(object);
  }

  /** A new object without status: reconciled as new only if its creator writes no status meanwhile. */
  #waitForLoadedStatus(object: KubeObject): void {
    const uid = uidOf(object);
    this.#busy.add(uid);
    this.#later(this.#timing.newObjectDelayMs, () => {
      this.#busy.delete(uid);
      const current = this.#reread(object);
      if (current && current.metadata.uid === uid && !hasStatus(current)) this.#enqueue(current);
      else this.#notifyIdle();
    });
  }

  #enqueue(object: KubeObject): void {
    const uid = uidOf(object);
    if (this.#busy.has(uid)) {
      this.#retrigger.add(uid);
      return;
    }
    this.#busy.add(uid);
    this.#later(this.#timing.pickUpDelayMs, () => this.#pickUp(object));
  }

  #pickUp(object: KubeObject): void {
    const current = this.#reread(object);
    const kind = reconciledKind(object.apiVersion, object.kind);
    if (!current || !kind || current.metadata.deletionTimestamp || isPaused(current, kind)) {
      return this.#finish(object);
    }
    const startedAt = Date.now();
    const before = statusOf(current);
    const inProgress = this.#host.writeStatus(withStatus(current, markProgressing(before, current)));
    if (!inProgress) return this.#finish(object);
    this.#later(this.#timing.workDurationMs, () => {
      const latest = this.#reread(object);
      if (latest && latest.metadata.resourceVersion !== inProgress.metadata.resourceVersion) {
        // Someone wrote meanwhile: the commit would conflict. A status written by someone else is
        // theirs to keep; any other change is retried, as a controller requeues after a conflict.
        if (!sameJson(latest.status, inProgress.status)) return this.#finish(object);
        this.#retrigger.add(uidOf(object));
        return this.#finish(object);
      }
      if (latest) {
        const outcome = decideOutcome(latest, kind, before, this.#host, Date.now() - startedAt);
        const committed = this.#host.writeStatus(withStatus(latest, outcome.status));
        if (committed && outcome.event) this.#host.recordEvent(buildEvent(committed, kind, outcome.event));
      }
      this.#finish(object);
    });
  }

  #finish(object: KubeObject): void {
    const uid = uidOf(object);
    this.#busy.delete(uid);
    if (this.#retrigger.delete(uid)) {
      const current = this.#reread(object);
      if (current) this.#enqueue(current);
    }
    this.#notifyIdle();
  }

  #notifyIdle(): void {
    if (this.#busy.size > 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  #later(delayMs: number, work: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (!this.#stopped) work();
    }, delayMs);
    this.#timers.add(timer);
  }

  #reread(object: KubeObject): KubeObject | undefined {
    const { namespace = "", name = "" } = object.metadata;
    return this.#host.get(object.apiVersion, object.kind, namespace, name);
  }
}

function uidOf(object: KubeObject): string {
  return object.metadata.uid ?? `${object.kind}/${object.metadata.namespace}/${object.metadata.name}`;
}

function observe(object: KubeObject): Observed {
  return {
    statusSeen: hasStatus(object),
    requestedAt: object.metadata.annotations?.[ANNOTATION_REQUESTED_AT],
    generation: object.metadata.generation ?? 1,
  };
}

function hasStatus(object: KubeObject): boolean {
  const status = object.status;
  return typeof status === "object" && status !== null && Object.keys(status).length > 0;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function statusOf(object: KubeObject): Status {
  const status = object.status;
  return status && typeof status === "object" ? structuredClone(status as Status) : {};
}

function withStatus(object: KubeObject, status: Status): KubeObject {
  return { ...object, status };
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
  const progressing = { status: "Unknown" as const, reason: "Progressing", observedGeneration: generation };
  let conditions = before.conditions ?? [];
  conditions = setCondition(
    conditions,
    { type: "Reconciling", ...progressing, status: "True", message: "Reconciliation in progress" },
    now,
  );
  conditions = setCondition(
    conditions,
    { type: "Ready", ...progressing, message: "Reconciliation in progress" },
    now,
  );
  return { ...before, conditions };
}

interface EventRecord {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
  revision?: string;
}

interface Outcome {
  status: Status;
  /** Undefined when the controller has nothing it could truthfully report. */
  event?: EventRecord;
}

function decideOutcome(
  object: KubeObject,
  kind: ReconciledKind,
  before: Status,
  host: FluxSimulationHost,
  elapsedMs: number,
): Outcome {
  const now = new Date().toISOString();
  const generation = object.metadata.generation ?? 1;
  const annotations = object.metadata.annotations ?? {};
  const requestedAt = annotations[ANNOTATION_REQUESTED_AT];
  const status: Status = { ...before, observedGeneration: generation };
  if (requestedAt !== undefined) status.lastHandledReconcileAt = requestedAt;
  if (kind.honoursForceAt && requestedAt !== undefined && annotations[ANNOTATION_FORCE_AT] === requestedAt) {
    status.lastHandledForceAt = requestedAt;
  }
  if (kind.honoursResetAt && requestedAt !== undefined && annotations[ANNOTATION_RESET_AT] === requestedAt) {
    Object.assign(status, {
      lastHandledResetAt: requestedAt,
      failures: 0,
      installFailures: 0,
      upgradeFailures: 0,
    });
  }
  const withGeneration = (conditions: Condition[]) =>
    conditions.map((condition) => ({ ...condition, observedGeneration: generation }));

  const blocker = findBlocker(object, host);
  if (blocker) {
    const conditions = (before.conditions ?? []).filter((condition) => condition.type !== "Reconciling");
    status.conditions = withGeneration(
      setCondition(conditions, { type: "Ready", status: "False", ...blocker }, now),
    );
    return {
      status,
      event: { type: blocker.reason === "DependencyNotReady" ? "Normal" : "Warning", ...blocker },
    };
  }

  const previousReady = findCondition(before, "Ready");
  if (previousReady) {
    // The outcome the object had is the only basis there is: a failing object fails the same way
    // again, a healthy one stays healthy, one in an unknown state stays unknown (and says nothing).
    status.conditions = withGeneration(before.conditions ?? []);
    if (previousReady.status === "Unknown") return { status };
    if (previousReady.status === "False") {
      return {
        status,
        event: { type: "Warning", reason: previousReady.reason, message: previousReady.message },
      };
    }
    return { status, event: healthyEvent(object, kind, previousReady, status, host, elapsedMs) };
  }
  if (Object.keys(before).length > 0) {
    // A status without a Ready condition: nothing to go on.
    return { status };
  }
  return firstReconciliation(object, kind, status, host, elapsedMs, now);
}

/**
 * The event of a healthy object reconciled again with nothing to change, or none: kustomize-controller
 * and the Flux Operator report every finished reconciliation, while source-controller (no new
 * revision) and helm-controller (release in sync) only log it.
 */
function healthyEvent(
  object: KubeObject,
  kind: ReconciledKind,
  ready: Condition,
  status: Status,
  host: FluxSimulationHost,
  elapsedMs: number,
): EventRecord | undefined {
  if (object.kind === "Kustomization") {
    const revision = sourceRevision(object, host) ?? (status.lastAppliedRevision as string | undefined);
    if (revision !== undefined) {
      status.lastAppliedRevision = revision;
      status.lastAttemptedRevision = revision;
      status.conditions = setCondition(
        status.conditions ?? [],
        { ...ready, observedGeneration: status.observedGeneration, message: `Applied revision: ${revision}` },
        ready.lastTransitionTime ?? new Date().toISOString(),
      );
    }
    return {
      type: "Normal",
      reason: "ReconciliationSucceeded",
      message: finishedMessage(object, elapsedMs),
      ...(revision !== undefined && { revision }),
    };
  }
  if (kind.controller === "flux-operator" && object.kind !== "FluxReport") {
    return { type: "Normal", reason: "ReconciliationSucceeded", message: finishedMessage(object, elapsedMs) };
  }
  return undefined;
}

/** An object nobody wrote a status for: the controller's first reconciliation of it. */
function firstReconciliation(
  object: KubeObject,
  kind: ReconciledKind,
  status: Status,
  host: FluxSimulationHost,
  elapsedMs: number,
  now: string,
): Outcome {
  let reason = "ReconciliationSucceeded";
  let message = finishedMessage(object, elapsedMs);
  let revision: string | undefined;
  if (object.kind === "Kustomization") {
    revision = sourceRevision(object, host);
    if (revision === undefined) {
      const failure = { reason: "ArtifactFailed", message: "Source artifact not found, retrying in 30s" };
      status.conditions = [
        {
          type: "Ready",
          status: "False",
          ...failure,
          observedGeneration: status.observedGeneration,
          lastTransitionTime: now,
        },
      ];
      return { status, event: { type: "Warning", ...failure } };
    }
    status.lastAppliedRevision = revision;
    status.lastAttemptedRevision = revision;
    message = `Applied revision: ${revision}`;
  } else if (object.kind === "HelmRelease") {
    reason = "InstallSucceeded";
    message = `Helm install succeeded for release ${object.metadata.namespace}/${object.metadata.name}.v1`;
  }
  status.conditions = [
    {
      type: "Ready",
      status: "True",
      reason,
      message,
      observedGeneration: status.observedGeneration,
      lastTransitionTime: now,
    },
  ];
  const eventMessage = object.kind === "Kustomization" ? finishedMessage(object, elapsedMs) : message;
  return {
    status,
    event: { type: "Normal", reason, message: eventMessage, ...(revision !== undefined && { revision }) },
  };
}

function finishedMessage(object: KubeObject, elapsedMs: number): string {
  const interval = (object.spec as { interval?: string } | undefined)?.interval ?? "10m0s";
  return `Reconciliation finished in ${(elapsedMs / 1000).toFixed(2)}s, next run in ${interval}`;
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
    sourceRef?: { kind: string; name: string; namespace?: string };
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
    if (!host.get(SOURCE_API_VERSION, ref.kind, ref.namespace ?? namespace, ref.name)) {
      return {
        reason: "ArtifactFailed",
        message: `${ref.kind}.source.toolkit.fluxcd.io "${ref.name}" not found`,
      };
    }
  }
  return undefined;
}

/** The revision of the artifact a Kustomization's source holds, if it holds one. */
function sourceRevision(object: KubeObject, host: FluxSimulationHost): string | undefined {
  const ref = (object.spec as { sourceRef?: { kind: string; name: string; namespace?: string } } | undefined)
    ?.sourceRef;
  if (!ref) return undefined;
  const source = host.get(
    SOURCE_API_VERSION,
    ref.kind,
    ref.namespace ?? object.metadata.namespace ?? "",
    ref.name,
  );
  const artifact = source ? (statusOf(source).artifact as { revision?: string } | undefined) : undefined;
  return artifact?.revision;
}

function buildEvent(object: KubeObject, kind: ReconciledKind, event: EventRecord): KubeObject {
  const now = new Date().toISOString();
  const group = object.apiVersion.split("/")[0] ?? "";
  const annotations: Record<string, string> = {};
  if (event.revision) annotations[`${group.split(".")[0]}.toolkit.fluxcd.io/revision`] = event.revision;
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
    source: { component: kind.controller },
    reportingComponent: kind.controller,
    reportingInstance: `${kind.controller}-0`,
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
  };
}
