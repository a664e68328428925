import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { toCoreEvent, toEventsV1 } from "../src/event-versions.ts";
import type { KubeObject } from "../src/types.ts";

const metadata = {
  name: "source-controller-7d9f.17e9a1b2c3d4",
  namespace: "flux-system",
  uid: "5c1d2e3f-0000-4000-8000-000000000001",
  resourceVersion: "4711",
  creationTimestamp: "2026-08-20T09:58:01Z",
};

const pod = {
  apiVersion: "v1",
  kind: "Pod",
  name: "source-controller-7d9f",
  namespace: "flux-system",
  uid: "6a7b8c9d-0000-4000-8000-000000000002",
  resourceVersion: "4700",
  fieldPath: "spec.containers{manager}",
};

/** A kubelet event as kube-apiserver serves it from core/v1. */
const kubeletEvent: KubeObject = {
  apiVersion: "v1",
  kind: "Event",
  metadata,
  involvedObject: pod,
  reason: "BackOff",
  message: "Back-off restarting failed container manager",
  source: { component: "kubelet", host: "node-1" },
  firstTimestamp: "2026-08-20T09:58:01Z",
  lastTimestamp: "2026-08-20T09:59:41Z",
  count: 6,
  type: "Warning",
  eventTime: null,
  reportingComponent: "kubelet",
  reportingInstance: "node-1",
};

const { fieldPath: _fieldPath, ...wholePod } = pod;

/** A scheduler event as kube-apiserver serves it from events.k8s.io/v1. */
const schedulerEvent: KubeObject = {
  apiVersion: "events.k8s.io/v1",
  kind: "Event",
  metadata,
  eventTime: "2026-08-20T09:58:00.512345Z",
  series: { count: 2, lastObservedTime: "2026-08-20T09:58:10.000001Z" },
  reportingController: "default-scheduler",
  reportingInstance: "default-scheduler-control-plane",
  action: "Scheduling",
  reason: "Scheduled",
  regarding: wholePod,
  related: { apiVersion: "v1", kind: "Node", name: "node-1" },
  note: "Successfully assigned flux-system/source-controller-7d9f to node-1",
  type: "Normal",
  deprecatedSource: {},
  deprecatedFirstTimestamp: null,
  deprecatedLastTimestamp: null,
};

describe("toEventsV1", () => {
  test("maps every core/v1 field onto its events.k8s.io/v1 name", () => {
    assert.deepEqual(toEventsV1(kubeletEvent), {
      apiVersion: "events.k8s.io/v1",
      kind: "Event",
      metadata,
      eventTime: null,
      reportingController: "kubelet",
      reportingInstance: "node-1",
      reason: "BackOff",
      regarding: pod,
      note: "Back-off restarting failed container manager",
      type: "Warning",
      deprecatedSource: { component: "kubelet", host: "node-1" },
      deprecatedFirstTimestamp: "2026-08-20T09:58:01Z",
      deprecatedLastTimestamp: "2026-08-20T09:59:41Z",
      deprecatedCount: 6,
    });
  });

  test("writes what Go always writes and leaves out what it omits when empty", () => {
    const sparse: KubeObject = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: "e", namespace: "default" },
      reportingComponent: "",
      count: 0,
      message: "",
    };
    assert.deepEqual(toEventsV1(sparse), {
      apiVersion: "events.k8s.io/v1",
      kind: "Event",
      metadata: { name: "e", namespace: "default" },
      eventTime: null,
      regarding: {},
      deprecatedSource: {},
      deprecatedFirstTimestamp: null,
      deprecatedLastTimestamp: null,
    });
  });

  test("copies, never shares, nested values", () => {
    const converted = toEventsV1(kubeletEvent);
    (converted.regarding as Record<string, unknown>).name = "changed";
    converted.metadata.name = "changed";
    assert.equal(pod.name, "source-controller-7d9f");
    assert.equal(kubeletEvent.metadata.name, metadata.name);
  });
});

describe("toCoreEvent", () => {
  test("maps every events.k8s.io/v1 field onto its core/v1 name", () => {
    assert.deepEqual(toCoreEvent(schedulerEvent), {
      apiVersion: "v1",
      kind: "Event",
      metadata,
      involvedObject: wholePod,
      reason: "Scheduled",
      message: "Successfully assigned flux-system/source-controller-7d9f to node-1",
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
      type: "Normal",
      eventTime: "2026-08-20T09:58:00.512345Z",
      series: { count: 2, lastObservedTime: "2026-08-20T09:58:10.000001Z" },
      action: "Scheduling",
      related: { apiVersion: "v1", kind: "Node", name: "node-1" },
      reportingComponent: "default-scheduler",
      reportingInstance: "default-scheduler-control-plane",
    });
  });

  test("always writes reportingComponent and reportingInstance, as core/v1 does", () => {
    const minimal: KubeObject = { apiVersion: "events.k8s.io/v1", kind: "Event", metadata: { name: "e" } };
    const core = toCoreEvent(minimal);
    assert.equal(core.reportingComponent, "");
    assert.equal(core.reportingInstance, "");
    assert.equal(core.eventTime, null);
    assert.deepEqual(core.involvedObject, {});
    assert.equal("count" in core, false);
  });
});

describe("round trips", () => {
  test("core/v1 → events.k8s.io/v1 → core/v1 is lossless", () => {
    assert.deepEqual(toCoreEvent(toEventsV1(kubeletEvent)), kubeletEvent);
  });

  test("events.k8s.io/v1 → core/v1 → events.k8s.io/v1 is lossless", () => {
    assert.deepEqual(toEventsV1(toCoreEvent(schedulerEvent)), schedulerEvent);
  });

  test("a hand-written event settles after one conversion", () => {
    const handWritten: KubeObject = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: "apps.1", namespace: "flux-system" },
      involvedObject: { kind: "Kustomization", name: "apps", namespace: "flux-system" },
      reason: "ReconciliationSucceeded",
      message: "Reconciliation finished",
      type: "Normal",
      source: { component: "kustomize-controller" },
    };
    const settled = toCoreEvent(toEventsV1(handWritten));
    assert.deepEqual(settled, {
      ...handWritten,
      firstTimestamp: null,
      lastTimestamp: null,
      eventTime: null,
      reportingComponent: "",
      reportingInstance: "",
    });
    assert.deepEqual(toCoreEvent(toEventsV1(settled)), settled);
  });
});
