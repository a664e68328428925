import { test } from "node:test";
import assert from "node:assert/strict";
import { startFluxSimulation, type FluxSimulationHost } from "../../src/apiserver/flux-controller.ts";
import type { KubeObject } from "../../src/apiserver/types.ts";

const fast = { pickUpDelayMs: 5, workDurationMs: 10 };

/** A minimal host: a map of objects and a list of events, notifying on every write. */
function memoryHost(objects: KubeObject[]) {
  const byKey = new Map(objects.map((object) => [keyOf(object), object]));
  const events: KubeObject[] = [];
  const listeners = new Set<(object: KubeObject) => void>();
  const host: FluxSimulationHost = {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get: (apiVersion, kind, namespace, name) => byKey.get(`${kind}/${namespace}/${name}`),
    writeStatus(object) {
      byKey.set(keyOf(object), object);
      for (const listener of listeners) listener(object);
    },
    recordEvent: (event) => events.push(event),
  };
  const write = (object: KubeObject) => host.writeStatus(object);
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
