// A cluster loaded the way kubectl users load one (objects applied, then their status written
// through the status subresource, then events created) must read back exactly as loaded once the
// Flux controller simulation has had every chance to act: it may not race the client, replace a
// status it did not write, or record events it has no basis for. Then an explicit reconcile
// request shows the simulation is alive and keeps the outcome the object had.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { DEFAULT_SIMULATION_TIMING } from "../../src/flux-controller.ts";
import { startTestApiServer, type TestApiServer } from "../../src/testing.ts";

const data = join(import.meta.dirname, "../data");
const crds = [
  "source.toolkit.fluxcd.io_gitrepositories.yaml",
  "kustomize.toolkit.fluxcd.io_kustomizations.yaml",
  "helm.toolkit.fluxcd.io_helmreleases.yaml",
].map((file) => join(data, file));

interface Loaded {
  apiVersion: string;
  kind: string;
  resource: string;
  metadata: { name: string; namespace: string; annotations?: Record<string, string> };
  spec: Record<string, unknown>;
  status: Record<string, unknown>;
}

const hoursAgo = (hours: number) =>
  new Date(Date.now() - hours * 3_600_000).toISOString().replace(/\.\d+Z$/, "Z");

function ready(status: "True" | "False", reason: string, message: string, hours = 30) {
  return {
    type: "Ready",
    status,
    reason,
    message,
    lastTransitionTime: hoursAgo(hours),
    observedGeneration: 4,
  };
}

const gitRepository: Loaded = {
  apiVersion: "source.toolkit.fluxcd.io/v1",
  kind: "GitRepository",
  resource: "gitrepositories",
  metadata: { name: "flux-system", namespace: "flux-system" },
  spec: { interval: "1m", url: "https://github.com/example/fleet", ref: { branch: "main" } },
  status: {
    observedGeneration: 4,
    conditions: [
      ready("True", "Succeeded", "stored artifact for revision 'main@sha1:1a2b3c'"),
      {
        ...ready("True", "Succeeded", "stored artifact for revision 'main@sha1:1a2b3c'"),
        type: "ArtifactInStorage",
      },
    ],
    artifact: {
      revision: "main@sha1:1a2b3c",
      digest: "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
      path: "gitrepository/flux-system/flux-system/1a2b3c.tar.gz",
      url: "http://source-controller.flux-system.svc.cluster.local./gitrepository/flux-system/flux-system/1a2b3c.tar.gz",
      lastUpdateTime: hoursAgo(2),
      size: 51234,
    },
  },
};

const failingKustomization: Loaded = {
  apiVersion: "kustomize.toolkit.fluxcd.io/v1",
  kind: "Kustomization",
  resource: "kustomizations",
  metadata: {
    name: "apps",
    namespace: "flux-system",
    // A request that the real controller had not handled yet when the cluster was captured.
    annotations: { "reconcile.fluxcd.io/requestedAt": "2026-08-20T09:00:00Z" },
  },
  spec: {
    interval: "10m",
    path: "./apps",
    prune: true,
    sourceRef: { kind: "GitRepository", name: "flux-system" },
  },
  status: {
    observedGeneration: 4,
    lastAttemptedRevision: "main@sha1:1a2b3c",
    lastAppliedRevision: "main@sha1:0f0f0f",
    lastHandledReconcileAt: "2026-08-19T09:00:00Z",
    conditions: [
      ready(
        "False",
        "BuildFailed",
        "kustomize build failed: accumulating resources: 'apps/missing' not found",
        5,
      ),
    ],
  },
};

const failingRelease: Loaded = {
  apiVersion: "helm.toolkit.fluxcd.io/v2",
  kind: "HelmRelease",
  resource: "helmreleases",
  metadata: { name: "kube-prometheus-stack", namespace: "monitoring" },
  spec: {
    interval: "30m",
    chart: {
      spec: { chart: "kube-prometheus-stack", sourceRef: { kind: "HelmRepository", name: "prometheus" } },
    },
    upgrade: { remediation: { retries: 3 } },
  },
  status: {
    observedGeneration: 4,
    upgradeFailures: 4,
    failures: 4,
    lastAttemptedRevision: "75.16.0",
    conditions: [
      ready(
        "False",
        "UpgradeFailed",
        "Helm upgrade failed for release monitoring/kube-prometheus-stack with chart kube-prometheus-stack@75.16.0: context deadline exceeded",
        3,
      ),
      {
        type: "Stalled",
        status: "True",
        reason: "RetriesExceeded",
        message: "Failed to upgrade after 4 attempt(s)",
        lastTransitionTime: hoursAgo(3),
        observedGeneration: 4,
      },
      {
        type: "Released",
        status: "False",
        reason: "UpgradeFailed",
        message: "Helm upgrade failed: context deadline exceeded",
        lastTransitionTime: hoursAgo(3),
        observedGeneration: 4,
      },
    ],
    history: [
      {
        name: "kube-prometheus-stack",
        namespace: "monitoring",
        version: 9,
        status: "failed",
        chartName: "kube-prometheus-stack",
        chartVersion: "75.16.0",
        appVersion: "v0.83.0",
        digest: "sha256:aa",
        configDigest: "sha256:bb",
        firstDeployed: hoursAgo(900),
        lastDeployed: hoursAgo(3),
      },
      {
        name: "kube-prometheus-stack",
        namespace: "monitoring",
        version: 8,
        status: "superseded",
        chartName: "kube-prometheus-stack",
        chartVersion: "75.15.1",
        appVersion: "v0.83.0",
        digest: "sha256:cc",
        configDigest: "sha256:dd",
        firstDeployed: hoursAgo(900),
        lastDeployed: hoursAgo(100),
      },
    ],
  },
};

