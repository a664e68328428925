import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { reconcileFluxResource } from "../../../src/tools/operations/reconcile-flux-resource.ts";
import { resumeFluxReconciliation } from "../../../src/tools/operations/resume-flux-reconciliation.ts";
import { suspendFluxReconciliation } from "../../../src/tools/operations/suspend-flux-reconciliation.ts";
import type { ToolContext } from "../../../src/tools/tool.ts";
import { startTestApiServer, type TestApiServer } from "../../helpers/apiserver.ts";
import { callTool, testToolContext } from "../../helpers/tools.ts";
import { annotationsAndStatus, failed, kubectlYaml, ok } from "./support.ts";

describe("suspend and resume on the demo fleet", () => {
  let api: TestApiServer;
  let staging: ToolContext;
  let production: ToolContext;

  before(async () => {
    api = await startTestApiServer();
    staging = testToolContext(api, { context: "staging" });
    production = testToolContext(api, { context: "production" });
  });
  after(() => api?.close());

  it("suspends a Kustomization with spec.suspend, and resumes it with a reconciliation", async () => {
    const target = { kind: "Kustomization", name: "infra-configs", namespace: "flux-system" };
    const suspended = ok(await callTool(suspendFluxReconciliation, target, staging));
    assert.equal(
      suspended,
      "Kustomization flux-system/infra-configs in context staging suspended (spec.suspend: true); resume_flux_reconciliation resumes it",
    );
    assert.match(
      await kubectlYaml(api, "staging", ["kustomization", "infra-configs", "-n", "flux-system"]),
      /\n {2}suspend: true\n/,
    );
    assert.match(ok(await callTool(suspendFluxReconciliation, target, staging)), /was already suspended/);

    const refused = failed(await callTool(reconcileFluxResource, target, staging));
    assert.match(refused, /resource is suspended \(spec\.suspend: true\)/);

    const resumed = ok(await callTool(resumeFluxReconciliation, target, staging));
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
    const suspended = ok(await callTool(suspendFluxReconciliation, target, staging));
    assert.match(suspended, /suspended \(annotation fluxcd\.controlplane\.io\/reconcile: disabled\)/);
    const yaml = await kubectlYaml(api, "staging", ["resourceset", "podinfo-previews", "-n", "flux-system"]);
    assert.match(yaml, /\n {4}fluxcd\.controlplane\.io\/reconcile: disabled\n/);

    const resumed = ok(await callTool(resumeFluxReconciliation, target, staging));
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
      await callTool(
        resumeFluxReconciliation,
        { kind: "HelmRelease", name: "ingress-nginx", namespace: "ingress-nginx" },
        production,
      ),
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
      await callTool(
        suspendFluxReconciliation,
        { kind: "Deployment", name: "cart", namespace: "frontend" },
        staging,
      ),
    );
    assert.match(result, /^cannot suspend Deployment cart: Deployment \(apps\/v1\) is not a Flux kind/);
    const yaml = await kubectlYaml(api, "staging", ["deployment", "cart", "-n", "frontend"]);
    assert.doesNotMatch(yaml, /suspend/);
  });

  it("resumes a kind without status without waiting for a reconciliation", async () => {
    const target = { kind: "Alert", name: "staging-all", namespace: "flux-system" };
    ok(await callTool(suspendFluxReconciliation, target, staging));
    assert.equal(
      ok(await callTool(resumeFluxReconciliation, target, staging)),
      "Alert flux-system/staging-all in context staging resumed",
    );
  });
});
