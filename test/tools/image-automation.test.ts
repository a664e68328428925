// ImagePolicy and ImageUpdateAutomation as get_kubernetes_resources shows them: the latest tag and
// who runs which tag, and whether the last push is applied, on the demo fleet and on variations.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parseAllDocuments } from "yaml";
import { lastPushVerdict, parseImage } from "../../src/flux/image-automation.ts";
import { PAGE_SIZE } from "../../src/kube/paging.ts";
import { createKubeProvider } from "../../src/kube/provider.ts";
import type { KubeObject } from "../../src/kube/types.ts";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { connectTools, type ToolSession } from "../helpers/tool-session.ts";

describe("image automation in get_kubernetes_resources", () => {
  let api: TestApiServer;
  let staging: ToolSession;
  before(async () => {
    api = await startTestApiServer({ simulation: false });
    staging = await connectTools(api, { context: "staging" });
  });
  after(() => api?.close());

  const read = async (kind: string) => {
    const result = await staging.call("get_kubernetes_resources", {
      apiVersion: "image.toolkit.fluxcd.io/v1",
      kind,
      namespace: "flux-system",
    });
    assert.notEqual(result.isError, true, result.text);
    return parseAllDocuments(result.text).map((document) => document.toJS() as Record<string, unknown>);
  };

  it("names the latest tag of an ImagePolicy and the workloads running the image, with their tags", async () => {
    const [policy] = await read("ImagePolicy");
    assert.deepEqual(policy?.imageUse, {
      latest: "ghcr.io/stefanprodan/podinfo:6.9.2",
      runs: ["Deployment frontend/podinfo (podinfo) applied by HelmRelease frontend/podinfo: 6.9.2"],
    });
  });

  it("says whether the automation's last push is applied, and by which Kustomization", async () => {
    const [automation] = await read("ImageUpdateAutomation");
    const lastPush = automation?.lastPush as Record<string, unknown>;
    assert.equal(lastPush.commit, "b71e0c4a");
    assert.equal(lastPush.deployedBy, "Kustomization flux-system/apps");
    assert.equal(lastPush.applied, true);
  });
});

describe("image automation on a cluster with more workloads than a list page holds", () => {
  const namespace = "zz-bulk";
  const workloads = PAGE_SIZE + 20;
  let api: TestApiServer;
  let staging: ToolSession;
  before(async () => {
    api = await startTestApiServer({ simulation: false });
    staging = await connectTools(api, { context: "staging" });
    const kube = await createKubeProvider({
      kubeconfigPaths: [api.kubeconfigPath],
      readOnly: false,
      maskSecrets: false,
    }).forContext("staging");
    await kube.create(await kube.resolveKind("Namespace"), {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: namespace },
    });
    const deployments = await kube.resolveKind("Deployment", "apps");
    for (let index = 0; index < workloads; index++) {
      const name = `bulk-${String(index).padStart(4, "0")}`;
      // The last one, in the last page, runs the policy's image.
      const image =
        index === workloads - 1 ? "ghcr.io/stefanprodan/podinfo:6.9.1" : "registry.example/bulk:1.0.0";
      await kube.create(deployments, {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name, namespace },
        spec: {
          selector: { matchLabels: { app: name } },
          template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "app", image }] } },
        },
      });
    }
  });
  after(() => api?.close());

  it("reads the workloads a page at a time and finds the one in the last page", async () => {
    const mark = api.server.requestLog.mark();
    const result = await staging.call("get_kubernetes_resources", {
      apiVersion: "image.toolkit.fluxcd.io/v1",
      kind: "ImagePolicy",
      namespace: "flux-system",
    });
    assert.notEqual(result.isError, true, result.text);
    const [policy] = parseAllDocuments(result.text).map(
      (document) => document.toJS() as Record<string, unknown>,
    );
    assert.ok(
      ((policy?.imageUse as { runs?: string[] }).runs ?? []).includes(
        `Deployment ${namespace}/bulk-${String(workloads - 1).padStart(4, "0")} (app): 6.9.1 (not the latest)`,
      ),
      result.text,
    );
    const deploymentLists = api.server.requestLog
      .entries({ since: mark, verb: "list", pathPrefix: "/clusters/staging/apis/apps/v1/deployments" })
      .map((entry) => entry.path);
    // The demo's own Deployments and the bulk ones: two pages of at most PAGE_SIZE.
    assert.equal(deploymentLists.length, 2, deploymentLists.join("\n"));
    assert.ok(
      deploymentLists.every((path) => path.includes(`limit=${PAGE_SIZE}`)),
      deploymentLists.join("\n"),
    );
  });
});

