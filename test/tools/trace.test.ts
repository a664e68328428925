import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { countTokens } from "gpt-tokenizer";
import { parse } from "yaml";
import type { ToolResult } from "../../src/tools/tool.ts";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { connectTools, type ToolSession } from "../helpers/tool-session.ts";
import { demoWithPartialReader, PARTIAL_READER } from "../flux/partial-reader.ts";

type Step = Record<string, string>;
interface TraceAnswer {
  object: string;
  status?: string;
  owners?: string[];
  managedBy: Step[] | string;
  sources?: Step[];
  notes?: string[];
}

function traced(result: ToolResult): TraceAnswer {
  assert.notEqual(result.isError, true, result.text);
  return parse(result.text) as TraceAnswer;
}

function steps(answer: TraceAnswer): Step[] {
  assert.ok(Array.isArray(answer.managedBy), `managed: ${JSON.stringify(answer.managedBy)}`);
  return answer.managedBy;
}

describe("trace_kubernetes_resource on the demo fleet", () => {
  let api: TestApiServer;
  let staging: ToolSession;
  let production: ToolSession;
  const trace = (ctx: ToolSession, args: Record<string, unknown>) =>
    ctx.call("trace_kubernetes_resource", args);

  before(async () => {
    api = await startTestApiServer({ simulation: false });
    staging = await connectTools(api, { context: "staging" });
    production = await connectTools(api, { context: "production" });
  });
  after(() => api?.close());

  it("traces a Pod through its owners, the HelmRelease and Kustomizations, to the sources and revisions", async () => {
    const result = await trace(staging, {
      kind: "Pod",
      name: "podinfo-4pc7zkk4pg-422wj",
      namespace: "frontend",
    });
    const answer = traced(result);
    assert.equal(answer.object, "Pod frontend/podinfo-4pc7zkk4pg-422wj");
    assert.equal(answer.status, "Running");
    assert.equal(answer.owners?.length, 2);
    assert.match(answer.owners?.[0] ?? "", /^ReplicaSet frontend\/podinfo-4pc7zkk4pg: \d+\/\d+ ready$/);
    assert.match(answer.owners?.[1] ?? "", /^Deployment frontend\/podinfo: ready$/);

    const [release, apps, root, instance, ...rest] = steps(answer);
    assert.equal(rest.length, 0);
    assert.equal(release?.object, "HelmRelease frontend/podinfo");
    assert.match(release?.status ?? "", /^ready \(TestSucceeded\)$/);
    assert.match(release?.lastAppliedRevision ?? "", /^6\.9\.2/);
    assert.equal(release?.source, "OCIRepository frontend/podinfo");

    assert.equal(apps?.object, "Kustomization flux-system/apps");
    assert.match(apps?.status ?? "", /^failing \(BuildFailed\) for \d+m$/);
    assert.match(
      apps?.message ?? "",
      /^kustomize build failed: .*podinfo-values\.yaml: no such file or directory$/,
    );
    assert.equal(apps?.lastAppliedRevision, "refs/heads/main@sha1:b71e0c4a");
    assert.equal(apps?.lastAttemptedRevision, "refs/heads/main@sha1:3f9c2d7e");
    assert.equal(apps?.source, "GitRepository flux-system/flux-system");

    assert.equal(root?.object, "Kustomization flux-system/flux-system");
    assert.equal(instance?.object, "FluxInstance flux-system/flux");
    assert.match(instance?.lastAppliedRevision ?? "", /^v2\.9\.4@sha256:/);
    assert.equal(instance?.appliedBy, "Kustomization flux-system/flux-system (above: they apply each other)");

    const [chart, git, ...more] = answer.sources ?? [];
    assert.equal(more.length, 0);
    assert.equal(chart?.object, "OCIRepository frontend/podinfo");
    assert.equal(chart?.url, "oci://ghcr.io/stefanprodan/charts/podinfo");
    assert.match(chart?.revision ?? "", /^6\.9\.2@sha256:[0-9a-f]{8}$/);
    assert.equal(git?.object, "GitRepository flux-system/flux-system");
    assert.equal(git?.url, "https://github.com/acme-corp/fleet-infra.git");
    assert.equal(git?.ref, "refs/heads/main");
    assert.equal(git?.revision, "refs/heads/main@sha1:3f9c2d7e");
    assert.match(git?.status ?? "", /^ready/);

    assert.ok(countTokens(result.text) < 700, result.text);
  });

  it("follows a chart template through the generated HelmChart to its HelmRepository", async () => {
    const answer = traced(
      await trace(staging, {
        kind: "Deployment",
        name: "kube-prometheus-stack-grafana",
        namespace: "monitoring",
      }),
    );
    const [release, monitoring] = steps(answer);
    assert.equal(release?.object, "HelmRelease monitoring/kube-prometheus-stack");
    assert.match(release?.status ?? "", /^stalled \(RetriesExceeded\)/);
    assert.match(
      release?.message ?? "",
      /^Failed to upgrade after 2 attempt\(s\) — Released UpgradeFailed: .*immutable$/,
    );
    assert.equal(release?.lastAppliedRevision, "75.15.1");
    assert.equal(release?.lastAttemptedRevision, "77.0.0");
    assert.equal(release?.source, "HelmChart flux-system/monitoring-kube-prometheus-stack");
    assert.equal(monitoring?.object, "Kustomization flux-system/monitoring");
    assert.match(monitoring?.status ?? "", /^failing \(HealthCheckFailed\)/);

    const names = (answer.sources ?? []).map((source) => source.object);
    assert.deepEqual(names, [
      "HelmChart flux-system/monitoring-kube-prometheus-stack",
      "HelmRepository flux-system/prometheus-community",
      "GitRepository flux-system/flux-system",
    ]);
    const chart = answer.sources?.[0];
    assert.match(chart?.chart ?? "", /^kube-prometheus-stack /);
    assert.equal(chart?.revision, "77.0.0");
    assert.equal(chart?.source, "HelmRepository flux-system/prometheus-community");
  });

  it("traces a generated HelmChart to the HelmRelease that generates it", async () => {
    const answer = traced(
      await trace(staging, {
        kind: "HelmChart",
        name: "monitoring-kube-prometheus-stack",
        namespace: "flux-system",
      }),
    );
    assert.match(answer.status ?? "", /^ready \(ChartPullSucceeded\)$/);
    const [release, monitoring] = steps(answer);
    assert.equal(release?.object, "HelmRelease monitoring/kube-prometheus-stack");
    assert.equal(release?.generates, "HelmChart flux-system/monitoring-kube-prometheus-stack");
    assert.equal(monitoring?.object, "Kustomization flux-system/monitoring");
    assert.deepEqual(
      (answer.sources ?? []).map((source) => source.object),
      ["HelmRepository flux-system/prometheus-community", "GitRepository flux-system/flux-system"],
    );
  });

  it("shows the health of the workloads on the way up (the crash-looping cart Pod)", async () => {
    const answer = traced(
      await trace(staging, { kind: "Pod", name: "cart-qchb76nwf7-hmt8b", namespace: "frontend" }),
    );
    assert.match(answer.status ?? "", /^Running; cart: CrashLoopBackOff, \d+ restarts$/);
    assert.match(answer.owners?.[0] ?? "", /^ReplicaSet frontend\/cart-qchb76nwf7: 0\/1 ready$/);
    assert.match(answer.owners?.[1] ?? "", /^Deployment frontend\/cart: ProgressDeadlineExceeded/);
    assert.equal(steps(answer)[0]?.object, "Kustomization flux-system/apps");
  });

  it("says plainly when an object is not managed by Flux", async () => {
    const answer = traced(
      await trace(staging, {
        apiVersion: "apps/v1",
        kind: "Deployment",
        name: "coredns",
        namespace: "kube-system",
      }),
    );
    assert.equal(answer.object, "Deployment kube-system/coredns");
    assert.equal(answer.owners, undefined);
    assert.match(
      answer.managedBy as string,
      /^none: not managed by Flux \(it carries no Flux ownership labels\)$/,
    );
    assert.equal(answer.sources, undefined);
  });

  it("finds the namespace when none is given", async () => {
    const answer = traced(await trace(staging, { kind: "HelmRelease", name: "kube-prometheus-stack" }));
    assert.equal(answer.object, "HelmRelease monitoring/kube-prometheus-stack");
    assert.match(answer.status ?? "", /^stalled/);
    assert.equal(steps(answer)[0]?.object, "Kustomization flux-system/monitoring");
  });

  it("shows a bootstrap sync Kustomization applying itself, and a suspended release", async () => {
    const self = traced(
      await trace(production, { kind: "Kustomization", name: "flux-system", namespace: "flux-system" }),
    );
    assert.deepEqual(steps(self), [
      {
        object: "Kustomization flux-system/flux-system",
        note: "applies itself (its own definition is in its source)",
      },
    ]);
    assert.equal(self.sources?.[0]?.ref, "branch main");

    const suspended = traced(
      await trace(production, {
        kind: "Deployment",
        name: "ingress-nginx-controller",
        namespace: "ingress-nginx",
      }),
    );
    assert.match(
      steps(suspended)[0]?.status ?? "",
      /^suspended, last Ready True \(UpgradeSucceeded\) 3d ago$/,
    );
  });

  it("answers a missing object in one line naming the context", async () => {
    const result = await trace(staging, { kind: "Pod", name: "nope", namespace: "frontend" });
    assert.equal(result.isError, true);
    assert.equal(result.text, "Pod frontend/nope not found in context staging");
    const anywhere = await trace(staging, { kind: "Pod", name: "nope" });
    assert.equal(anywhere.text, "Pod nope not found in any namespace of context staging");
  });

  it("answers a forbidden read in one line naming the identity", async () => {
    const stranger = await connectTools(api, { context: "staging", impersonate: { user: "stranger" } });
    const result = await trace(stranger, {
      kind: "Pod",
      name: "podinfo-4pc7zkk4pg-422wj",
      namespace: "frontend",
    });
    assert.equal(result.isError, true);
    assert.match(result.text, /stranger/);
    assert.doesNotMatch(result.text, /\n/);
  });
});

describe("trace_kubernetes_resource with partial read rights", () => {
  let api: TestApiServer;
  before(async () => {
    api = await startTestApiServer({ simulation: false, sources: await demoWithPartialReader() });
  });
  after(() => api?.close());

  it("goes as far as it may and says where it stopped", async () => {
    const dev = await connectTools(api, { context: "staging", impersonate: { user: PARTIAL_READER } });
    const answer = traced(
      await dev.call("trace_kubernetes_resource", {
        kind: "Pod",
        name: "podinfo-4pc7zkk4pg-422wj",
        namespace: "frontend",
      }),
    );
    assert.equal(answer.owners?.length, 2);
    const [release, ...rest] = steps(answer);
    assert.equal(rest.length, 0);
    assert.equal(release?.object, "HelmRelease frontend/podinfo");
    assert.match(release?.status ?? "", /^not readable: .*forbidden for user "dev"/);
  });
});
