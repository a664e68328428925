// The Flux rules the operation tools rely on (src/flux: reconcile progress, source lookup,
// suspension, managers), checked on hand-made objects.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findFluxKind } from "../../../src/flux/kinds.ts";
import { fluxManagersOf } from "../../../src/flux/managed-by.ts";
import { generationProgress, reconcileProgress, revisionsOf } from "../../../src/flux/reconcile.ts";
import { sourceOf } from "../../../src/flux/reconcile-sources.ts";
import { isSuspended, resumePatch, suspendPatch } from "../../../src/flux/suspend.ts";
import type { KubeObject } from "../../../src/kube/types.ts";

function object(
  kind: string,
  fields: Partial<KubeObject> = {},
  metadata: KubeObject["metadata"] = {},
): KubeObject {
  return { apiVersion: "x/v1", kind, metadata: { name: "app", namespace: "team", ...metadata }, ...fields };
}

const condition = (type: string, status: string, reason = "", message = "") => ({
  type,
  status,
  reason,
  message,
});

describe("reconcile progress", () => {
  const handled = (conditions: unknown[]) =>
    object("Kustomization", { status: { lastHandledReconcileAt: "t1", conditions } });

  it("is pending until lastHandledReconcileAt carries the token", () => {
    assert.deepEqual(reconcileProgress(handled([condition("Ready", "True")]), "t2"), { state: "pending" });
  });

  it("is done when Ready is True, or False without a running attempt", () => {
    const ready = reconcileProgress(
      handled([condition("Ready", "True", "ReconciliationSucceeded", "ok")]),
      "t1",
    );
    assert.deepEqual(ready, { state: "done", ready: true, reason: "ReconciliationSucceeded", message: "ok" });
    const retrying = reconcileProgress(
      handled([
        condition("Ready", "False", "BuildFailed", "x"),
        condition("Reconciling", "True", "ProgressingWithRetry"),
      ]),
      "t1",
    );
    assert.equal(retrying.state === "done" && retrying.ready, false);
  });

  it("is running while Reconciling is True with Progressing", () => {
    const running = reconcileProgress(
      handled([
        condition("Ready", "Unknown", "Progressing", "busy"),
        condition("Reconciling", "True", "Progressing"),
      ]),
      "t1",
    );
    assert.deepEqual(running, { state: "running", reason: "Progressing", message: "busy" });
  });

  it("is a failure when Stalled", () => {
    const stalled = reconcileProgress(
      handled([
        condition("Ready", "Unknown", "Progressing"),
        condition("Stalled", "True", "RetriesExceeded", "gave up"),
      ]),
      "t1",
    );
    assert.equal(stalled.state === "done" && stalled.stalled?.reason, "RetriesExceeded");
  });

  it("waits for a spec change until observedGeneration reaches the generation", () => {
    const changed = object(
      "FluxInstance",
      { status: { observedGeneration: 1, conditions: [condition("Ready", "True")] } },
      { generation: 2 },
    );
    assert.deepEqual(generationProgress(changed), { state: "pending" });
  });

  it("reads revisions from applied revision, artifact or Helm history", () => {
    assert.deepEqual(
      revisionsOf(
        object("Kustomization", { status: { lastAppliedRevision: "a", lastAttemptedRevision: "b" } }),
      ),
      {
        current: "a",
        attempted: "b",
      },
    );
    assert.deepEqual(
      revisionsOf(object("GitRepository", { status: { artifact: { revision: "main@sha1:1" } } })),
      {
        current: "main@sha1:1",
      },
    );
    assert.deepEqual(
      revisionsOf(object("HelmRelease", { status: { history: [{ chartVersion: "1.2.3" }] } })),
      {
        current: "1.2.3",
      },
    );
  });
});

describe("sourceOf", () => {
  it("follows spec.chartRef before anything else, defaulting to the object's namespace", () => {
    const lookup = sourceOf(
      object("HelmRelease", { spec: { chartRef: { kind: "OCIRepository", name: "chart" } } }),
    );
    assert.ok("found" in lookup);
    assert.deepEqual(
      [lookup.found.fluxKind.kind, lookup.found.namespace, lookup.found.name],
      ["OCIRepository", "team", "chart"],
    );
  });

  it("names the generated HelmChart <namespace>-<name> in the namespace of the chart's source", () => {
    const release = object("HelmRelease", {
      spec: {
        chart: {
          spec: {
            chart: "nginx",
            sourceRef: { kind: "HelmRepository", name: "repo", namespace: "flux-system" },
          },
        },
      },
    });
    const lookup = sourceOf(release);
    assert.ok("found" in lookup);
    assert.deepEqual(
      [lookup.found.fluxKind.kind, lookup.found.namespace, lookup.found.name],
      ["HelmChart", "flux-system", "team-app"],
    );
  });

  it("says why there is nothing to reconcile first", () => {
    const external = sourceOf(
      object("Kustomization", { spec: { sourceRef: { kind: "ExternalArtifact", name: "built" } } }),
    );
    assert.deepEqual(external, {
      none: "spec.sourceRef points at ExternalArtifact team/built, which cannot be reconciled on request (its producer updates it)",
    });
    assert.ok("none" in sourceOf(object("GitRepository", { spec: { url: "https://x" } })));
  });
});

describe("suspension and managers", () => {
  const kustomization = findFluxKind("kustomize.toolkit.fluxcd.io", "Kustomization")!;
  const resourceSet = findFluxKind("fluxcd.controlplane.io", "ResourceSet")!;

  it("uses spec.suspend on toolkit kinds and the annotation on operator kinds", () => {
    assert.deepEqual(suspendPatch(kustomization), { spec: { suspend: true } });
    assert.deepEqual(suspendPatch(resourceSet), {
      metadata: { annotations: { "fluxcd.controlplane.io/reconcile": "disabled" } },
    });
    assert.equal(isSuspended(object("Kustomization", { spec: { suspend: true } }), kustomization), true);
    assert.equal(
      isSuspended(
        object("ResourceSet", {}, { annotations: { "fluxcd.controlplane.io/reconcile": "disabled" } }),
        resourceSet,
      ),
      true,
    );
  });

  it("resumes by removing spec.suspend and requesting a reconciliation in the same patch", () => {
    assert.deepEqual(resumePatch(kustomization, "t"), {
      metadata: { annotations: { "reconcile.fluxcd.io/requestedAt": "t" } },
      spec: { suspend: null },
    });
    assert.deepEqual(resumePatch(resourceSet, "t"), {
      metadata: {
        annotations: {
          "reconcile.fluxcd.io/requestedAt": "t",
          "fluxcd.controlplane.io/reconcile": "enabled",
        },
      },
    });
  });

  it("finds every Flux applier from its labels", () => {
    const managed = object(
      "Deployment",
      {},
      {
        labels: { "helm.toolkit.fluxcd.io/name": "web", "helm.toolkit.fluxcd.io/namespace": "apps" },
      },
    );
    assert.deepEqual(fluxManagersOf(managed), [{ kind: "HelmRelease", name: "web", namespace: "apps" }]);
    assert.deepEqual(fluxManagersOf(object("Deployment")), []);
  });
});
