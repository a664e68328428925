import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestApiServer, type TestApiServer } from "../../helpers/apiserver.ts";
import { connectTools, type ToolSession } from "../../helpers/tool-session.ts";
import { annotationsAndStatus, cancellableCalls, ok } from "./support.ts";

describe("reconcile tools on the demo fleet", () => {
  let api: TestApiServer;
  let staging: ToolSession;
  let production: ToolSession;
  const handled = (kind: string, namespace: string, name: string, context = "staging") =>
    annotationsAndStatus(api, context, kind, namespace, name);

  before(async () => {
    api = await startTestApiServer();
    staging = await connectTools(api, { context: "staging" });
    production = await connectTools(api, { context: "production" });
  });
  after(() => api?.close());

  it("waits for a healthy Kustomization and reports its revision; kubectl sees the request handled", async () => {
    const before = await handled("kustomization", "flux-system", "infra-controllers");
    const result = ok(
      await staging.call("reconcile_flux_kustomization", {
        name: "infra-controllers",
        namespace: "flux-system",
      }),
    );
    const lines = result.split("\n");
    assert.match(
      lines[0] ?? "",
      /^Kustomization flux-system\/infra-controllers in context staging: reconciled in \d+\.\d+s$/,
    );
    assert.match(
      lines[1] ?? "",
      /^ready: True \(ReconciliationSucceeded\) Applied revision: refs\/heads\/main@sha1:3f9c/,
    );
    assert.match(lines[2] ?? "", /^revision: refs\/heads\/main@sha1:3f9c/);
    const after = await handled("kustomization", "flux-system", "infra-controllers");
    assert.notEqual(after.lastHandledReconcileAt, before.lastHandledReconcileAt);
    assert.equal(after.lastHandledReconcileAt, after.requestedAt);
  });

  it("reports a failing Kustomization's real outcome", async () => {
    const result = ok(
      await staging.call("reconcile_flux_kustomization", { name: "apps", namespace: "flux-system" }),
    );
    assert.match(result, /^Kustomization flux-system\/apps in context staging: reconciliation failed after/);
    assert.match(result, /\nready: False \(BuildFailed\) kustomize build failed: accumulating resources/);
    const after = await handled("kustomization", "flux-system", "apps");
    assert.equal(after.lastHandledReconcileAt, after.requestedAt);
  });

  it("tells a Kustomization blocked by a dependency from a failing one", async () => {
    const result = ok(
      await staging.call("reconcile_flux_kustomization", {
        name: "monitoring-configs",
        namespace: "flux-system",
      }),
    );
    assert.match(
      result,
      /^Kustomization flux-system\/monitoring-configs in context staging: not ready after \d+\.\d+s: waiting for a dependency\nready: False \(DependencyNotReady\) dependency 'flux-system\/monitoring' is not ready/,
    );
  });

  it("forces a HelmRelease reconcile like flux-operator-mcp unless force is false", async () => {
    const forced = ok(
      await staging.call("reconcile_flux_helmrelease", { name: "podinfo", namespace: "frontend" }),
    );
    assert.match(
      forced,
      /^HelmRelease frontend\/podinfo in context staging: reconciled in .* \(forced\)\nready: True \(TestSucceeded\)/,
    );
    assert.match(forced, /\nrevision: 6\.9\.2/);
    const afterForce = await handled("helmrelease", "frontend", "podinfo");
    assert.equal(afterForce.forceAt, afterForce.requestedAt);
    assert.equal(afterForce.lastHandledForceAt, afterForce.requestedAt);

    const plain = ok(
      await staging.call("reconcile_flux_helmrelease", {
        name: "podinfo",
        namespace: "frontend",
        force: false,
      }),
    );
    assert.match(plain.split("\n")[0] ?? "", /reconciled in [^(]*$/);
    const after = await handled("helmrelease", "frontend", "podinfo");
    assert.equal(after.lastHandledReconcileAt, after.requestedAt);
    assert.notEqual(after.forceAt, after.requestedAt, "the earlier forceAt is left, and no longer matches");
  });

  it("forces HelmRelease and ResourceSetInputProvider through reconcile_flux_resource by default, nothing else", async () => {
    const provider = ok(
      await staging.call("reconcile_flux_resource", {
        kind: "ResourceSetInputProvider",
        name: "podinfo-pull-requests",
        namespace: "flux-system",
      }),
    );
    assert.match(provider.split("\n")[0] ?? "", /: reconciled in .* \(forced\)$/);
    const state = await handled("resourcesetinputprovider", "flux-system", "podinfo-pull-requests");
    assert.equal(state.forceAt, state.requestedAt);

    const optedOut = ok(
      await staging.call("reconcile_flux_resource", {
        kind: "HelmRelease",
        name: "podinfo",
        namespace: "frontend",
        force: false,
      }),
    );
    assert.doesNotMatch(optedOut.split("\n")[0] ?? "", /\(forced\)/);

    const kustomization = ok(
      await staging.call("reconcile_flux_resource", {
        kind: "Kustomization",
        name: "infra-controllers",
        namespace: "flux-system",
      }),
    );
    assert.doesNotMatch(kustomization.split("\n")[0] ?? "", /\(forced\)/);
    const kustomizationState = await handled("kustomization", "flux-system", "infra-controllers");
    assert.equal(kustomizationState.forceAt, undefined);
  });

  it("reports a stalled HelmRelease as failed, with the stall", async () => {
    const result = ok(
      await staging.call("reconcile_flux_resource", {
        kind: "HelmRelease",
        name: "kube-prometheus-stack",
        namespace: "monitoring",
      }),
    );
    assert.match(
      result,
      /^HelmRelease monitoring\/kube-prometheus-stack in context staging: reconciliation failed after/,
    );
    assert.match(result, /\nready: False \(RollbackSucceeded\) Helm rollback to previous release/);
    assert.match(result, /\ncause: Released UpgradeFailed: Helm upgrade failed .* field is immutable\n/);
    assert.match(result, /\nstalled: RetriesExceeded: Failed to upgrade after 2 attempt\(s\)/);
    assert.match(result, /\nrevision: 75\.15\.1 \(last attempted: 77\.0\.0\)/);
    const after = await handled("helmrelease", "monitoring", "kube-prometheus-stack");
    assert.equal(after.lastHandledReconcileAt, after.requestedAt);
  });

  it("goes through the source of a Kustomization first (spec.sourceRef)", async () => {
    const before = await handled("gitrepository", "flux-system", "flux-system");
    const result = ok(
      await staging.call("reconcile_flux_kustomization", {
        name: "infra-configs",
        namespace: "flux-system",
        with_source: true,
      }),
    );
    const heads = result.split("\n").filter((line) => / in context staging: /.test(line));
    assert.deepEqual(
      heads.map((line) => line.split(" in context")[0]),
      ["GitRepository flux-system/flux-system", "Kustomization flux-system/infra-configs"],
    );
    const after = await handled("gitrepository", "flux-system", "flux-system");
    assert.notEqual(after.lastHandledReconcileAt, before.lastHandledReconcileAt);
    assert.equal(after.lastHandledReconcileAt, after.requestedAt);
  });

  it("goes through spec.chartRef (OCIRepository) of a HelmRelease", async () => {
    const result = ok(
      await staging.call("reconcile_flux_helmrelease", {
        name: "cert-manager",
        namespace: "cert-manager",
        with_source: true,
      }),
    );
    assert.match(result, /^OCIRepository cert-manager\/cert-manager in context staging: reconciled in/);
    assert.match(result, /\nHelmRelease cert-manager\/cert-manager in context staging: reconciled in/);
    const source = await handled("ocirepository", "cert-manager", "cert-manager");
    assert.equal(source.lastHandledReconcileAt, source.requestedAt);
  });

  it("goes through the generated HelmChart and its HelmRepository for a spec.chart template", async () => {
    const result = ok(
      await staging.call("reconcile_flux_helmrelease", {
        name: "ingress-nginx",
        namespace: "ingress-nginx",
        with_source: true,
      }),
    );
    const heads = result.split("\n").filter((line) => / in context staging: /.test(line));
    assert.deepEqual(
      heads.map((line) => line.split(" in context")[0]),
      [
        "HelmRepository flux-system/ingress-nginx",
        "HelmChart flux-system/ingress-nginx-ingress-nginx",
        "HelmRelease ingress-nginx/ingress-nginx",
      ],
    );
    const chart = await handled("helmchart", "flux-system", "ingress-nginx-ingress-nginx");
    assert.equal(chart.lastHandledReconcileAt, chart.requestedAt);
  });

  it("goes through a HelmChart named by spec.chartRef, and that chart's own source", async () => {
    const manifest = [
      "apiVersion: helm.toolkit.fluxcd.io/v2",
      "kind: HelmRelease",
      "metadata: {name: nginx-from-chart, namespace: flux-system}",
      "spec:",
      "  interval: 10m",
      "  chartRef: {kind: HelmChart, name: ingress-nginx-ingress-nginx}",
    ].join("\n");
    const applied = await api.kubectl(["--context", "staging", "apply", "-f", "-"], manifest);
    assert.equal(applied.code, 0, applied.stderr);
    await api.server.settled();
    const result = ok(
      await staging.call("reconcile_flux_resource", {
        kind: "HelmRelease",
        name: "nginx-from-chart",
        namespace: "flux-system",
        with_source: true,
      }),
    );
    const heads = result.split("\n").filter((line) => / in context staging: /.test(line));
    assert.deepEqual(
      heads.map((line) => line.split(" in context")[0]),
      [
        "HelmRepository flux-system/ingress-nginx",
        "HelmChart flux-system/ingress-nginx-ingress-nginx",
        "HelmRelease flux-system/nginx-from-chart",
      ],
    );
  });

  it("says when with_source has nothing to reconcile first", async () => {
    const result = ok(
      await staging.call("reconcile_flux_resource", {
        kind: "GitRepository",
        name: "flux-system",
        namespace: "flux-system",
        with_source: true,
      }),
    );
    assert.match(result, /\nwith_source: nothing to reconcile first: GitRepository has no source reference/);
  });

  it("refuses a suspended object like flux reconcile, and annotates nothing", async () => {
    const result = await production.call("reconcile_flux_helmrelease", {
      name: "ingress-nginx",
      namespace: "ingress-nginx",
    });
    assert.equal(result.isError, true);
    assert.equal(
      result.text,
      "HelmRelease ingress-nginx/ingress-nginx in context production: resource is suspended (spec.suspend: true); resume it with resume_flux_reconciliation first",
    );
    const state = await handled("helmrelease", "ingress-nginx", "ingress-nginx", "production");
    assert.equal(state.requestedAt, undefined);
  });

  it("rejects kinds that cannot be reconciled, and kinds that are not Flux's", async () => {
    const alert = await staging.call("reconcile_flux_resource", {
      kind: "Alert",
      name: "staging-all",
      namespace: "flux-system",
    });
    assert.equal(alert.isError, true);
    assert.match(alert.text, /^Alert flux-system\/staging-all cannot be reconciled: Alert has no status/);
    const deployment = await staging.call("reconcile_flux_resource", {
      kind: "Deployment",
      name: "cart",
      namespace: "frontend",
    });
    assert.equal(deployment.isError, true);
    assert.match(
      deployment.text,
      /^cannot reconcile Deployment cart: Deployment \(apps\/v1\) is not a Flux kind/,
    );
    const forced = await staging.call("reconcile_flux_resource", {
      kind: "Kustomization",
      name: "apps",
      namespace: "flux-system",
      force: true,
    });
    assert.equal(forced.isError, true);
    assert.match(
      forced.text,
      /^force applies to HelmRelease, FluxInstance and ResourceSetInputProvider only/,
    );
  });

  it("names a missing object with its context", async () => {
    const result = await staging.call("reconcile_flux_kustomization", {
      name: "nope",
      namespace: "flux-system",
    });
    assert.equal(result.isError, true);
    assert.match(result.text, /nope/);
    assert.match(result.text, /staging/);
  });

  it("returns at once with wait: false; the controller handles the request afterwards", async () => {
    const result = ok(
      await staging.call("reconcile_flux_source", {
        kind: "HelmRepository",
        name: "prometheus-community",
        namespace: "flux-system",
        wait: false,
      }),
    );
    assert.match(
      result,
      /^HelmRepository flux-system\/prometheus-community in context staging: reconciliation requested \(requestedAt \S+\); not waiting/,
    );
    await api.server.settled();
    const state = await handled("helmrepository", "flux-system", "prometheus-community");
    assert.equal(state.lastHandledReconcileAt, state.requestedAt);
  });

  it("reconciles a ResourceSet through the Flux Operator kinds", async () => {
    const result = ok(
      await staging.call("reconcile_flux_resourceset", {
        name: "podinfo-previews",
        namespace: "flux-system",
      }),
    );
    assert.match(
      result,
      /^ResourceSet flux-system\/podinfo-previews in context staging: reconciled in .*\nready: True/,
    );
  });
});

describe("a reconcile that is still waiting when the call ends", () => {
  let api: TestApiServer;
  before(async () => {
    api = await startTestApiServer({
      simulation: { pickUpDelayMs: 60_000, workDurationMs: 40, newObjectDelayMs: 200 },
    });
  });
  after(() => api?.close());

  it("stops waiting on cancellation, answers that the client cancelled, and leaves the request made", async () => {
    const { run, progress, abort } = await cancellableCalls(api, "staging");
    const call = run("reconcile_flux_kustomization", {
      name: "infra-controllers",
      namespace: "flux-system",
    });
    // Cancelled once the tool is waiting for the controller (its second progress notification).
    while (progress.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    abort();
    const result = await call;
    assert.equal(result.isError, true, result.text);
    assert.equal(result.text, "reconcile_flux_kustomization was cancelled by the client");
    assert.ok(progress.length >= 2, `progress notifications: ${JSON.stringify(progress)}`);
    assert.match(
      progress[0] ?? "",
      /^1 Kustomization flux-system\/infra-controllers: reconciliation requested$/,
    );
    assert.match(
      progress[1] ?? "",
      /^2 Kustomization flux-system\/infra-controllers: waiting for the controller/,
    );
    const state = await annotationsAndStatus(
      api,
      "staging",
      "kustomization",
      "flux-system",
      "infra-controllers",
    );
    assert.notEqual(state.requestedAt, undefined);
    assert.notEqual(state.lastHandledReconcileAt, state.requestedAt);
  });
  it("stops waiting when its budget is spent, says the reconcile is still in progress, and sent progress meanwhile", async () => {
    const { run, progress, signal } = await cancellableCalls(api, "staging");
    const result = await run("reconcile_flux_helmrelease", {
      name: "podinfo",
      namespace: "frontend",
      wait_timeout: "1s",
    });
    assert.notEqual(result.isError, true, result.text);
    assert.match(
      result.text,
      /^HelmRelease frontend\/podinfo in context staging: not yet handled by its controller after \d+(\.\d+)?s; stopped waiting: its time budget ran out\. Not a failure: the request stands/,
    );
    assert.equal(signal.aborted, false, "the call itself was not interrupted");
    assert.ok(progress.length >= 2, `progress notifications: ${JSON.stringify(progress)}`);
    const state = await annotationsAndStatus(api, "staging", "helmrelease", "frontend", "podinfo");
    assert.equal(state.forceAt, state.requestedAt);
    assert.notEqual(state.lastHandledReconcileAt, state.requestedAt);
  });
});