const healthyRelease: Loaded = {
  apiVersion: "helm.toolkit.fluxcd.io/v2",
  kind: "HelmRelease",
  resource: "helmreleases",
  metadata: { name: "podinfo", namespace: "apps" },
  spec: {
    interval: "10m",
    chart: { spec: { chart: "podinfo", sourceRef: { kind: "HelmRepository", name: "podinfo" } } },
  },
  status: {
    observedGeneration: 4,
    lastAttemptedRevision: "6.9.2",
    conditions: [
      ready(
        "True",
        "UpgradeSucceeded",
        "Helm upgrade succeeded for release apps/podinfo.v3 with chart podinfo@6.9.2",
      ),
      {
        ...ready(
          "True",
          "UpgradeSucceeded",
          "Helm upgrade succeeded for release apps/podinfo.v3 with chart podinfo@6.9.2",
        ),
        type: "Released",
      },
    ],
  },
};

const objects = [gitRepository, failingKustomization, failingRelease, healthyRelease];
const viaServerSideApply = [gitRepository, failingRelease];
const viaReplace = [failingKustomization, healthyRelease];

const events = [
  event(
    failingRelease,
    "upgrade-failed",
    "Warning",
    "UpgradeFailed",
    "Helm upgrade failed: context deadline exceeded",
    "helm-controller",
  ),
  event(
    failingRelease,
    "retries-exceeded",
    "Warning",
    "RetriesExceeded",
    "Failed to upgrade after 4 attempt(s)",
    "helm-controller",
  ),
  event(
    failingKustomization,
    "build-failed",
    "Warning",
    "BuildFailed",
    "kustomize build failed: accumulating resources: 'apps/missing' not found",
    "kustomize-controller",
  ),
  event(
    healthyRelease,
    "upgrade-succeeded",
    "Normal",
    "UpgradeSucceeded",
    "Helm upgrade succeeded for release apps/podinfo.v3",
    "helm-controller",
  ),
];

function event(
  object: Loaded,
  suffix: string,
  type: string,
  reason: string,
  message: string,
  controller: string,
) {
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: `${object.metadata.name}.${suffix}`, namespace: object.metadata.namespace },
    involvedObject: {
      apiVersion: object.apiVersion,
      kind: object.kind,
      name: object.metadata.name,
      namespace: object.metadata.namespace,
    },
    type,
    reason,
    message,
    source: { component: controller },
    reportingComponent: controller,
    firstTimestamp: hoursAgo(3),
    lastTimestamp: hoursAgo(1),
    count: 7,
  };
}

const yamlDocuments = (documents: unknown[]) =>
  documents.map((document) => stringify(document)).join("---\n");
const withoutStatus = ({ resource: _resource, status: _status, ...object }: Loaded) => object;
const statusOnly = ({ apiVersion, kind, metadata, status }: Loaded) => ({
  apiVersion,
  kind,
  metadata: { name: metadata.name, namespace: metadata.namespace },
  status,
});

let api: TestApiServer;
let directory: string;

async function kubectl(args: string[], input?: string): Promise<string> {
  const { code, stdout, stderr } = await api.kubectl(["--context", "loaded", ...args], input);
  assert.equal(code, 0, `kubectl ${args.join(" ")} failed: ${stderr}`);
  return stdout;
}

async function getJson(
  object: Loaded,
): Promise<{ metadata: Record<string, unknown>; status: Record<string, unknown> }> {
  return JSON.parse(
    await kubectl([
      "get",
      object.resource,
      object.metadata.name,
      "-n",
      object.metadata.namespace,
      "-o",
      "json",
    ]),
  );
}

