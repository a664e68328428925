import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  componentOf,
  deploymentHealth,
  distributionVersion,
  imageTag,
  installationManager,
} from "../../src/flux/installation.ts";
import type { KubeObject } from "../../src/kube/types.ts";

function deployment(
  name: string,
  labels: Record<string, string>,
  status: Record<string, unknown> = {
    observedGeneration: 1,
    replicas: 1,
    updatedReplicas: 1,
    availableReplicas: 1,
  },
  replicas = 1,
): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "flux-system", generation: 1, labels },
    spec: {
      replicas,
      template: {
        spec: {
          containers: [
            { name: "sidecar", image: "busybox:1" },
            { name: "manager", image: `ghcr.io/fluxcd/${name}:v1.9.4@sha256:819e616ac6a481a4` },
          ],
        },
      },
    },
    status,
  };
}

const operatorLabels = {
  "app.kubernetes.io/part-of": "flux",
  "app.kubernetes.io/version": "v2.9.4",
  "app.kubernetes.io/component": "source-controller",
  "app.kubernetes.io/managed-by": "flux-operator",
  "fluxcd.controlplane.io/name": "flux",
  "fluxcd.controlplane.io/namespace": "flux-system",
};
const bootstrapLabels = {
  "app.kubernetes.io/part-of": "flux",
  "app.kubernetes.io/version": "v2.9.3",
  "kustomize.toolkit.fluxcd.io/name": "flux-system",
  "kustomize.toolkit.fluxcd.io/namespace": "flux-system",
};

describe("installation", () => {
  it("reads a component's version from its manager container's image", () => {
    assert.deepEqual(componentOf(deployment("source-controller", operatorLabels)), {
      name: "source-controller",
      namespace: "flux-system",
      image: "ghcr.io/fluxcd/source-controller:v1.9.4",
      version: "v1.9.4",
      ready: true,
      status: "ready",
    });
  });

  it("says what keeps a Deployment from being ready", () => {
    const unavailable = deployment(
      "helm-controller",
      {},
      {
        observedGeneration: 1,
        replicas: 1,
        updatedReplicas: 1,
        availableReplicas: 0,
        conditions: [
          { type: "Available", status: "False", message: "Deployment does not have minimum availability." },
        ],
      },
    );
    assert.deepEqual(deploymentHealth(unavailable), {
      ready: false,
      status: "0/1 available: Deployment does not have minimum availability.",
    });
    assert.equal(deploymentHealth(deployment("x", {}, {}, 0)).status, "scaled to zero");
    assert.match(deploymentHealth(deployment("x", {}, { observedGeneration: 0 })).status, /not observed/);
    assert.equal(
      deploymentHealth(deployment("x", {}, { observedGeneration: 1, updatedReplicas: 0 })).status,
      "rolling out: 0/1 updated",
    );
  });

  it("names who manages the controllers", () => {
    assert.equal(
      installationManager([deployment("a", operatorLabels)]),
      "flux-operator (FluxInstance flux-system/flux)",
    );
    assert.equal(
      installationManager([deployment("a", bootstrapLabels)]),
      "flux bootstrap (Kustomization flux-system/flux-system)",
    );
    assert.equal(installationManager([deployment("a", { "app.kubernetes.io/managed-by": "Helm" })]), "Helm");
    assert.match(installationManager([deployment("a", {})]), /nothing reconciles/);
  });

  it("takes the most common version label as the distribution version", () => {
    const deployments = [
      deployment("a", operatorLabels),
      deployment("b", operatorLabels),
      deployment("c", bootstrapLabels),
    ];
    assert.equal(distributionVersion(deployments), "v2.9.4");
    assert.equal(distributionVersion([]), undefined);
  });

  it("finds tags after registry ports and before digests", () => {
    assert.equal(imageTag("registry:5000/fluxcd/helm-controller:v1.6.3@sha256:abc"), "v1.6.3");
    assert.equal(imageTag("registry:5000/fluxcd/helm-controller"), undefined);
  });
});
