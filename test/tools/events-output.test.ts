import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../src/kube/types.ts";
import { formatAge } from "../../src/format/durations.ts";
import { byTime, compactEvent, eventLine, formatRef } from "../../src/format/events.ts";

describe("formatAge", () => {
  it("keeps ages short and still ordered", () => {
    assert.equal(formatAge(5_000), "5s");
    assert.equal(formatAge(119_000), "119s");
    assert.equal(formatAge(5 * 60_000), "5m");
    assert.equal(formatAge(119 * 60_000), "119m");
    assert.equal(formatAge(3 * 3_600_000 + 12 * 60_000), "3h12m");
    assert.equal(formatAge(5 * 3_600_000), "5h");
    assert.equal(formatAge(30 * 3_600_000), "30h");
    assert.equal(formatAge(3 * 86_400_000), "3d");
    assert.equal(formatAge(-1_000), "0s");
  });
});

function event(fields: Record<string, unknown>): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: "e", namespace: "flux-system", creationTimestamp: "2026-08-20T09:00:00Z" },
    involvedObject: {
      apiVersion: "kustomize.toolkit.fluxcd.io/v1",
      kind: "Kustomization",
      namespace: "flux-system",
      name: "apps",
    },
    ...fields,
  };
}

describe("compactEvent and eventLine", () => {
  const now = Date.parse("2026-08-20T10:00:00Z");

  it("prints one line: age, type, reason, object, message and the repeat count", () => {
    const compact = compactEvent(
      event({
        type: "Warning",
        reason: "BuildFailed",
        message: "kustomization path not found",
        count: 3,
        lastTimestamp: "2026-08-20T09:55:00Z",
      }),
    );
    assert.equal(
      eventLine(compact, now, { withObject: true }),
      "5m Warning BuildFailed Kustomization/flux-system/apps: kustomization path not found (x3)",
    );
    assert.equal(
      eventLine(compact, now, { withObject: false }),
      "5m Warning BuildFailed: kustomization path not found (x3)",
    );
  });

  it("takes the newest time an event carries: series, lastTimestamp, eventTime, creation", () => {
    const series = compactEvent(
      event({
        series: { count: 7, lastObservedTime: "2026-08-20T09:59:00Z" },
        eventTime: "2026-08-20T09:10:00Z",
      }),
    );
    assert.equal(series.time, Date.parse("2026-08-20T09:59:00Z"));
    assert.equal(series.count, 7);
    const micro = compactEvent(event({ eventTime: "2026-08-20T09:10:00.123456Z", lastTimestamp: null }));
    assert.equal(micro.time, Date.parse("2026-08-20T09:10:00.123Z"));
    assert.equal(compactEvent(event({})).time, Date.parse("2026-08-20T09:00:00Z"));
  });

  it("indents the continuation lines of a multi-line message", () => {
    const compact = compactEvent(
      event({ reason: "HealthCheckFailed", message: "timeout:\nDeployment/a/b\n" }),
    );
    assert.equal(
      eventLine(compact, now, { withObject: false }),
      "60m Normal HealthCheckFailed: timeout:\n    Deployment/a/b",
    );
  });

  it("orders oldest first", () => {
    const times = ["2026-08-20T09:30:00Z", "2026-08-20T09:10:00Z", "2026-08-20T09:50:00Z"];
    const sorted = byTime(times.map((lastTimestamp) => compactEvent(event({ lastTimestamp }))));
    assert.deepEqual(
      sorted.map((compact) => new Date(compact.time).toISOString()),
      ["2026-08-20T09:10:00.000Z", "2026-08-20T09:30:00.000Z", "2026-08-20T09:50:00.000Z"],
    );
  });

  it("names cluster-scoped objects without a namespace", () => {
    assert.equal(formatRef({ kind: "Node", name: "worker-1" }), "Node/worker-1");
    assert.equal(formatRef({ kind: "Pod", namespace: "a", name: "b" }), "Pod/a/b");
  });
});
