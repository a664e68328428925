// The fleet at scale: 200 tenant namespaces, each running 16 apps the way Flux tenants usually do
// (a Kustomization per app applying a HelmRelease whose chart comes from an OCIRepository or a
// HelmRepository), 50 Flux objects per namespace, 10,000 in all, with the Deployments,
// ReplicaSets, Pods, Services and values ConfigMaps they manage and the events the controllers
// left. A few apps fail the ways real ones do. Built straight into a Cluster: loading is not measured.
import { createHash, randomUUID } from "node:crypto";
import { join } from "node:path";
import { fixturesDirectory, loadCluster, type Cluster, type KubeObject } from "@flux-mcp/kube-emulator";

const NAMESPACES = 200;
const APPS = [
  "frontend",
  "api",
  "worker",
  "cart",
  "checkout",
  "catalog",
  "search",
  "payments",
  "auth",
  "notifications",
  "orders",
  "inventory",
  "shipping",
  "reviews",
  "recommendations",
  "gateway",
] as const;
const REPO_URL = "https://github.com/acme-corp";
const CONTROLLER_HOST = "http://source-controller.flux-system.svc.cluster.local.";

/** `count` tenant namespaces: 50 Flux objects each. */
export function fleetNamespaces(count: number): string[] {
  const digits = Math.max(3, String(count - 1).length);
  return Array.from({ length: count }, (_, index) => `team-${String(index).padStart(digits, "0")}`);
}

export const FLEET_NAMESPACES = fleetNamespaces(NAMESPACES);

/** What the fleet holds, for the questions' key facts. */
export interface FleetSummary {
  fluxObjects: number;
  kustomizations: number;
  /** Every object the cluster was given: Flux objects, workloads, events, namespaces. */
  apiObjects: number;
  /** Failing Kustomizations with the message only they carry, in list order. */
  failingKustomizations: { namespace: string; name: string; reason: string; marker: string }[];
}

interface App {
  namespace: string;
  namespaceIndex: number;
  name: string;
  index: number;
  /** Even apps pull their chart from an OCIRepository (chartRef), odd ones through a HelmChart. */
  oci: boolean;
  releaseFails: boolean;
  buildFails: boolean;
  suspended: boolean;
}

export async function buildFleetCluster(
  name: string,
  now = new Date(),
  namespaces: readonly string[] = FLEET_NAMESPACES,
): Promise<{
  cluster: Cluster;
  summary: FleetSummary;
}> {
  const cluster = await loadCluster({ name, paths: [join(fixturesDirectory(), "crds", "toolkit.yaml")] });
  const clock = new Clock(now);
  const summary: FleetSummary = {
    fluxObjects: 0,
    kustomizations: 0,
    apiObjects: 0,
    failingKustomizations: [],
  };
  const add = (object: KubeObject) => {
    const type = cluster.registry.byKind(object.apiVersion, object.kind);
    if (!type) throw new Error(`the fleet uses ${object.kind} ${object.apiVersion}, which the cluster lacks`);
    cluster.restore(type, object);
    summary.apiObjects++;
    if (object.apiVersion.includes(".fluxcd.io/") && object.kind !== "Event") summary.fluxObjects++;
  };

  for (const [namespaceIndex, namespace] of namespaces.entries()) {
    add({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: namespace, labels: { tenant: namespace } },
    });
    const gitFails = namespaceIndex % 50 === 13;
    const git = gitRepository(namespace, gitFails, clock);
    add(git.object);
    add(git.event);
    const charts = helmRepository(namespace, clock);
    add(charts.object);
    add(charts.event);
    for (const [appIndex, appName] of APPS.entries()) {
      const index = namespaceIndex * APPS.length + appIndex;
      const releaseFails = index % 41 === 7;
      const app: App = {
        namespace,
        namespaceIndex,
        name: appName,
        index,
        oci: appIndex % 2 === 0,
        releaseFails,
        buildFails: !releaseFails && index % 53 === 20,
        suspended: index % 97 === 50,
      };
      const objects = appObjects(app, clock);
      for (const object of objects) add(object);
      summary.kustomizations++;
      if (app.buildFails || app.releaseFails) {
        summary.failingKustomizations.push({
          namespace,
          name: appName,
          reason: app.buildFails ? "BuildFailed" : "HealthCheckFailed",
          marker: app.buildFails ? buildPath(app) : `HelmRelease/${namespace}/${appName} status: 'Failed'`,
        });
      }
    }
  }
  return { cluster, summary };
}

