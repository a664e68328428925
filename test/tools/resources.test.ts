import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parseAllDocuments, stringify } from "yaml";
import { fixturesDirectory } from "../helpers/apiserver.ts";
import type { KubeObject } from "../../src/kube/types.ts";
import type { ToolResult } from "../../src/tools/tool.ts";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { helmStorageSecret } from "../helpers/tools.ts";
import { connectTools, type ToolSession } from "../helpers/tool-session.ts";

function documents(result: ToolResult): Record<string, unknown>[] {
  return parseAllDocuments(result.text).map((document) => document.toJS() as Record<string, unknown>);
}

function ok(result: ToolResult): string {
  assert.notEqual(result.isError, true, result.text);
  return result.text;
}

describe("get_kubernetes_resources on the demo fleet", () => {
  let api: TestApiServer;
  let staging: ToolSession;
  let production: ToolSession;
  const get = (ctx: ToolSession, args: Record<string, unknown>) => ctx.call("get_kubernetes_resources", args);

  before(async () => {
    api = await startTestApiServer({ simulation: false });
    staging = await connectTools(api, { context: "staging" });
    production = await connectTools(api, { context: "production" });
  });
  after(() => api?.close());

  it("gets one HelmRelease by name, with its events and managed objects, without noise", async () => {
    const text = ok(
      await get(staging, { kind: "HelmRelease", name: "kube-prometheus-stack", namespace: "monitoring" }),
    );
    const [release, ...rest] = documents({ text });
    assert.equal(rest.length, 0);
    assert.equal(release?.apiVersion, "helm.toolkit.fluxcd.io/v2");
    assert.match(text, /reason: RetriesExceeded/);
    assert.doesNotMatch(text, /managedFields|resourceVersion|uid:|last-applied-configuration/);
    assert.match(text, /generation: \d+/, "generation stays, to compare with observedGeneration");

    const events = release?.events as string[];
    assert.ok(
      events.some((line) => /^\d+m Warning UpgradeFailed: Helm upgrade failed .* \(x2\)$/.test(line)),
      events.join("\n"),
    );
    assert.ok(events.every((line) => !line.includes("ReconciliationSucceeded")));
    const times = events.map((line) => Number(/^(\d+)m /.exec(line)?.[1]));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
      "newest last",
    );

    const managed = release?.managedObjects as Record<string, string[]>;
    assert.ok(
      managed["apiextensions.k8s.io/v1 CustomResourceDefinition"]?.includes(
        "podmonitors.monitoring.coreos.com",
      ),
    );
    assert.equal(
      (release?.status as Record<string, unknown>).inventory,
      undefined,
      "inventory shown once, compact",
    );
  });

  it("reads a HelmRelease's managed objects from Helm storage when it has no inventory, never the Secret", async () => {
    const text = ok(
      await get(production, { kind: "HelmRelease", name: "kube-prometheus-stack", namespace: "monitoring" }),
    );
    const [release] = documents({ text });
    const managed = release?.managedObjects as Record<string, string[]>;
    assert.ok(managed["apps/v1 Deployment"]?.includes("monitoring/kube-prometheus-stack-grafana"), text);
    assert.ok(managed["v1 Secret"]?.includes("monitoring/kube-prometheus-stack-grafana"));
    // The release manifest holds the rendered grafana Secret: neither its value nor its base64 may leak.
    assert.doesNotMatch(text, /pr0d-Gr4f4na-31b7e9|cHIwZC1HcjRmNG5hLTMxYjdlOQ==|SDRzSUFB/);
  });

  it("lists every Kustomization of a namespace with the events of each", async () => {
    const result = await get(staging, {
      apiVersion: "kustomize.toolkit.fluxcd.io/v1",
      kind: "Kustomization",
      namespace: "flux-system",
    });
    const list = documents({ text: ok(result) });
    assert.deepEqual(list.map((object) => (object.metadata as { name: string }).name).sort(), [
      "apps",
      "flux-system",
      "image-automation",
      "infra-configs",
      "infra-controllers",
      "monitoring",
      "monitoring-configs",
    ]);
    const apps = list.find((object) => (object.metadata as { name: string }).name === "apps");
    assert.ok(
      (apps?.events as string[]).some((line) => /Warning BuildFailed: kustomize build failed/.test(line)),
    );
    assert.doesNotMatch(result.text, /^# /m, "a complete list has no paging line");
  });

  it("lists a page's events in the page's namespaces, not every event of the kind", async () => {
    const mark = api.server.requestLog.mark();
    const list = documents({ text: ok(await get(staging, { kind: "HelmRelease" })) });
    const namespaces = new Set(list.map((object) => (object.metadata as { namespace: string }).namespace));
    assert.ok(namespaces.size > 1, "the page spans namespaces");
    const eventLists = api.server.requestLog
      .entries({ since: mark, verb: "list" })
      .map((entry) => entry.path)
      .filter((path) => path.includes("/events"));
    assert.deepEqual(
      eventLists.map((path) => /\/namespaces\/([^/]+)\/events/.exec(path)?.[1]).sort(),
      [...namespaces].sort(),
      eventLists.join("\n"),
    );
    const failing = list.find(
      (object) => (object.metadata as { name: string }).name === "kube-prometheus-stack",
    );
    assert.ok((failing?.events as string[]).some((line) => /UpgradeFailed/.test(line)));
  });

  it("finds a name in every namespace when no namespace is given", async () => {
    const list = documents({ text: ok(await get(staging, { kind: "HelmRelease", name: "podinfo" })) });
    assert.deepEqual(list.map((object) => (object.metadata as { namespace: string }).namespace).sort(), [
      "frontend",
      "podinfo-pr-142",
    ]);
  });

  it("projects objects to the fields asked for", async () => {
    const result = await get(staging, {
      kind: "HelmRelease",
      fields: [
        '.status.conditions[?(@.type=="Ready")].reason',
        "{.spec.chart.spec.chart}",
        ".status.nothing",
      ],
    });
    const [title, header, ...rows] = ok(result).trimEnd().split("\n");
    assert.match(title ?? "", /^# HelmRelease \(helm\.toolkit\.fluxcd\.io\/v2\), 5 rows/);
    assert.deepEqual(header?.split("\t"), [
      "NAMESPACE",
      "NAME",
      "Ready.reason",
      "spec.chart.spec.chart",
      "status.nothing",
    ]);
    assert.deepEqual(
      rows.map((row) => row.split("\t")).find((row) => row[0] === "monitoring"),
      ["monitoring", "kube-prometheus-stack", "RollbackSucceeded", "kube-prometheus-stack", "-"],
    );
    assert.doesNotMatch(result.text, /events:|managedObjects:/, "a projection carries nothing else");
  });

  it("refuses an unreadable fields expression before calling the cluster", async () => {
    const result = await get(staging, { kind: "Pod", fields: [".status[0"] });
    assert.equal(result.isError, true);
    assert.match(result.text, /invalid fields expression/);
  });

  it("pages with limit and continue, saying how many more there are", async () => {
    const first = await get(staging, { kind: "Pod", namespace: "flux-system", limit: 3 });
    const more = /^# 3 shown, (\d+) more: call again with continue="([^"]+)"/m.exec(ok(first));
    assert.ok(more, first.text);
    const firstNames = documents(first).map((object) => (object.metadata as { name: string }).name);
    const second = await get(staging, {
      kind: "Pod",
      namespace: "flux-system",
      limit: 100,
      continue: more[2],
    });
    const secondNames = documents({ text: ok(second).replace(/^#.*$/gm, "") }).map(
      (object) => (object.metadata as { name: string }).name,
    );
    assert.equal(secondNames.length, Number(more[1]));
    assert.equal(new Set([...firstNames, ...secondNames]).size, firstNames.length + secondNames.length);
  });

  it("says plainly when nothing matches: an answer, not an error", async () => {
    const inNamespace = await get(staging, { kind: "HelmRelease", namespace: "kube-system" });
    assert.notEqual(inNamespace.isError, true);
    assert.equal(
      inNamespace.text,
      "No HelmRelease objects found in namespace kube-system of context staging",
    );
    const bySelector = await get(production, { kind: "Deployment", selector: "app=nothing,tier!=x" });
    assert.equal(
      bySelector.text,
      "No Deployment objects matching selector app=nothing,tier!=x found in any namespace of context production",
    );
  });

  it("names kind, namespace, name and context when an object does not exist", async () => {
    const missing = await get(staging, { kind: "HelmRelease", name: "nope", namespace: "monitoring" });
    assert.equal(missing.isError, true);
    assert.equal(missing.text, "HelmRelease monitoring/nope not found in context staging");
    const anywhere = await get(staging, { kind: "Kustomization", name: "nope" });
    assert.equal(anywhere.text, "Kustomization nope in any namespace not found in context staging");
    assert.equal(anywhere.isError, true);
  });

  it("reports an unknown kind as an error", async () => {
    const result = await get(staging, { kind: "Gizmo" });
    assert.equal(result.isError, true);
    assert.match(result.text, /Gizmo/);
  });

  it("reports a forbidden list as an error naming the identity, not as an empty answer", async () => {
    const stranger = await connectTools(api, { context: "staging", impersonate: { user: "stranger" } });
    const result = await get(stranger, { kind: "HelmRelease", namespace: "monitoring" });
    assert.equal(result.isError, true, result.text);
    assert.match(result.text, /forbidden/i);
    assert.match(result.text, /stranger/);
    assert.doesNotMatch(result.text, /No HelmRelease/);
  });
});

describe("get_kubernetes_resources on objects made for the test", () => {
  const planted = "planted-password-7f3a9c";
  const plantedBase64 = Buffer.from(planted).toString("base64");
  const renderedSecretValue = "rendered-by-helm-51d2e8";
  let directory: string;
  let api: TestApiServer;
  let ctx: ToolSession;
  const get = (args: Record<string, unknown>, context = ctx) =>
    context.call("get_kubernetes_resources", args);

  const now = Date.now();
  const ago = (minutes: number) => new Date(now - minutes * 60_000).toISOString();
  const manifest = [
    "---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: shop\n",
    `---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: shop-db\nstringData:\n  password: ${renderedSecretValue}\n`,
    "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\n  namespace: lab\n",
    "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: shop-reader\n",
  ].join("");

  function widgetCrd(group: string): KubeObject {
    return {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: `widgets.${group}` },
      spec: {
        group,
        names: { kind: "Widget", plural: "widgets", singular: "widget", listKind: "WidgetList" },
        scope: "Namespaced",
        versions: [
          {
            name: "v1",
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
          },
        ],
      },
    };
  }

  function event(name: string, type: string, reason: string, message: string, minutes: number): KubeObject {
    return {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name, namespace: "lab" },
      involvedObject: {
        apiVersion: "helm.toolkit.fluxcd.io/v2",
        kind: "HelmRelease",
        name: "shop",
        namespace: "lab",
      },
      type,
      reason,
      message,
      count: 1,
      firstTimestamp: ago(minutes),
      lastTimestamp: ago(minutes),
      source: { component: "helm-controller" },
    };
  }

  const objects: KubeObject[] = [
    widgetCrd("a.example.com"),
    widgetCrd("b.example.com"),
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "lab" } },
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: {
        name: "db-credentials",
        namespace: "lab",
        annotations: {
          "kubectl.kubernetes.io/last-applied-configuration": JSON.stringify({
            data: { password: plantedBase64 },
          }),
        },
      },
      type: "Opaque",
      data: { password: plantedBase64, username: Buffer.from("shop").toString("base64") },
    },
    {
      apiVersion: "helm.toolkit.fluxcd.io/v2",
      kind: "HelmRelease",
      metadata: { name: "shop", namespace: "lab" },
      spec: {
        interval: "10m",
        chart: { spec: { chart: "shop", sourceRef: { kind: "HelmRepository", name: "charts" } } },
      },
      status: {
        conditions: [
          {
            type: "Ready",
            status: "True",
            reason: "UpgradeSucceeded",
            message: "ok",
            lastTransitionTime: ago(5),
          },
        ],
        history: [
          {
            name: "shop",
            namespace: "lab",
            version: 3,
            status: "deployed",
            chartName: "shop",
            chartVersion: "1.2.0",
          },
        ],
        storageNamespace: "lab",
      },
    },
    helmStorageSecret({ name: "shop", namespace: "lab", version: 3, manifest }),
    event("shop.1", "Normal", "ReconciliationSucceeded", "reconciled", 30),
    event("shop.2", "Warning", "UpgradeFailed", "Helm upgrade failed: timeout", 20),
    event("shop.3", "Normal", "UpgradeSucceeded", "Helm upgrade succeeded", 10),
    // "viewer" may read HelmReleases, but neither Events nor Secrets.
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "helmrelease-viewer" },
      rules: [{ apiGroups: ["helm.toolkit.fluxcd.io"], resources: ["helmreleases"], verbs: ["get", "list"] }],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "helmrelease-viewer" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "helmrelease-viewer" },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "viewer" }],
    },
  ];

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), "flux-mcp-resources-"));
    const file = join(directory, "lab.yaml");
    await writeFile(file, objects.map((object) => stringify(object)).join("---\n"));
    api = await startTestApiServer({
      sources: [{ name: "lab", paths: [join(fixturesDirectory(), "crds", "toolkit.yaml"), file] }],
      simulation: false,
    });
    ctx = await connectTools(api);
  });
  after(async () => {
    await api?.close();
    await rm(directory, { recursive: true, force: true });
  });

  it("decodes the Helm storage Secret into managed objects, with the release namespace filled in", async () => {
    const text = ok(await get({ kind: "HelmRelease", name: "shop", namespace: "lab" }));
    const [release] = documents({ text });
    assert.deepEqual(release?.managedObjects, {
      "v1 ServiceAccount": ["lab/shop"],
      "v1 Secret": ["lab/shop-db"],
      "apps/v1 Deployment": ["lab/shop"],
      "rbac.authorization.k8s.io/v1 ClusterRole": ["shop-reader"],
    });
    assert.ok(!text.includes(renderedSecretValue));
  });

  it("attaches the Flux events, newest last, without routine successes", async () => {
    const [release] = documents(await get({ kind: "HelmRelease", name: "shop", namespace: "lab" }));
    assert.deepEqual(release?.events, [
      "20m Warning UpgradeFailed: Helm upgrade failed: timeout",
      "10m Normal UpgradeSucceeded: Helm upgrade succeeded",
    ]);
  });

  it("masks Secret values in every shape of answer, keeping the keys", async () => {
    const answers = [
      await get({ kind: "Secret", namespace: "lab" }),
      await get({ apiVersion: "v1", kind: "Secret", name: "db-credentials", namespace: "lab" }),
      await get({
        kind: "Secret",
        name: "db-credentials",
        fields: [".data", ".data.password", ".metadata.annotations"],
      }),
    ];
    for (const answer of answers) {
      const text = ok(answer);
      assert.match(text, /password/);
      for (const secret of [planted, plantedBase64, renderedSecretValue])
        assert.ok(!text.includes(secret), text);
    }
    const [credentials] = documents(answers[1] as ToolResult);
    assert.deepEqual(credentials?.data, { password: "****", username: "****" });
  });

  it("shows Secret values when masking is off", async () => {
    const unmasked = await connectTools(api, { maskSecrets: false });
    const text = ok(await get({ kind: "Secret", name: "db-credentials", namespace: "lab" }, unmasked));
    assert.match(text, new RegExp(plantedBase64));
  });

  it("still shows an object whose events and Helm storage it may not read, saying why", async () => {
    const viewer = await connectTools(api, { impersonate: { user: "viewer" } });
    const result = await get({ kind: "HelmRelease", name: "shop", namespace: "lab" }, viewer);
    const text = ok(result);
    assert.match(text, /^# events not shown: .*forbidden for user "viewer"/m);
    const [release] = documents(result);
    assert.equal((release?.metadata as { name: string }).name, "shop");
    assert.match(String(release?.managedObjects), /^not shown: .*forbidden for user "viewer"/);
  });

  it("rejects a kind served by several groups, and resolves it once the apiVersion says which", async () => {
    const ambiguous = await get({ kind: "Widget" });
    assert.equal(ambiguous.isError, true, ambiguous.text);
    assert.match(ambiguous.text, /a\.example\.com/);
    assert.match(ambiguous.text, /b\.example\.com/);
    const chosen = await get({ apiVersion: "b.example.com/v1", kind: "Widget" });
    assert.equal(chosen.text, "No Widget objects found in any namespace of context lab");
  });
});