describe("lastPushVerdict", () => {
  const automation: KubeObject = {
    apiVersion: "image.toolkit.fluxcd.io/v1",
    kind: "ImageUpdateAutomation",
    metadata: { name: "flux-system", namespace: "flux-system" },
    spec: { sourceRef: { kind: "GitRepository", name: "flux-system" }, update: { path: "./apps/staging" } },
    status: {
      lastPushCommit: "c0ffee12aaaabbbbccccddddeeeeffff00001111",
      lastPushTime: "2026-08-20T07:10:32Z",
    },
  };
  const kustomization = (path: string, status: Record<string, unknown>): KubeObject => ({
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    metadata: { name: path.split("/").at(-1) ?? "root", namespace: "flux-system" },
    spec: { path, sourceRef: { kind: "GitRepository", name: "flux-system" } },
    status,
  });

  it("only counts Kustomizations applying from the GitRepository the automation pushes to", () => {
    const elsewhere = (name: string, namespace: string, sourceRef: Record<string, string>): KubeObject => ({
      apiVersion: "kustomize.toolkit.fluxcd.io/v1",
      kind: "Kustomization",
      metadata: { name, namespace },
      spec: { path: "./apps/staging", sourceRef },
      status: { lastAppliedRevision: "refs/heads/main@sha1:c0ffee12aaaabbbbccccddddeeeeffff00001111" },
    });
    const verdict = lastPushVerdict(automation, [
      elsewhere("other-repository", "flux-system", { kind: "GitRepository", name: "tenants" }),
      // Its sourceRef names no namespace: the GitRepository of that name in its own namespace.
      elsewhere("other-namespace", "tenants", { kind: "GitRepository", name: "flux-system" }),
      elsewhere("bucket", "flux-system", { kind: "Bucket", name: "flux-system" }),
    ]);
    assert.equal(verdict?.applied, "unknown");
    assert.match(
      verdict?.deployedBy ?? "",
      /^no Kustomization of GitRepository flux-system\/flux-system deploys/,
    );
  });

  it("is not applied while the Kustomization that deploys the path fails, and says why", () => {
    const verdict = lastPushVerdict(automation, [
      kustomization("./clusters", {
        lastAppliedRevision: "refs/heads/main@sha1:c0ffee12aaaabbbbccccddddeeeeffff00001111",
      }),
      kustomization("./apps/staging", {
        lastAppliedRevision: "refs/heads/main@sha1:0ld0ld00",
        lastAttemptedRevision: "refs/heads/main@sha1:c0ffee12aaaabbbbccccddddeeeeffff00001111",
        history: [
          {
            firstReconciled: "2026-08-19T00:00:00Z",
            metadata: { revision: "refs/heads/main@sha1:0ld0ld00" },
          },
        ],
        conditions: [{ type: "Ready", status: "False", reason: "BuildFailed" }],
      }),
    ]);
    assert.equal(verdict?.deployedBy, "Kustomization flux-system/staging", "the closest path wins");
    assert.equal(verdict?.applied, false);
    assert.match(
      verdict?.detail ?? "",
      /^not applied yet: .* still runs refs\/heads\/main@sha1:0ld0ld00; it is failing \(BuildFailed\)/,
    );
  });

  it("counts a later revision first applied after the push as applied", () => {
    const verdict = lastPushVerdict(automation, [
      kustomization("apps", {
        lastAppliedRevision: "refs/heads/main@sha1:1a7e2000",
        history: [
          {
            firstReconciled: "2026-08-20T08:00:00Z",
            metadata: { revision: "refs/heads/main@sha1:1a7e2000" },
          },
        ],
      }),
    ]);
    assert.equal(verdict?.applied, true);
    assert.match(verdict?.detail ?? "", /first applied after the push/);
  });

  it("splits image references", () => {
    assert.deepEqual(parseImage("registry:5000/team/app:1.2@sha256:abc"), {
      repository: "registry:5000/team/app",
      tag: "1.2",
      digest: "sha256:abc",
    });
    assert.deepEqual(parseImage("registry:5000/team/app"), { repository: "registry:5000/team/app" });
  });
});