/** Timestamps relative to the bench's start, so ages read like a live cluster's. */
class Clock {
  readonly now: Date;
  constructor(now: Date) {
    this.now = now;
  }
  ago(seconds: number): string {
    return new Date(this.now.getTime() - seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  }
}

function digest(seed: string): string {
  return createHash("sha256").update(seed).digest("hex");
}

function shortHash(seed: string, length: number): string {
  const alphabet = "bcdfghjklmnpqrstvwxz2456789";
  const bytes = createHash("sha1").update(seed).digest();
  return Array.from(bytes.subarray(0, length), (byte) => alphabet[byte % alphabet.length]).join("");
}

function condition(
  type: string,
  status: boolean,
  reason: string,
  message: string,
  at: string,
  generation = 1,
) {
  return {
    type,
    status: status ? "True" : "False",
    reason,
    message,
    lastTransitionTime: at,
    observedGeneration: generation,
  };
}

function fluxMeta(name: string, namespace: string, createdSecondsAgo: number, clock: Clock, owner?: string) {
  return {
    name,
    namespace,
    uid: randomUUID(),
    generation: 1,
    creationTimestamp: clock.ago(createdSecondsAgo),
    finalizers: ["finalizers.fluxcd.io"],
    ...(owner && {
      labels: {
        "kustomize.toolkit.fluxcd.io/name": owner,
        "kustomize.toolkit.fluxcd.io/namespace": namespace,
      },
    }),
  };
}

function event(
  involved: KubeObject,
  type: "Normal" | "Warning",
  reason: string,
  message: string,
  component: string,
  lastSecondsAgo: number,
  count: number,
  clock: Clock,
): KubeObject {
  const { name = "", namespace = "", uid = "" } = involved.metadata;
  const first = clock.ago(lastSecondsAgo + (count - 1) * 120);
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: {
      name: `${name}.${digest(`${namespace}/${name}/${reason}`).slice(0, 16)}`,
      namespace,
      creationTimestamp: first,
    },
    involvedObject: { apiVersion: involved.apiVersion, kind: involved.kind, name, namespace, uid },
    reason,
    message,
    source: { component },
    firstTimestamp: first,
    lastTimestamp: clock.ago(lastSecondsAgo),
    count,
    type,
    eventTime: null,
    reportingComponent: component,
    reportingInstance: "",
  };
}

function gitRevision(namespace: string): string {
  return `refs/heads/main@sha1:${digest(`git/${namespace}`).slice(0, 40)}`;
}

function gitRepository(namespace: string, fails: boolean, clock: Clock) {
  const revision = gitRevision(namespace);
  const stored = `stored artifact for revision '${revision}'`;
  const cloneError = `failed to checkout and determine revision: unable to clone '${REPO_URL}/${namespace}.git': authentication required: Invalid username or token. Password authentication is not supported for Git operations.`;
  const sha = revision.slice(-40);
  const object: KubeObject = {
    apiVersion: "source.toolkit.fluxcd.io/v1",
    kind: "GitRepository",
    metadata: fluxMeta("tenant", namespace, 190 * 86400, clock),
    spec: {
      interval: "5m",
      ref: { branch: "main" },
      secretRef: { name: "tenant-git-auth" },
      timeout: "60s",
      url: `${REPO_URL}/${namespace}.git`,
    },
    status: {
      artifact: {
        digest: `sha256:${digest(`artifact/${namespace}`)}`,
        lastUpdateTime: clock.ago(3 * 86400),
        path: `gitrepository/${namespace}/tenant/${sha}.tar.gz`,
        revision,
        size: 18234,
        url: `${CONTROLLER_HOST}/gitrepository/${namespace}/tenant/${sha}.tar.gz`,
      },
      conditions: fails
        ? [
            condition("Ready", false, "GitOperationFailed", cloneError, clock.ago(3 * 3600)),
            condition("FetchFailed", true, "GitOperationFailed", cloneError, clock.ago(3 * 3600)),
            condition("ArtifactInStorage", true, "Succeeded", stored, clock.ago(3 * 86400)),
          ]
        : [
            condition("Ready", true, "Succeeded", stored, clock.ago(3 * 86400)),
            condition("ArtifactInStorage", true, "Succeeded", stored, clock.ago(3 * 86400)),
          ],
      observedGeneration: 1,
    },
  };
  return {
    object,
    event: fails
      ? event(object, "Warning", "GitOperationFailed", cloneError, "source-controller", 90, 36, clock)
      : event(
          object,
          "Normal",
          "NewArtifact",
          `stored artifact for commit 'release ${sha.slice(0, 7)}'`,
          "source-controller",
          3 * 86400,
          1,
          clock,
        ),
  };
}

