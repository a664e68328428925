import { test } from "node:test";
import assert from "node:assert/strict";
import { startFluxSimulation, type FluxSimulationHost } from "../src/flux-controller.ts";
import type { KubeObject } from "../src/types.ts";

const fast = { pickUpDelayMs: 5, workDurationMs: 10, newObjectDelayMs: 30 };

/**
 * A minimal host: a map of objects with resourceVersions and a list of events, notifying on every
 * write; status writes are conditional on the resourceVersion, as the API server's are.
 */
function memoryHost(objects: KubeObject[]) {
  let revision = 0;
  const stamp = (object: KubeObject): KubeObject => ({
    ...object,
    metadata: { ...object.metadata, resourceVersion: String(++revision) },
  });
  const byKey = new Map(objects.map((object) => [keyOf(object), stamp(object)]));
  const events: KubeObject[] = [];
  const listeners = new Set<(object: KubeObject, deleted: boolean) => void>();
  /** A client's write: unconditional, as kubectl apply and replace without resourceVersion are. */
  const write = (object: KubeObject) => {
    const stored = stamp(object);
    byKey.set(keyOf(stored), stored);
    for (const listener of listeners) listener(stored, false);
    return stored;
  };
  const host: FluxSimulationHost = {
    existing: () => [...byKey.values()],
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get: (apiVersion, kind, namespace, name) => byKey.get(`${kind}/${namespace}/${name}`),
    writeStatus(object) {
      const live = byKey.get(keyOf(object));
      if (!live || live.metadata.resourceVersion !== object.metadata.resourceVersion) return undefined;
      return write({ ...live, status: object.status });
    },
    recordEvent: (event) => events.push(event),
  };
  return { host, events, write, read: (key: string) => byKey.get(key) };
}

function keyOf(object: KubeObject) {
  return `${object.kind}/${object.metadata.namespace}/${object.metadata.name}`;
}

function kustomization(name: string, ready: "True" | "False", extra: Partial<KubeObject> = {}): KubeObject {
  return {
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    metadata: { name, namespace: "flux-system", uid: `uid-${name}`, generation: 2 },
    spec: { interval: "10m", sourceRef: { kind: "GitRepository", name: "flux-system" } },
    status: {
      observedGeneration: 2,
      conditions: [
        {
          type: "Ready",
          status: ready,
          reason: ready === "True" ? "ReconciliationSucceeded" : "BuildFailed",
          message: ready === "True" ? "Applied revision: main@sha1:old" : "kustomize build failed: boom",
          lastTransitionTime: "2026-08-20T09:00:00Z",
        },
      ],
    },
    ...extra,
  };
}

const gitRepository: KubeObject = {
  apiVersion: "source.toolkit.fluxcd.io/v1",
  kind: "GitRepository",
  metadata: { name: "flux-system", namespace: "flux-system", uid: "uid-git", generation: 1 },
  spec: { interval: "1m" },
  status: { observedGeneration: 1, artifact: { revision: "main@sha1:new" } },
};

function requestReconcile(object: KubeObject, token: string): KubeObject {
  return {
    ...object,
    metadata: { ...object.metadata, annotations: { "reconcile.fluxcd.io/requestedAt": token } },
  };
}

test("a reconcile request on a healthy Kustomization is handled and applies the source revision", async () => {
  const { host, events, write, read } = memoryHost([kustomization("apps", "True"), gitRepository]);
  const simulation = startFluxSimulation(host, fast);
  write(requestReconcile(read("Kustomization/flux-system/apps")!, "t1"));
  await simulation.idle();
  const status = read("Kustomization/flux-system/apps")!.status as Record<string, unknown>;
  assert.equal(status.lastHandledReconcileAt, "t1");
  assert.equal(status.lastAppliedRevision, "main@sha1:new");
  assert.equal(events.at(-1)?.type, "Normal");
  simulation.stop();
});

test("a failing Kustomization stays failing and emits a warning", async () => {
  const { host, events, write, read } = memoryHost([kustomization("apps", "False"), gitRepository]);
  const simulation = startFluxSimulation(host, fast);
  write(requestReconcile(read("Kustomization/flux-system/apps")!, "t2"));
  await simulation.idle();
  const status = read("Kustomization/flux-system/apps")!.status as {
    conditions: { type: string; reason: string }[];
  };
  assert.equal(status.conditions.find((c) => c.type === "Ready")?.reason, "BuildFailed");
  assert.equal(events.at(-1)?.type, "Warning");
  assert.equal(events.at(-1)?.reason, "BuildFailed");
  simulation.stop();
});

test("a suspended object ignores reconcile requests", async () => {
  const suspended = kustomization("apps", "True", { spec: { suspend: true, interval: "1m" } });
  const { host, events, write, read } = memoryHost([suspended]);
  const simulation = startFluxSimulation(host, fast);
  write(requestReconcile(read("Kustomization/flux-system/apps")!, "t3"));
  await simulation.idle();
  assert.equal(
    (read("Kustomization/flux-system/apps")!.status as Record<string, unknown>).lastHandledReconcileAt,
    undefined,
  );
  assert.equal(events.length, 0);
  simulation.stop();
});

test("a Kustomization whose dependency is not ready is blocked", async () => {
  const blocked = kustomization("configs", "True", {
    spec: {
      interval: "1m",
      dependsOn: [{ name: "apps" }],
      sourceRef: { kind: "GitRepository", name: "flux-system" },
    },
  });
  const { host, write, read } = memoryHost([kustomization("apps", "False"), blocked, gitRepository]);
  const simulation = startFluxSimulation(host, fast);
  write(requestReconcile(read("Kustomization/flux-system/configs")!, "t4"));
  await simulation.idle();
  const status = read("Kustomization/flux-system/configs")!.status as {
    conditions: { type: string; reason: string; message: string }[];
  };
  const ready = status.conditions.find((c) => c.type === "Ready");
  assert.equal(ready?.reason, "DependencyNotReady");
  assert.equal(ready?.message, "dependency 'flux-system/apps' is not ready");
  simulation.stop();
});

