import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { countTokens } from "gpt-tokenizer";
import { parse } from "yaml";
import { SHORTENED_NOTE } from "../../src/flux/messages.ts";
import type { ToolResult } from "../../src/tools/tool.ts";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { connectTools, callOnce, type ToolSession } from "../helpers/tool-session.ts";
import { demoWithPartialReader, PARTIAL_READER } from "../flux/partial-reader.ts";

interface Report {
  context: string;
  status: string;
  kubernetes: string;
  flux: Record<string, string>;
  instance?: Record<string, string>;
  sync?: Record<string, string>;
  components: Record<string, string>;
  objects: Record<string, string>;
  failing?: string[];
  blocked?: string[];
  inProgress?: string[];
  suspended?: string[];
  notes?: string[];
}

function report(result: ToolResult): Report {
  assert.notEqual(result.isError, true, result.text);
  return parse(result.text) as Report;
}

/** The budget for "is Flux healthy here and what is failing?": raise it only for new facts. */
const TOKEN_BUDGET = 1200;

describe("get_flux_instance on the demo fleet", () => {
  let api: TestApiServer;
  let staging: ToolSession;
  let production: ToolSession;
  const instance = (ctx: ToolSession) => ctx.call("get_flux_instance", {});

  before(async () => {
    api = await startTestApiServer({ simulation: false });
    staging = await connectTools(api, { context: "staging" });
    production = await connectTools(api, { context: "production" });
  });
  after(() => api?.close());

  it("asks for each list once: the FluxInstances read for the instance are the ones counted", async () => {
    const mark = api.server.requestLog.mark();
    const answer = report(await instance(staging));
    assert.equal(answer.objects.FluxInstance, "1 ready");
    const lists = api.server.requestLog.entries({ since: mark, verb: "list" }).map((entry) => entry.path);
    const repeated = lists.filter((path, index) => lists.indexOf(path) !== index);
    assert.deepEqual(repeated, [], lists.join("\n"));
  });

  it("reports an operator install with its FluxInstance, report and failures (staging)", async () => {
    const result = await instance(staging);
    const answer = report(result);
    assert.equal(answer.context, "staging");
    assert.match(answer.status, /^degraded: 3 failing, 1 blocked by dependencies/);
    assert.match(answer.kubernetes, /^v1\.35\.2 \(linux\/amd64, 3 nodes\)$/);
    assert.equal(answer.flux.version, "v2.9.4");
    assert.equal(answer.flux.managedBy, "flux-operator (FluxInstance flux-system/flux)");
    assert.equal(answer.flux.operator, "v0.58.1 ready");
    assert.equal(answer.flux.namespace, "flux-system");
    assert.equal(answer.instance?.name, "flux-system/flux");
    assert.match(answer.instance?.status ?? "", /^ready \(ReconciliationSucceeded\)$/);
    assert.match(answer.instance?.distribution ?? "", /^2\.9\.x from ghcr\.io\/fluxcd/);
    assert.match(answer.instance?.lastAppliedRevision ?? "", /^v2\.9\.4@sha256:[0-9a-f]{8}$/);

    assert.match(answer.sync?.kustomization ?? "", /^flux-system\/flux-system, ready/);
    assert.match(
      answer.sync?.source ?? "",
      /GitRepository flux-system\/flux-system \(https:\/\/github\.com\/acme-corp\/fleet-infra\.git refs\/heads\/main\), ready/,
    );
    assert.equal(answer.sync?.revision, "refs/heads/main@sha1:3f9c2d7e");

    assert.equal(answer.components["source-controller"], "v1.9.4 ready");
    assert.equal(answer.components["helm-controller"], "v1.6.3 ready");
    assert.equal(Object.keys(answer.components).length, 6);

    assert.match(answer.objects.Kustomization ?? "", /^7: 4 ready, 2 failing, 1 blocked$/);
    assert.match(answer.objects.HelmRelease ?? "", /1 stalled/);
    assert.equal(answer.objects.Alert, "2 static");
    assert.equal(answer.objects.FluxReport, undefined, "the report is not one of the objects it reports on");

    const failing = answer.failing ?? [];
    assert.equal(failing.length, 3, failing.join("\n"));
    assert.match(
      failing[0] ?? "",
      /^HelmRelease monitoring\/kube-prometheus-stack: RetriesExceeded \(stalled.*\): Failed to upgrade after 2 attempt\(s\) — Released UpgradeFailed: Helm upgrade failed .* field is immutable$/,
      "stalled first, with the failed upgrade as cause",
    );
    assert.ok(
      failing.some((line) =>
        /^Kustomization flux-system\/apps: BuildFailed: kustomize build failed/.test(line),
      ),
    );
    assert.ok(failing.some((line) => /^Kustomization flux-system\/monitoring: HealthCheckFailed/.test(line)));
    assert.ok(
      failing.every((line) => !line.includes("monitoring-configs")),
      "a consequence is not a failure",
    );
    assert.deepEqual(answer.blocked, [
      "Kustomization flux-system/monitoring-configs: DependencyNotReady: waits for Kustomization flux-system/monitoring, which is failing",
    ]);
    assert.equal(answer.suspended, undefined);
    // The long Helm and kustomize errors are shortened between fields, and the answer says where they are whole.
    assert.ok(failing.some((line) => line.includes(" … ")));
    assert.deepEqual(answer.notes, [SHORTENED_NOTE]);
    assert.ok(
      failing.every((line) => !/\n|[0-9a-f]{40}/.test(line)),
      "one line each, digests shortened",
    );

    const tokens = countTokens(result.text);
    assert.ok(tokens < TOKEN_BUDGET, `${tokens} tokens:\n${result.text}`);
  });

  it("reports a bootstrap install without the operator from Deployments and objects (production)", async () => {
    const result = await instance(production);
    const answer = report(result);
    assert.equal(answer.context, "production");
    assert.equal(answer.status, "healthy; 1 suspended");
    assert.equal(answer.kubernetes, "v1.34.5");
    assert.equal(answer.flux.version, "v2.9.4");
    assert.equal(answer.flux.managedBy, "flux bootstrap (Kustomization flux-system/flux-system)");
    assert.match(answer.flux.operator ?? "", /^not installed/);
    assert.equal(answer.instance, undefined);
    assert.match(answer.sync?.kustomization ?? "", /^flux-system\/flux-system, ready/);
    assert.match(answer.sync?.source ?? "", /ssh:\/\/git@github\.com\/acme-corp\/fleet-infra branch main/);
    assert.match(answer.sync?.revision ?? "", /^main@sha1:8e4d1f0b$/);
    assert.deepEqual(Object.keys(answer.components).sort(), [
      "helm-controller",
      "kustomize-controller",
      "notification-controller",
      "source-controller",
    ]);
    assert.equal(answer.failing, undefined);
    assert.equal(answer.blocked, undefined);
    assert.deepEqual(answer.suspended?.length, 1);
    assert.match(
      answer.suspended?.[0] ?? "",
      /^HelmRelease ingress-nginx\/ingress-nginx: suspended, last Ready True \(\w+\) 3d ago$/,
    );
    assert.match(
      answer.objects.HelmRepository ?? "",
      /static/,
      "the OCI HelmRepository has no status to judge",
    );
    assert.equal(answer.objects.FluxInstance, undefined);
    assert.ok(countTokens(result.text) < TOKEN_BUDGET);
  });

  it("says in one line when the identity may read nothing", async () => {
    const stranger = await connectTools(api, { context: "staging", impersonate: { user: "stranger" } });
    const result = await instance(stranger);
    assert.equal(result.isError, true);
    assert.match(
      result.text,
      /^Flux installation not readable: .*forbidden for user "stranger" in context staging/,
    );
    assert.doesNotMatch(result.text, /\n/);
  });
});