function helmRepository(namespace: string, clock: Clock) {
  const revision = `sha256:${digest(`index/${namespace}`)}`;
  const message = `stored artifact: revision '${revision}'`;
  const object: KubeObject = {
    apiVersion: "source.toolkit.fluxcd.io/v1",
    kind: "HelmRepository",
    metadata: fluxMeta("charts", namespace, 190 * 86400, clock),
    spec: { interval: "1h", timeout: "60s", url: "https://charts.acme-corp.internal/stable" },
    status: {
      artifact: {
        digest: `sha256:${digest(`index-digest/${namespace}`)}`,
        lastUpdateTime: clock.ago(1800),
        path: `helmrepository/${namespace}/charts/index-${digest(`index-path/${namespace}`)}.yaml`,
        revision,
        size: 88412,
        url: `${CONTROLLER_HOST}/helmrepository/${namespace}/charts/index.yaml`,
      },
      conditions: [
        condition("Ready", true, "Succeeded", message, clock.ago(7 * 86400)),
        condition("ArtifactInStorage", true, "Succeeded", message, clock.ago(7 * 86400)),
      ],
      observedGeneration: 1,
      url: `${CONTROLLER_HOST}/helmrepository/${namespace}/charts/index.yaml`,
    },
  };
  return {
    object,
    event: event(
      object,
      "Normal",
      "NewArtifact",
      `stored fetched index of size 88.41kB from 'https://charts.acme-corp.internal/stable'`,
      "source-controller",
      1800,
      1,
      clock,
    ),
  };
}

function chartVersion(app: App): string {
  return `1.${app.index % 7}.${app.index % 13}`;
}

function buildPath(app: App): string {
  return `tenants/${app.namespace}/${app.name}/values-${app.name}.yaml`;
}

