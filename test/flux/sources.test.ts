import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeRef, sourceReferenceOf } from "../../src/flux/sources.ts";
import type { KubeObject } from "../../src/kube/types.ts";

const object = (
  kind: string,
  spec: Record<string, unknown>,
  status?: Record<string, unknown>,
): KubeObject => ({
  apiVersion: "x/v1",
  kind,
  metadata: { name: "podinfo", namespace: "frontend" },
  spec,
  ...(status && { status }),
});

describe("sourceReferenceOf", () => {
  it("reads a Kustomization's sourceRef, defaulting the namespace to the object's", () => {
    assert.deepEqual(
      sourceReferenceOf(
        object("Kustomization", { sourceRef: { kind: "GitRepository", name: "flux-system" } }),
      ),
      {
        kind: "GitRepository",
        group: "source.toolkit.fluxcd.io",
        name: "flux-system",
        namespace: "frontend",
        field: "spec.sourceRef",
      },
    );
  });

  it("prefers a HelmRelease's chartRef, with its namespace and apiVersion", () => {
    const ref = sourceReferenceOf(
      object("HelmRelease", {
        chartRef: {
          apiVersion: "source.toolkit.fluxcd.io/v1",
          kind: "OCIRepository",
          name: "podinfo",
          namespace: "charts",
        },
      }),
    );
    assert.deepEqual(ref, {
      kind: "OCIRepository",
      group: "source.toolkit.fluxcd.io",
      version: "v1",
      name: "podinfo",
      namespace: "charts",
      field: "spec.chartRef",
    });
  });

  it("names the HelmChart generated from a chart template in the source's namespace", () => {
    const release = object("HelmRelease", {
      chart: {
        spec: {
          chart: "podinfo",
          sourceRef: { kind: "HelmRepository", name: "podinfo", namespace: "flux-system" },
        },
      },
    });
    assert.deepEqual(sourceReferenceOf(release), {
      kind: "HelmChart",
      group: "source.toolkit.fluxcd.io",
      name: "frontend-podinfo",
      namespace: "flux-system",
      field: "spec.chart",
    });
  });

  it("trusts status.helmChart once helm-controller recorded it", () => {
    const release = object(
      "HelmRelease",
      { chart: { spec: { chart: "podinfo", sourceRef: { kind: "HelmRepository", name: "podinfo" } } } },
      { helmChart: "charts/custom-name" },
    );
    const ref = sourceReferenceOf(release);
    assert.equal(ref?.name, "custom-name");
    assert.equal(ref?.namespace, "charts");
  });

  it("follows an ExternalArtifact to its producer, whatever its group", () => {
    const artifact = object("ExternalArtifact", {
      sourceRef: {
        apiVersion: "source.extensions.fluxcd.io/v1beta1",
        kind: "ArtifactGenerator",
        name: "gen",
      },
    });
    assert.equal(sourceReferenceOf(artifact)?.group, "source.extensions.fluxcd.io");
  });

  it("answers undefined for objects without a source", () => {
    assert.equal(sourceReferenceOf(object("GitRepository", { url: "https://example.com" })), undefined);
    assert.equal(
      sourceReferenceOf(object("Kustomization", { sourceRef: { kind: "GitRepository" } })),
      undefined,
    );
  });
});

describe("describeRef", () => {
  it("names the ref the controller follows", () => {
    assert.equal(describeRef({ branch: "main" }), "branch main");
    assert.equal(describeRef({ name: "refs/heads/main", branch: "ignored" }), "refs/heads/main");
    assert.equal(describeRef({ semver: ">=6.9.0", tag: "latest" }), "semver >=6.9.0");
    assert.equal(describeRef({ commit: "abc", branch: "main" }), "commit abc");
    assert.equal(describeRef({}), undefined);
    assert.equal(describeRef(undefined), undefined);
  });
});