async function eventsJson(): Promise<
  { metadata: { name: string }; reason: string; type: string; message: string; count: number }[]
> {
  return JSON.parse(await kubectl(["get", "events", "-A", "-o", "json"])).items;
}

describe("a cluster loaded with kubectl reads back as loaded", { timeout: 120_000 }, () => {
  before(async () => {
    // The demo's own timing: what users of `flux-mcp apiserver` get.
    api = await startTestApiServer({
      sources: [{ name: "loaded", paths: crds }],
      simulation: DEFAULT_SIMULATION_TIMING,
    });
    directory = await mkdtemp(join(tmpdir(), "controller-fidelity-"));
    const namespaces = ["flux-system", "monitoring", "apps"].map((name) => ({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name },
    }));
    await kubectl(["apply", "-f", "-"], yamlDocuments([...namespaces, ...objects.map(withoutStatus)]));
    const serverSide = join(directory, "status-apply.yaml");
    await writeFile(serverSide, yamlDocuments(viaServerSideApply.map(statusOnly)));
    await kubectl([
      "apply",
      "--server-side",
      "--subresource=status",
      "--field-manager=loader",
      "-f",
      serverSide,
    ]);
    for (const object of viaReplace) {
      // replace needs the whole object: read it back and put the status in.
      const live = await getJson(object);
      const file = join(directory, `${object.metadata.name}-status.json`);
      await writeFile(file, JSON.stringify({ ...live, status: object.status }));
      await kubectl(["replace", "--subresource=status", "-f", file]);
    }
    await kubectl(["create", "-f", "-"], yamlDocuments(events));
    // Every delay of the simulation passes (with the default options it acts on no new object at
    // all): whatever it has under way, then a quiet period longer than a pick-up and a reconciliation.
    await api.server.settled();
    const quiet = DEFAULT_SIMULATION_TIMING.pickUpDelayMs + DEFAULT_SIMULATION_TIMING.workDurationMs + 250;
    const resourceVersions = JSON.stringify(
      await Promise.all(objects.map(async (object) => (await getJson(object)).metadata.resourceVersion)),
    );
    const quietUntil = Date.now() + quiet;
    while (Date.now() < quietUntil) {
      await api.server.settled();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const afterQuiet = JSON.stringify(
      await Promise.all(objects.map(async (object) => (await getJson(object)).metadata.resourceVersion)),
    );
    assert.equal(afterQuiet, resourceVersions, "nothing was written during the quiet period");
  });
  after(async () => {
    await api?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  test("every status is the one loaded, to the field", async () => {
    for (const object of objects) {
      assert.deepEqual(
        (await getJson(object)).status,
        object.status,
        `${object.kind} ${object.metadata.name}`,
      );
    }
  });

  test("the events are the ones loaded, and no others", async () => {
    const live = await eventsJson();
    assert.deepEqual(
      live
        .map(({ metadata, type, reason, message, count }) => ({
          name: metadata.name,
          type,
          reason,
          message,
          count,
        }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      events
        .map(({ metadata, type, reason, message, count }) => ({
          name: metadata.name,
          type,
          reason,
          message,
          count,
        }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    );
  });

  test("a reconcile request is handled and keeps the failure the release had", async () => {
    const token = new Date().toISOString();
    const { resource, metadata } = failingRelease;
    await kubectl([
      "annotate",
      "--overwrite",
      resource,
      metadata.name,
      "-n",
      metadata.namespace,
      `reconcile.fluxcd.io/requestedAt=${token}`,
    ]);
    let status = (await getJson(failingRelease)).status;
    for (let polls = 0; status.lastHandledReconcileAt !== token && polls < 200; polls++) {
      await api.server.settled();
      status = (await getJson(failingRelease)).status;
    }
    assert.equal(status.lastHandledReconcileAt, token);
    // What the controller handled is the object's generation now: 1 in this fresh cluster.
    const generation = (await getJson(failingRelease)).metadata.generation;
    const loaded = failingRelease.status as { conditions: Record<string, unknown>[] };
    assert.deepEqual(
      status,
      {
        ...loaded,
        observedGeneration: generation,
        conditions: loaded.conditions.map((condition) => ({ ...condition, observedGeneration: generation })),
        lastHandledReconcileAt: token,
      },
      "the outcome is the one the release had",
    );
    const added = (await eventsJson()).filter(
      (candidate) => !events.some((loaded) => loaded.metadata.name === candidate.metadata.name),
    );
    assert.deepEqual(
      added.map(({ type, reason }) => [type, reason]),
      [["Warning", "UpgradeFailed"]],
    );
  });
});