/** The app's Kustomization, HelmRelease, chart source, workload and the events about them. */
function appObjects(app: App, clock: Clock): KubeObject[] {
  const { namespace, name } = app;
  const created = (160 - (app.index % 90)) * 86400;
  const version = chartVersion(app);
  const revision = gitRevision(namespace);
  const chartDigest = digest(`chart/${namespace}/${name}`);
  const objects: KubeObject[] = [];

  // The chart source: an OCIRepository the HelmRelease points at, or the HelmChart helm-controller made.
  const source: KubeObject = app.oci
    ? {
        apiVersion: "source.toolkit.fluxcd.io/v1",
        kind: "OCIRepository",
        metadata: fluxMeta(name, namespace, created, clock, name),
        spec: {
          interval: "10m",
          layerSelector: {
            mediaType: "application/vnd.cncf.helm.chart.content.v1.tar+gzip",
            operation: "copy",
          },
          provider: "generic",
          ref: { semver: "1.x" },
          timeout: "60s",
          url: `oci://ghcr.io/acme-corp/charts/${name}`,
        },
        status: {
          artifact: {
            digest: `sha256:${digest(`oci-artifact/${namespace}/${name}`)}`,
            lastUpdateTime: clock.ago(5 * 86400),
            path: `ocirepository/${namespace}/${name}/${chartDigest}.tar.gz`,
            revision: `${version}@sha256:${chartDigest}`,
            size: 9120,
            url: `${CONTROLLER_HOST}/ocirepository/${namespace}/${name}/${chartDigest}.tar.gz`,
          },
          conditions: [
            condition(
              "Ready",
              true,
              "Succeeded",
              `stored artifact for digest '${version}@sha256:${chartDigest}'`,
              clock.ago(5 * 86400),
            ),
            condition(
              "ArtifactInStorage",
              true,
              "Succeeded",
              `stored artifact for digest '${version}@sha256:${chartDigest}'`,
              clock.ago(5 * 86400),
            ),
          ],
          observedGeneration: 1,
          observedLayerSelector: {
            mediaType: "application/vnd.cncf.helm.chart.content.v1.tar+gzip",
            operation: "copy",
          },
          url: `${CONTROLLER_HOST}/ocirepository/${namespace}/${name}/latest.tar.gz`,
        },
      }
    : {
        apiVersion: "source.toolkit.fluxcd.io/v1",
        kind: "HelmChart",
        metadata: { ...fluxMeta(`${namespace}-${name}`, namespace, created, clock), generation: 1 },
        spec: {
          chart: name,
          interval: "1h",
          reconcileStrategy: "ChartVersion",
          sourceRef: { kind: "HelmRepository", name: "charts" },
          version: "1.x",
        },
        status: {
          artifact: {
            digest: `sha256:${chartDigest}`,
            lastUpdateTime: clock.ago(5 * 86400),
            path: `helmchart/${namespace}/${namespace}-${name}/${name}-${version}.tgz`,
            revision: version,
            size: 9120,
            url: `${CONTROLLER_HOST}/helmchart/${namespace}/${namespace}-${name}/${name}-${version}.tgz`,
          },
          conditions: [
            condition(
              "Ready",
              true,
              "ChartPullSucceeded",
              `pulled '${name}' chart with version '${version}'`,
              clock.ago(5 * 86400),
            ),
            condition(
              "ArtifactInStorage",
              true,
              "ChartPullSucceeded",
              `pulled '${name}' chart with version '${version}'`,
              clock.ago(5 * 86400),
            ),
          ],
          observedChartName: name,
          observedGeneration: 1,
          observedSourceArtifactRevision: `sha256:${digest(`index/${namespace}`)}`,
          url: `${CONTROLLER_HOST}/helmchart/${namespace}/${namespace}-${name}/latest.tar.gz`,
        },
      };
  objects.push(source);

  const release = helmRelease(app, created, clock);
  objects.push(release);
  const kustomization = kustomizationOf(app, created, revision, clock);
  objects.push(kustomization);
  objects.push(...workload(app, clock));

  objects.push(
    app.releaseFails
      ? event(release, "Warning", "UpgradeFailed", upgradeError(app), "helm-controller", 300, 2, clock)
      : event(
          release,
          "Normal",
          "UpgradeSucceeded",
          `Helm upgrade succeeded for release ${namespace}/${name}.v4 with chart ${name}@${version}`,
          "helm-controller",
          5 * 86400,
          1,
          clock,
        ),
  );
  objects.push(
    app.buildFails
      ? event(kustomization, "Warning", "BuildFailed", buildError(app), "kustomize-controller", 60, 42, clock)
      : app.releaseFails
        ? event(
            kustomization,
            "Warning",
            "HealthCheckFailed",
            healthError(app),
            "kustomize-controller",
            120,
            18,
            clock,
          )
        : event(
            kustomization,
            "Normal",
            "ReconciliationSucceeded",
            "Reconciliation finished in 1.1s, next run in 10m0s",
            "kustomize-controller",
            240,
            1,
            clock,
          ),
  );
  return objects;
}

function upgradeError(app: App): string {
  return `Helm upgrade failed for release ${app.namespace}/${app.name} with chart ${app.name}@${chartVersion(app)}: context deadline exceeded`;
}

function buildError(app: App): string {
  const path = buildPath(app);
  return `kustomize build failed: accumulating resources: accumulation err='accumulating resources from 'values-${app.name}.yaml': open /tmp/kustomization-${app.index}/${path}: no such file or directory'`;
}

function healthError(app: App): string {
  return `health check failed after 2.01s: failed early due to stalled resources: [HelmRelease/${app.namespace}/${app.name} status: 'Failed']`;
}

