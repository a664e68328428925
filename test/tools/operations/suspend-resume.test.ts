import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestApiServer, type TestApiServer } from "../../helpers/apiserver.ts";
import { connectTools, type ToolSession } from "../../helpers/tool-session.ts";
import { annotationsAndStatus, failed, kubectlYaml, ok } from "./support.ts";

describe("suspend and resume on the demo fleet", () => {
  let api: TestApiServer;
  let staging: ToolSession;
  let production: ToolSession;

  before(async () => {
    api = await startTestApiServer();
    staging = await connectTools(api, { context: "staging" });
    production = await connectTools(api, { context: "production" });
  });
  after(() => api?.close());

  it("suspends a Kustomization with spec.suspend, and resumes it with a reconciliation", async () => {
    const target = { kind: "Kustomization", name: "infra-configs", namespace: "flux-system" };
    const suspended = ok(await staging.call("suspend_flux_reconciliation", target));
    assert.equal(
      suspended,
      "Kustomization flux-system/infra-configs in context staging suspended (spec.suspend: true); resume_flux_reconciliation resumes it",
    );
    assert.match(
      await kubectlYaml(api, "staging", ["kustomization", "infra-configs", "-n", "flux-system"]),
      /\n {2}suspend: true\n/,
    );
    assert.match(ok(await staging.call("suspend_flux_reconciliation", target)), /was already suspended/);

    const refused = failed(await staging.call("reconcile_flux_resource", target));
    assert.match(refused, /resource is suspended \(spec\.suspend: true\)/);

    const resumed = ok(await staging.call("resume_flux_reconciliation", target));
    const lines = resumed.split("\n");
    assert.equal(
      lines[0],
      "Kustomization flux-system/infra-configs in context staging resumed; reconciliation requested",
    );
    assert.match(
      lines[1] ?? "",
      /^Kustomization flux-system\/infra-configs in context staging: reconciled in/,
    );
    assert.match(lines[2] ?? "", /^ready: True \(ReconciliationSucceeded\)/);
    const yaml = await kubectlYaml(api, "staging", ["kustomization", "infra-configs", "-n", "flux-system"]);
    assert.doesNotMatch(yaml, /suspend:/);
    const state = await annotationsAndStatus(api, "staging", "kustomization", "flux-system", "infra-configs");
    assert.equal(state.lastHandledReconcileAt, state.requestedAt);
  });

  it("pauses a Flux Operator kind with its annotation, and resumes it", async () => {
    const target = {
      apiVersion: "fluxcd.controlplane.io/v1",
      kind: "ResourceSet",
      name: "podinfo-previews",
      namespace: "flux-system",
    };
    const suspended = ok(await staging.call("suspend_flux_reconciliation", target));
    assert.match(suspended, /suspended \(annotation fluxcd\.controlplane\.io\/reconcile: disabled\)/);
    const yaml = await kubectlYaml(api, "staging", ["resourceset", "podinfo-previews", "-n", "flux-system"]);
    assert.match(yaml, /\n {4}fluxcd\.controlplane\.io\/reconcile: disabled\n/);

    const resumed = ok(await staging.call("resume_flux_reconciliation", target));
    assert.match(
      resumed,
      /^ResourceSet flux-system\/podinfo-previews in context staging resumed; reconciliation requested\n/,
    );
    assert.match(resumed, /\nready: True/);
    const after = await kubectlYaml(api, "staging", ["resourceset", "podinfo-previews", "-n", "flux-system"]);
    assert.match(after, /\n {4}fluxcd\.controlplane\.io\/reconcile: enabled\n/);
  });

  it("resumes the suspended production HelmRelease and waits for its outcome", async () => {
    const resumed = ok(
      await production.call("resume_flux_reconciliation", {
        kind: "HelmRelease",
        name: "ingress-nginx",
        namespace: "ingress-nginx",
      }),
    );
    assert.match(
      resumed,
      /^HelmRelease ingress-nginx\/ingress-nginx in context production resumed; reconciliation requested\n/,
    );
    assert.match(resumed, /\nready: True/);
    const yaml = await kubectlYaml(api, "production", [
      "helmrelease",
      "ingress-nginx",
      "-n",
      "ingress-nginx",
    ]);
    assert.doesNotMatch(yaml, /suspend: true/);
  });

  it("accepts only Flux kinds", async () => {
    const result = failed(
      await staging.call("suspend_flux_reconciliation", {
        kind: "Deployment",
        name: "cart",
        namespace: "frontend",
      }),
    );
    assert.match(result, /^cannot suspend Deployment cart: Deployment \(apps\/v1\) is not a Flux kind/);
    const yaml = await kubectlYaml(api, "staging", ["deployment", "cart", "-n", "frontend"]);
    assert.doesNotMatch(yaml, /suspend/);
  });

  it("resumes a kind without status without waiting for a reconciliation", async () => {
    const target = { kind: "Alert", name: "staging-all", namespace: "flux-system" };
    ok(await staging.call("suspend_flux_reconciliation", target));
    assert.equal(
      ok(await staging.call("resume_flux_reconciliation", target)),
      "Alert flux-system/staging-all in context staging resumed",
    );
  });
});
