import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { blockingDependency, isFailure, readinessOf } from "../../src/flux/readiness.ts";
import type { KubeObject } from "../../src/kube/types.ts";

function flux(
  kind: string,
  apiVersion: string,
  options: {
    conditions?: Record<string, unknown>[];
    generation?: number;
    observedGeneration?: number;
    spec?: Record<string, unknown>;
    annotations?: Record<string, string>;
    deleting?: boolean;
    noStatus?: boolean;
  } = {},
): KubeObject {
  return {
    apiVersion,
    kind,
    metadata: {
      name: "x",
      namespace: "flux-system",
      generation: options.generation ?? 2,
      ...(options.annotations && { annotations: options.annotations }),
      ...(options.deleting && { deletionTimestamp: "2026-08-20T09:00:00Z" }),
    },
    spec: options.spec ?? {},
    ...(!options.noStatus && {
      status: {
        observedGeneration: options.observedGeneration ?? options.generation ?? 2,
        conditions: options.conditions ?? [],
      },
    }),
  };
}

const ks = (options: Parameters<typeof flux>[2]) =>
  flux("Kustomization", "kustomize.toolkit.fluxcd.io/v1", options);
const ready = (status: string, reason: string, message = `${reason} message`, extra = {}) => ({
  type: "Ready",
  status,
  reason,
  message,
  lastTransitionTime: "2026-08-20T09:41:08Z",
  ...extra,
});

describe("readinessOf", () => {
  it("is ready with the Ready reason and the time it became so", () => {
    const readiness = readinessOf(
      ks({ conditions: [ready("True", "ReconciliationSucceeded", "Applied revision: main@sha1:abc")] }),
    );
    assert.deepEqual(readiness, {
      state: "ready",
      ready: "True",
      reason: "ReconciliationSucceeded",
      message: "Applied revision: main@sha1:abc",
      since: "2026-08-20T09:41:08Z",
    });
  });

  it("calls a stalled HelmRelease stalled, with the Stalled reason and the failed release as cause", () => {
    const release = flux("HelmRelease", "helm.toolkit.fluxcd.io/v2", {
      conditions: [
        ready("False", "RollbackSucceeded", "Helm rollback to previous release monitoring/kps.v8 succeeded"),
        {
          type: "Released",
          status: "False",
          reason: "UpgradeFailed",
          message: "Helm upgrade failed: field is immutable",
        },
        { type: "Remediated", status: "True", reason: "RollbackSucceeded", message: "rollback" },
        {
          type: "Stalled",
          status: "True",
          reason: "RetriesExceeded",
          message: "Failed to upgrade after 2 attempt(s)",
        },
      ],
    });
    const readiness = readinessOf(release);
    assert.equal(readiness.state, "stalled");
    assert.equal(readiness.reason, "RetriesExceeded");
    assert.equal(readiness.message, "Failed to upgrade after 2 attempt(s)");
    assert.equal(readiness.cause, "Released UpgradeFailed: Helm upgrade failed: field is immutable");
    assert.ok(isFailure(readiness));
  });

  it("calls a failure that will be retried failing, and names no cause the headline already gives", () => {
    const readiness = readinessOf(
      ks({
        conditions: [
          { type: "Reconciling", status: "True", reason: "ProgressingWithRetry", message: "retrying" },
          ready("False", "HealthCheckFailed", "health check failed"),
          { type: "Healthy", status: "False", reason: "HealthCheckFailed", message: "health check failed" },
        ],
      }),
    );
    assert.equal(readiness.state, "failing");
    assert.equal(readiness.reason, "HealthCheckFailed");
    assert.equal(readiness.cause, undefined);
  });

  it("calls DependencyNotReady blocked, not failing", () => {
    const readiness = readinessOf(
      ks({
        conditions: [
          ready("False", "DependencyNotReady", "dependency 'flux-system/monitoring' is not ready"),
        ],
      }),
    );
    assert.equal(readiness.state, "blocked");
    assert.equal(isFailure(readiness), false);
    assert.deepEqual(blockingDependency(readiness.message), { namespace: "flux-system", name: "monitoring" });
  });

  it("keeps a suspended object's last verdict", () => {
    const readiness = readinessOf(
      ks({ spec: { suspend: true }, conditions: [ready("True", "ReconciliationSucceeded")] }),
    );
    assert.equal(readiness.state, "suspended");
    assert.equal(readiness.ready, "True");
  });

  it("reads suspension of Flux Operator kinds from their annotation, not spec.suspend", () => {
    const instance = (annotations: Record<string, string>) =>
      flux("FluxInstance", "fluxcd.controlplane.io/v1", {
        annotations,
        spec: { suspend: true },
        conditions: [ready("True", "ReconciliationSucceeded")],
      });
    assert.equal(
      readinessOf(instance({ "fluxcd.controlplane.io/reconcile": "disabled" })).state,
      "suspended",
    );
    assert.equal(readinessOf(instance({})).state, "ready");
  });

  it("treats kinds without status and OCI HelmRepositories as static", () => {
    const alert = flux("Alert", "notification.toolkit.fluxcd.io/v1beta3", { noStatus: true });
    assert.deepEqual(readinessOf(alert), { state: "static" });
    const oci = flux("HelmRepository", "source.toolkit.fluxcd.io/v1", {
      spec: { type: "oci" },
      noStatus: true,
    });
    assert.equal(readinessOf(oci).state, "static");
  });

  it("is pending before the first reconciliation", () => {
    assert.equal(readinessOf(ks({ conditions: [] })).state, "pending");
    assert.equal(
      readinessOf(ks({ observedGeneration: -1, conditions: [ready("Unknown", "Progressing")] })).state,
      "pending",
    );
  });

  it("is progressing while reconciling, and when the latest generation is not reconciled yet", () => {
    assert.equal(readinessOf(ks({ conditions: [ready("Unknown", "Progressing")] })).state, "progressing");
    const stale = readinessOf(
      ks({ generation: 5, observedGeneration: 4, conditions: [ready("True", "ReconciliationSucceeded")] }),
    );
    assert.equal(stale.state, "progressing");
    assert.match(stale.message ?? "", /generation 5 not reconciled yet \(last reconciled: 4\)/);
    const conditionBehind = readinessOf(
      ks({
        generation: 5,
        observedGeneration: 5,
        conditions: [ready("True", "ReconciliationSucceeded", "ok", { observedGeneration: 4 })],
      }),
    );
    assert.equal(conditionBehind.state, "progressing");
  });

  it("puts deletion first", () => {
    assert.equal(
      readinessOf(ks({ deleting: true, spec: { suspend: true }, conditions: [] })).state,
      "terminating",
    );
  });
});

describe("blockingDependency", () => {
  it("reads the other dependency messages too", () => {
    assert.deepEqual(blockingDependency("dependency 'apps/redis' revision is not up to date"), {
      namespace: "apps",
      name: "redis",
    });
    assert.equal(blockingDependency("something else"), undefined);
    assert.equal(blockingDependency(undefined), undefined);
  });
});