function helmRelease(app: App, created: number, clock: Clock): KubeObject {
  const { namespace, name } = app;
  const version = chartVersion(app);
  const succeeded = `Helm upgrade succeeded for release ${namespace}/${name}.v4 with chart ${name}@${version}`;
  const rolledBack = `Helm rollback to previous release ${namespace}/${name}.v4 with chart ${name}@${version} succeeded`;
  const history = (revision: number, status: string, action: string, secondsAgo: number) => ({
    apiVersion: "v2",
    name,
    namespace,
    version: revision,
    status,
    action,
    chartName: name,
    chartVersion: version,
    appVersion: version,
    configDigest: `sha256:${digest(`config/${namespace}/${name}`)}`,
    digest: `sha256:${digest(`release/${namespace}/${name}/${revision}`)}`,
    firstDeployed: clock.ago(created - 60),
    lastDeployed: clock.ago(secondsAgo),
  });
  return {
    apiVersion: "helm.toolkit.fluxcd.io/v2",
    kind: "HelmRelease",
    metadata: fluxMeta(name, namespace, created, clock, name),
    spec: {
      ...(app.oci
        ? { chartRef: { kind: "OCIRepository", name } }
        : {
            chart: {
              spec: {
                chart: name,
                interval: "1h",
                sourceRef: { kind: "HelmRepository", name: "charts" },
                version: "1.x",
              },
            },
          }),
      install: { remediation: { retries: 3 } },
      interval: "30m",
      releaseName: name,
      timeout: "5m",
      upgrade: { remediation: { retries: 2 } },
      valuesFrom: [{ kind: "ConfigMap", name: `${name}-values` }],
    },
    status: {
      conditions: app.releaseFails
        ? [
            condition("Ready", false, "RollbackSucceeded", rolledBack, clock.ago(300)),
            condition("Released", false, "UpgradeFailed", upgradeError(app), clock.ago(420)),
            condition("Remediated", true, "RollbackSucceeded", rolledBack, clock.ago(300)),
            condition(
              "Stalled",
              true,
              "RetriesExceeded",
              "Failed to upgrade after 3 attempt(s)",
              clock.ago(300),
            ),
          ]
        : [
            condition("Ready", true, "UpgradeSucceeded", succeeded, clock.ago(5 * 86400)),
            condition("Released", true, "UpgradeSucceeded", succeeded, clock.ago(5 * 86400)),
          ],
      ...(app.releaseFails && { failures: 3 }),
      ...(!app.oci && { helmChart: `${namespace}/${namespace}-${name}` }),
      history: app.releaseFails
        ? [
            history(6, "deployed", "rollback", 300),
            history(5, "failed", "upgrade", 420),
            history(4, "superseded", "upgrade", 5 * 86400),
          ]
        : [history(4, "deployed", "upgrade", 5 * 86400)],
      inventory: {
        entries: [
          { id: `${namespace}_${name}__ServiceAccount`, v: "v1" },
          { id: `${namespace}_${name}__Service`, v: "v1" },
          { id: `${namespace}_${name}_apps_Deployment`, v: "v1" },
        ],
      },
      lastAttemptedConfigDigest: `sha256:${digest(`config/${namespace}/${name}`)}`,
      lastAttemptedGeneration: 1,
      lastAttemptedReleaseAction: "upgrade",
      lastAttemptedRevision: version,
      observedGeneration: 1,
      storageNamespace: namespace,
    },
  };
}

function kustomizationOf(app: App, created: number, revision: string, clock: Clock): KubeObject {
  const { namespace, name } = app;
  const applied = `Applied revision: ${revision}`;
  const failure = app.buildFails
    ? { reason: "BuildFailed", message: buildError(app) }
    : app.releaseFails
      ? { reason: "HealthCheckFailed", message: healthError(app) }
      : undefined;
  const entries = [
    { id: `${namespace}_${name}-values__ConfigMap`, v: "v1" },
    { id: `${namespace}_${name}_helm.toolkit.fluxcd.io_HelmRelease`, v: "v2" },
    ...(app.oci ? [{ id: `${namespace}_${name}_source.toolkit.fluxcd.io_OCIRepository`, v: "v1" }] : []),
  ];
  return {
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    metadata: fluxMeta(name, namespace, created, clock),
    spec: {
      interval: "10m",
      path: `./tenants/${namespace}/${name}`,
      prune: true,
      retryInterval: "2m",
      sourceRef: { kind: "GitRepository", name: "tenant" },
      ...(app.suspended && { suspend: true }),
      targetNamespace: namespace,
      timeout: "5m",
      wait: true,
    },
    status: {
      conditions: failure
        ? [
            condition(
              "Ready",
              false,
              failure.reason,
              failure.message,
              clock.ago(app.buildFails ? 3600 : 300),
            ),
            ...(app.releaseFails
              ? [condition("Healthy", false, failure.reason, failure.message, clock.ago(300))]
              : []),
          ]
        : [
            condition("Ready", true, "ReconciliationSucceeded", applied, clock.ago(240)),
            condition("Healthy", true, "Succeeded", "Health check passed in 1.02s", clock.ago(240)),
          ],
      inventory: { entries },
      lastAppliedRevision: revision,
      lastAttemptedRevision: revision,
      observedGeneration: 1,
    },
  };
}