function helmRelease(status?: Record<string, unknown>): KubeObject {
  return {
    apiVersion: "helm.toolkit.fluxcd.io/v2",
    kind: "HelmRelease",
    metadata: { name: "stack", namespace: "monitoring", uid: "uid-hr", generation: 1 },
    spec: { interval: "10m", chart: { spec: { chart: "stack" } } },
    ...(status && { status }),
  };
}

const failingUpgrade = {
  observedGeneration: 1,
  upgradeFailures: 3,
  conditions: [
    {
      type: "Ready",
      status: "False",
      reason: "UpgradeFailed",
      message: "Helm upgrade failed: context deadline exceeded",
      lastTransitionTime: "2026-08-20T08:00:00Z",
    },
  ],
};

test("an object created without status, then given one by its creator, is left as loaded", async () => {
  const { host, events, write, read } = memoryHost([]);
  const simulation = startFluxSimulation(host, fast);
  const created = write(helmRelease());
  // Past the pick-up delay, within the time a creator has to write the status.
  await new Promise((resolve) => setTimeout(resolve, fast.pickUpDelayMs + 5));
  write({ ...created, status: failingUpgrade });
  write({ ...read("HelmRelease/monitoring/stack")!, metadata: { ...created.metadata, labels: { a: "b" } } });
  await simulation.idle();
  assert.deepEqual(read("HelmRelease/monitoring/stack")!.status, failingUpgrade);
  assert.deepEqual(events, []);
  simulation.stop();
});

test("with reconcileNewObjects, an object nobody gives a status is reconciled as new once the creator had its time", async () => {
  const { host, events, write, read } = memoryHost([]);
  const simulation = startFluxSimulation(host, { ...fast, reconcileNewObjects: true });
  write(helmRelease());
  await simulation.idle();
  const status = read("HelmRelease/monitoring/stack")!.status as { conditions: { reason: string }[] };
  assert.equal(status.conditions[0]?.reason, "InstallSucceeded");
  assert.equal(events.length, 1);
  simulation.stop();
});

test("by default, an object nobody gives a status is never acted on, not even on a reconcile request", async () => {
  const { host, events, write, read } = memoryHost([]);
  const simulation = startFluxSimulation(host, fast);
  write(helmRelease());
  // Waiting for something not to happen: past every delay the simulation knows.
  await new Promise((resolve) =>
    setTimeout(resolve, fast.newObjectDelayMs + fast.pickUpDelayMs + fast.workDurationMs + 20),
  );
  await simulation.idle();
  assert.equal(read("HelmRelease/monitoring/stack")!.status, undefined);
  write(requestReconcile(read("HelmRelease/monitoring/stack")!, "now"));
  await simulation.idle();
  assert.equal(read("HelmRelease/monitoring/stack")!.status, undefined);
  assert.deepEqual(events, []);
  simulation.stop();
});

test("a reconcile request on a failing HelmRelease keeps the failure and invents no success", async () => {
  const { host, events, write, read } = memoryHost([helmRelease(failingUpgrade)]);
  const simulation = startFluxSimulation(host, fast);
  write(requestReconcile(read("HelmRelease/monitoring/stack")!, "t5"));
  await simulation.idle();
  const status = read("HelmRelease/monitoring/stack")!.status as typeof failingUpgrade & {
    lastHandledReconcileAt: string;
  };
  assert.equal(status.lastHandledReconcileAt, "t5");
  assert.equal(status.upgradeFailures, 3);
  assert.deepEqual(
    status.conditions.map(({ type, status, reason, message, lastTransitionTime }) => ({
      type,
      status,
      reason,
      message,
      lastTransitionTime,
    })),
    failingUpgrade.conditions,
  );
  assert.deepEqual(
    events.map((event) => [event.type, event.reason]),
    [["Warning", "UpgradeFailed"]],
  );
  simulation.stop();
});

test("a status written while the controller works is kept, and the controller records nothing", async () => {
  const { host, events, write, read } = memoryHost([kustomization("apps", "True"), gitRepository]);
  const simulation = startFluxSimulation(host, { ...fast, workDurationMs: 50 });
  write(requestReconcile(read("Kustomization/flux-system/apps")!, "t6"));
  // Wait for the controller to report progress, then write a status of one's own.
  while (
    (read("Kustomization/flux-system/apps")!.status as { conditions: { type: string }[] }).conditions.every(
      (c) => c.type !== "Reconciling",
    )
  ) {
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const theirs = kustomization("apps", "False").status;
  write({ ...read("Kustomization/flux-system/apps")!, status: theirs });
  await simulation.idle();
  assert.deepEqual(read("Kustomization/flux-system/apps")!.status, theirs);
  assert.deepEqual(events, []);
  simulation.stop();
});

test("a request whose annotation does not change, or an object without status, triggers nothing", async () => {
  const pending = requestReconcile(kustomization("apps", "True"), "already-there");
  const { host, events, write, read } = memoryHost([pending, gitRepository]);
  const simulation = startFluxSimulation(host, fast);
  write({
    ...read("Kustomization/flux-system/apps")!,
    metadata: { ...pending.metadata, labels: { x: "y" } },
  });
  await simulation.idle();
  assert.equal((read("Kustomization/flux-system/apps")!.status as Status).lastHandledReconcileAt, undefined);
  assert.deepEqual(events, []);
  simulation.stop();
});

type Status = Record<string, unknown>;