describe("get_flux_instance without Flux", () => {
  let api: TestApiServer;
  before(async () => {
    api = await startTestApiServer({ simulation: false, sources: [{ name: "bare", paths: [] }] });
  });
  after(() => api?.close());

  it("says Flux is not installed", async () => {
    const result = await callOnce(api, { context: "bare" }, "get_flux_instance", {});
    assert.equal(result.isError, true);
    assert.match(result.text, /^Flux is not installed in context bare/);
  });
});

describe("get_flux_instance with partial read rights", () => {
  let api: TestApiServer;
  before(async () => {
    api = await startTestApiServer({ simulation: false, sources: await demoWithPartialReader() });
  });
  after(() => api?.close());

  it("reports what it could read and names what it could not", async () => {
    const dev = await connectTools(api, { context: "staging", impersonate: { user: PARTIAL_READER } });
    const answer = report(await dev.call("get_flux_instance", {}));
    assert.match(answer.objects.Kustomization ?? "", /2 failing/);
    assert.equal(answer.objects.HelmRelease, undefined);
    assert.equal(answer.components["source-controller"], "v1.9.4 ready");
    assert.ok(answer.failing?.some((line) => line.startsWith("Kustomization flux-system/apps: BuildFailed")));
    const notes = answer.notes ?? [];
    assert.ok(
      notes.some((note) => /^HelmRelease objects not read: .*forbidden for user "dev"/.test(note)),
      notes.join("\n"),
    );
    assert.ok(notes.some((note) => note.startsWith("FluxInstance not read: ")));
  });
});