/** Deployment → ReplicaSet → Pod, with the Service and values ConfigMap; a failed release crash-loops. */
function workload(app: App, clock: Clock): KubeObject[] {
  const { namespace, name } = app;
  const labels = { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": name };
  const owned = {
    "helm.toolkit.fluxcd.io/name": name,
    "helm.toolkit.fluxcd.io/namespace": namespace,
    "app.kubernetes.io/managed-by": "Helm",
  };
  const image = `ghcr.io/acme-corp/${name}:${chartVersion(app)}`;
  const template = `${namespace}/${name}`;
  const hash = shortHash(template, 9);
  const podName = `${name}-${hash}-${shortHash(`pod/${template}`, 5)}`;
  const deploymentUid = randomUUID();
  const replicaSetUid = randomUUID();
  const started = clock.ago(5 * 86400);
  const container = {
    name,
    image,
    ports: [{ containerPort: 8080, name: "http", protocol: "TCP" }],
    resources: { limits: { memory: "256Mi" }, requests: { cpu: "10m", memory: "64Mi" } },
  };
  const crashing = app.releaseFails;
  const pod: KubeObject = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: podName,
      namespace,
      uid: randomUUID(),
      creationTimestamp: crashing ? clock.ago(1200) : started,
      labels: { ...labels, "pod-template-hash": hash },
      ownerReferences: [
        {
          apiVersion: "apps/v1",
          kind: "ReplicaSet",
          name: `${name}-${hash}`,
          uid: replicaSetUid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: { containers: [container], nodeName: `node-${app.index % 12}`, serviceAccountName: name },
    status: {
      phase: "Running",
      conditions: [
        {
          type: "Ready",
          status: crashing ? "False" : "True",
          lastProbeTime: null,
          lastTransitionTime: crashing ? clock.ago(1200) : started,
        },
      ],
      containerStatuses: [
        {
          name,
          image,
          imageID: `${image}@sha256:${digest(image)}`,
          ready: !crashing,
          restartCount: crashing ? 7 : 0,
          started: !crashing,
          state: crashing
            ? {
                waiting: {
                  reason: "CrashLoopBackOff",
                  message: `back-off 5m0s restarting failed container=${name} pod=${podName}`,
                },
              }
            : { running: { startedAt: started } },
          ...(crashing && {
            lastState: {
              terminated: {
                exitCode: 1,
                reason: "Error",
                startedAt: clock.ago(130),
                finishedAt: clock.ago(128),
              },
            },
          }),
        },
      ],
      podIP: `10.${40 + (app.namespaceIndex % 200)}.${app.index % 250}.${(app.index * 7) % 250}`,
      qosClass: "Burstable",
      startTime: crashing ? clock.ago(1200) : started,
    },
  };
  const objects: KubeObject[] = [
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: `${name}-values`,
        namespace,
        labels: {
          "kustomize.toolkit.fluxcd.io/name": name,
          "kustomize.toolkit.fluxcd.io/namespace": namespace,
        },
      },
      data: { "values.yaml": `replicaCount: 1\nimage:\n  tag: ${chartVersion(app)}\nenv: production\n` },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name, namespace, labels: { ...labels, ...owned } },
      spec: {
        type: "ClusterIP",
        selector: labels,
        ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }],
      },
    },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name, namespace, uid: deploymentUid, generation: 4, labels: { ...labels, ...owned } },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [container], serviceAccountName: name } },
      },
      status: {
        observedGeneration: 4,
        replicas: 1,
        updatedReplicas: 1,
        readyReplicas: crashing ? 0 : 1,
        availableReplicas: crashing ? 0 : 1,
        ...(crashing && { unavailableReplicas: 1 }),
      },
    },
    {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: {
        name: `${name}-${hash}`,
        namespace,
        uid: replicaSetUid,
        labels: { ...labels, "pod-template-hash": hash },
        ownerReferences: [
          {
            apiVersion: "apps/v1",
            kind: "Deployment",
            name,
            uid: deploymentUid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        replicas: 1,
        selector: { matchLabels: { ...labels, "pod-template-hash": hash } },
        template: {
          metadata: { labels: { ...labels, "pod-template-hash": hash } },
          spec: { containers: [container] },
        },
      },
      status: {
        replicas: 1,
        readyReplicas: crashing ? 0 : 1,
        availableReplicas: crashing ? 0 : 1,
        observedGeneration: 1,
      },
    },
    pod,
  ];
  if (crashing) {
    objects.push(
      event(
        pod,
        "Warning",
        "BackOff",
        `Back-off restarting failed container ${name} in pod ${podName}_${namespace}(${pod.metadata.uid})`,
        "kubelet",
        30,
        88,
        clock,
      ),
    );
  }
  return objects;
}
