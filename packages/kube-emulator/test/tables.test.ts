import { test } from "node:test";
import assert from "node:assert/strict";
import { ageSince, humanDuration } from "../src/human-duration.ts";
import { BUILTIN_TYPES } from "../src/resources/builtin-types.ts";
import type { PrinterColumn, ResourceType } from "../src/resources/resource-type.ts";
import { toTable } from "../src/tables.ts";
import type { KubeObject } from "../src/types.ts";

const now = new Date("2026-08-20T12:00:00Z");
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString().replace(".000Z", "Z");

interface Column {
  name: string;
  type: string;
  format: string;
  priority: number;
}
interface Row {
  cells: unknown[];
  conditions?: { type: string; status: string }[];
  object?: KubeObject;
}
interface Table {
  kind: string;
  apiVersion: string;
  metadata: Record<string, unknown>;
  columnDefinitions: Column[];
  rows: Row[];
}

function builtin(group: string, kind: string): ResourceType {
  const type = BUILTIN_TYPES.find((candidate) => candidate.group === group && candidate.kind === kind);
  assert.ok(type, `${group}/${kind} is a built-in type`);
  return type;
}

function table(
  type: ResourceType,
  objects: KubeObject[],
  options: Partial<Parameters<typeof toTable>[3]> = {},
) {
  return toTable(type, type.versions[0]!.name, objects, { now, ...options }) as unknown as Table;
}

/** Cells of the first row by upper-cased column name, as kubectl would head them. */
function cellsByHeader(result: Table, wide = false): Record<string, unknown> {
  const row = result.rows[0]!;
  const cells: Record<string, unknown> = {};
  result.columnDefinitions.forEach((column, index) => {
    if (wide || column.priority === 0) cells[column.name.toUpperCase()] = row.cells[index];
  });
  return cells;
}

const helmReleaseColumns: PrinterColumn[] = [
  { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
  { name: "Ready", type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
  { name: "Status", type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].message' },
];

function helmReleaseType(printerColumns: PrinterColumn[] = helmReleaseColumns): ResourceType {
  return {
    group: "helm.toolkit.fluxcd.io",
    kind: "HelmRelease",
    listKind: "HelmReleaseList",
    plural: "helmreleases",
    singular: "helmrelease",
    namespaced: true,
    shortNames: ["hr"],
    categories: ["all"],
    versions: [{ name: "v2", storage: true, printerColumns, statusSubresource: true }],
    verbs: ["get", "list", "create", "update", "patch", "delete"],
    crdName: "helmreleases.helm.toolkit.fluxcd.io",
  };
}

function helmRelease(name: string, ready?: { status: string; message: string }): KubeObject {
  return {
    apiVersion: "helm.toolkit.fluxcd.io/v2",
    kind: "HelmRelease",
    metadata: {
      name,
      namespace: "apps",
      creationTimestamp: ago(3 * 86400 + 2 * 3600),
      labels: { app: name },
    },
    spec: { interval: "10m" },
    ...(ready && {
      status: {
        conditions: [
          { type: "Reconciling", status: "False", message: "not this one" },
          { type: "Ready", ...ready },
        ],
      },
    }),
  };
}

test("humanDuration reproduces Kubernetes' HumanDuration boundaries", () => {
  const cases: [number, string][] = [
    [-3, "<invalid>"],
    [-1.5, "0s"],
    [0, "0s"],
    [45, "45s"],
    [119, "119s"],
    [120, "2m"],
    [125, "2m5s"],
    [9 * 60 + 59, "9m59s"],
    [10 * 60 + 30, "10m"],
    [179 * 60, "179m"],
    [3 * 3600, "3h"],
    [3 * 3600 + 5 * 60, "3h5m"],
    [7 * 3600 + 59 * 60, "7h59m"],
    [8 * 3600 + 59 * 60, "8h"],
    [47 * 3600, "47h"],
    [48 * 3600, "2d"],
    [3 * 86400 + 2 * 3600, "3d2h"],
    [7 * 86400 + 23 * 3600, "7d23h"],
    [8 * 86400 + 5 * 3600, "8d"],
    [729 * 86400, "729d"],
    [730 * 86400, "2y"],
    [731 * 86400, "2y1d"],
    [8 * 365 * 86400 + 86400, "8y"],
  ];
  for (const [seconds, expected] of cases) {
    assert.equal(humanDuration(seconds * 1000), expected, `${seconds}s`);
  }
});

test("ageSince prints <unknown> for missing or malformed timestamps", () => {
  assert.equal(ageSince(undefined, now), "<unknown>");
  assert.equal(ageSince("yesterday", now), "<unknown>");
  assert.equal(ageSince(ago(300), now), "5m");
  assert.equal(ageSince("2026-08-20T11:59:15.123456Z", now), "44s");
});

test("a crash-looping pod prints CrashLoopBackOff and its last restart", () => {
  const pod: KubeObject = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "podinfo-7d9f", namespace: "apps", creationTimestamp: ago(3 * 86400 + 2 * 3600) },
    spec: {
      nodeName: "node-1",
      containers: [{ name: "podinfo", image: "ghcr.io/stefanprodan/podinfo:6.5.0" }],
    },
    status: {
      phase: "Running",
      podIP: "10.244.0.12",
      conditions: [{ type: "Ready", status: "False" }],
      containerStatuses: [
        {
          name: "podinfo",
          ready: false,
          restartCount: 5,
          state: {
            waiting: { reason: "CrashLoopBackOff", message: "back-off 2m40s restarting failed container" },
          },
          lastState: { terminated: { exitCode: 1, reason: "Error", finishedAt: ago(130) } },
        },
      ],
    },
  };
  const result = table(builtin("", "Pod"), [pod]);
  assert.equal(result.kind, "Table");
  assert.equal(result.apiVersion, "meta.k8s.io/v1");
  assert.deepEqual(
    result.columnDefinitions.map((column) => column.name),
    ["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"],
  );
  assert.equal(result.columnDefinitions[0]!.format, "name");
  assert.deepEqual(cellsByHeader(result), {
    NAME: "podinfo-7d9f",
    READY: "0/1",
    STATUS: "CrashLoopBackOff",
    RESTARTS: "5 (2m10s ago)",
    AGE: "3d2h",
  });
  // The wide cells are always sent; kubectl shows them for -o wide only.
  assert.deepEqual(result.rows[0]!.cells.slice(5), ["10.244.0.12", "node-1", "<none>", "<none>"]);
  assert.deepEqual(
    result.columnDefinitions.map((column) => column.priority),
    [0, 0, 0, 0, 0, 1, 1, 1, 1],
  );
});

test("pod STATUS follows kubectl: Completed, Terminating, init progress and running", () => {
  const pod = (status: Record<string, unknown>, extra: Partial<KubeObject> = {}): KubeObject => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", namespace: "default", creationTimestamp: ago(60), ...extra.metadata },
    spec: extra.spec ?? { containers: [{ name: "main" }] },
    status,
  });
  const statusOf = (object: KubeObject) => table(builtin("", "Pod"), [object]).rows[0]!.cells[2];
  const readyOf = (object: KubeObject) => table(builtin("", "Pod"), [object]).rows[0]!.cells[1];

  const completed = pod({
    phase: "Succeeded",
    containerStatuses: [
      { name: "main", restartCount: 0, state: { terminated: { exitCode: 0, reason: "Completed" } } },
    ],
  });
  assert.equal(statusOf(completed), "Completed");
  assert.deepEqual(table(builtin("", "Pod"), [completed]).rows[0]!.conditions?.[0]?.type, "Completed");

  const running = pod({
    phase: "Running",
    containerStatuses: [
      { name: "main", ready: true, restartCount: 0, state: { running: { startedAt: ago(50) } } },
    ],
  });
  assert.equal(statusOf(running), "Running");
  assert.equal(readyOf(running), "1/1");
  assert.equal(table(builtin("", "Pod"), [running]).rows[0]!.cells[3], "0");

  const terminating = pod({ phase: "Running" }, { metadata: { name: "p", deletionTimestamp: ago(5) } });
  assert.equal(statusOf(terminating), "Terminating");

  const initSpec = { initContainers: [{ name: "init" }], containers: [{ name: "main" }] };
  const initializing = pod(
    { phase: "Pending", initContainerStatuses: [{ name: "init", state: { running: {} } }] },
    { spec: initSpec },
  );
  assert.equal(statusOf(initializing), "Init:0/1");
  const initCrashing = pod(
    {
      phase: "Pending",
      initContainerStatuses: [{ name: "init", state: { waiting: { reason: "CrashLoopBackOff" } } }],
    },
    { spec: initSpec },
  );
  assert.equal(statusOf(initCrashing), "Init:CrashLoopBackOff");
  const initFailed = pod(
    { phase: "Pending", initContainerStatuses: [{ name: "init", state: { terminated: { exitCode: 2 } } }] },
    { spec: initSpec },
  );
  assert.equal(statusOf(initFailed), "Init:ExitCode:2");

  const oomKilled = pod({
    phase: "Running",
    containerStatuses: [
      { name: "main", restartCount: 1, state: { terminated: { exitCode: 137, reason: "OOMKilled" } } },
    ],
  });
  assert.equal(statusOf(oomKilled), "OOMKilled");
});

test("a Deployment prints READY UP-TO-DATE AVAILABLE AGE and wide CONTAINERS IMAGES SELECTOR", () => {
  const deployment: KubeObject = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "podinfo", namespace: "apps", creationTimestamp: ago(600) },
    spec: {
      replicas: 3,
      selector: {
        matchLabels: { app: "podinfo" },
        matchExpressions: [{ key: "tier", operator: "In", values: ["web", "api"] }],
      },
      template: {
        spec: {
          containers: [
            { name: "podinfo", image: "ghcr.io/stefanprodan/podinfo:6.5.0" },
            { name: "proxy", image: "envoy:v1.30" },
          ],
        },
      },
    },
    status: { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
  };
  const result = table(builtin("apps", "Deployment"), [deployment]);
  assert.deepEqual(cellsByHeader(result), {
    NAME: "podinfo",
    READY: "2/3",
    "UP-TO-DATE": 3,
    AVAILABLE: 2,
    AGE: "10m",
  });
  assert.deepEqual(cellsByHeader(result, true), {
    NAME: "podinfo",
    READY: "2/3",
    "UP-TO-DATE": 3,
    AVAILABLE: 2,
    AGE: "10m",
    CONTAINERS: "podinfo,proxy",
    IMAGES: "ghcr.io/stefanprodan/podinfo:6.5.0,envoy:v1.30",
    SELECTOR: "app=podinfo,tier in (api,web)",
  });
  // spec.replicas defaults to 1.
  const unscaled = { ...deployment, spec: { template: {} }, status: {} };
  assert.equal(table(builtin("apps", "Deployment"), [unscaled]).rows[0]!.cells[1], "0/1");
});

test("a HelmRelease-like custom resource prints its CRD printer columns", () => {
  const result = table(helmReleaseType(), [
    helmRelease("podinfo", { status: "True", message: "Helm install succeeded for release apps/podinfo.v1" }),
    helmRelease("pending"),
  ]);
  assert.deepEqual(
    result.columnDefinitions.map(({ name, type, format, priority }) => ({ name, type, format, priority })),
    [
      { name: "Name", type: "string", format: "name", priority: 0 },
      { name: "Age", type: "date", format: "", priority: 0 },
      { name: "Ready", type: "string", format: "", priority: 0 },
      { name: "Status", type: "string", format: "", priority: 0 },
    ],
  );
  assert.deepEqual(result.rows[0]!.cells, [
    "podinfo",
    "3d2h",
    "True",
    "Helm install succeeded for release apps/podinfo.v1",
  ]);
  // Missing values are null cells, which kubectl prints blank.
  assert.deepEqual(result.rows[1]!.cells, ["pending", "3d2h", null, null]);
});

test("custom resource columns keep their priority and type their cells", () => {
  const columns: PrinterColumn[] = [
    { name: "Suspended", type: "boolean", jsonPath: ".spec.suspend" },
    { name: "Replicas", type: "integer", jsonPath: ".spec.replicas", priority: 1 },
    { name: "Values", type: "string", jsonPath: ".spec.values", priority: 1 },
    { name: "Bad Date", type: "date", jsonPath: ".spec.interval", priority: 1 },
  ];
  const object = helmRelease("podinfo");
  object.spec = { suspend: true, replicas: 2.0, values: { replicaCount: 2 }, interval: "10m" };
  const result = table(helmReleaseType(columns), [object]);
  assert.deepEqual(
    result.columnDefinitions.map((column) => column.priority),
    [0, 0, 1, 1, 1],
  );
  assert.deepEqual(result.rows[0]!.cells, ["podinfo", true, 2, '{"replicaCount":2}', "<invalid>"]);
});

test("a custom resource without printer columns prints Name and Age", () => {
  const result = table(helmReleaseType([]), [helmRelease("podinfo")]);
  assert.deepEqual(
    result.columnDefinitions.map((column) => column.name),
    ["Name", "Age"],
  );
  assert.deepEqual(result.rows[0]!.cells, ["podinfo", "3d2h"]);
});

test("rows carry metadata by default, the whole object or nothing on request", () => {
  const object = helmRelease("podinfo");
  const byDefault = table(helmReleaseType(), [object], {
    listMetadata: { resourceVersion: "42", continue: undefined },
  });
  assert.deepEqual(byDefault.metadata, { resourceVersion: "42" });
  assert.deepEqual(byDefault.rows[0]!.object, {
    kind: "PartialObjectMetadata",
    apiVersion: "meta.k8s.io/v1",
    metadata: object.metadata,
  });
  assert.equal(table(helmReleaseType(), [object], { includeObject: "Object" }).rows[0]!.object, object);
  assert.equal("object" in table(helmReleaseType(), [object], { includeObject: "None" }).rows[0]!, false);
});

test("core events print LAST SEEN TYPE REASON OBJECT MESSAGE", () => {
  const event: KubeObject = {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: "podinfo.17f", namespace: "apps" },
    involvedObject: { kind: "HelmRelease", name: "podinfo", namespace: "apps" },
    reason: "InstallFailed",
    message: "Helm install failed: timed out\n",
    type: "Warning",
    source: { component: "helm-controller" },
    firstTimestamp: ago(3600),
    lastTimestamp: ago(90),
    count: 4,
  };
  const result = table(builtin("", "Event"), [event]);
  assert.deepEqual(cellsByHeader(result), {
    "LAST SEEN": "90s",
    TYPE: "Warning",
    REASON: "InstallFailed",
    OBJECT: "helmrelease/podinfo",
    MESSAGE: "Helm install failed: timed out",
  });
  assert.deepEqual(result.rows[0]!.cells.slice(7), ["60m", 4, "podinfo.17f"]);
});

test("services, config maps, namespaces, nodes and RBAC objects print their kube-apiserver columns", () => {
  const service: KubeObject = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "podinfo", namespace: "apps", creationTimestamp: ago(30) },
    spec: {
      type: "NodePort",
      clusterIP: "10.96.0.10",
      ports: [{ port: 9898, nodePort: 30080, protocol: "TCP" }, { port: 9999 }],
      selector: { app: "podinfo" },
    },
  };
  assert.deepEqual(table(builtin("", "Service"), [service]).rows[0]!.cells, [
    "podinfo",
    "NodePort",
    "10.96.0.10",
    "<none>",
    "9898:30080/TCP,9999/TCP",
    "30s",
    "app=podinfo",
  ]);

  const configMap: KubeObject = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "values", creationTimestamp: ago(30) },
    data: { a: "1", b: "2" },
  };
  assert.deepEqual(table(builtin("", "ConfigMap"), [configMap]).rows[0]!.cells, ["values", 2, "30s"]);

  const namespace: KubeObject = { apiVersion: "v1", kind: "Namespace", metadata: { name: "apps" } };
  assert.deepEqual(table(builtin("", "Namespace"), [namespace]).rows[0]!.cells, [
    "apps",
    "Active",
    "<unknown>",
  ]);

  const node: KubeObject = {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: "node-1",
      creationTimestamp: ago(86400),
      labels: { "node-role.kubernetes.io/control-plane": "" },
    },
    spec: { unschedulable: true },
    status: {
      conditions: [{ type: "Ready", status: "True" }],
      addresses: [{ type: "InternalIP", address: "172.18.0.2" }],
      nodeInfo: {
        kubeletVersion: "v1.32.0",
        kernelVersion: "6.8.0",
        containerRuntimeVersion: "containerd://1.7.0",
      },
    },
  };
  assert.deepEqual(table(builtin("", "Node"), [node]).rows[0]!.cells, [
    "node-1",
    "Ready,SchedulingDisabled",
    "control-plane",
    "24h",
    "v1.32.0",
    "172.18.0.2",
    "<none>",
    "<unknown>",
    "6.8.0",
    "containerd://1.7.0",
  ]);

  const clusterRole: KubeObject = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name: "flux-view", creationTimestamp: "2026-08-01T10:00:00.000Z" },
  };
  const roles = table(builtin("rbac.authorization.k8s.io", "ClusterRole"), [clusterRole]);
  assert.deepEqual(
    roles.columnDefinitions.map((column) => column.name),
    ["Name", "Created At"],
  );
  assert.deepEqual(roles.rows[0]!.cells, ["flux-view", "2026-08-01T10:00:00Z"]);

  const binding: KubeObject = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name: "view", namespace: "apps", creationTimestamp: ago(30) },
    roleRef: { kind: "ClusterRole", name: "flux-view" },
    subjects: [
      { kind: "User", name: "alice" },
      { kind: "ServiceAccount", name: "ci", namespace: "apps" },
      { kind: "Group", name: "devs" },
    ],
  };
  assert.deepEqual(table(builtin("rbac.authorization.k8s.io", "RoleBinding"), [binding]).rows[0]!.cells, [
    "view",
    "ClusterRole/flux-view",
    "30s",
    "alice",
    "devs",
    "apps/ci",
  ]);
});

test("kinds without a printer print Name and Age", () => {
  const metrics = builtin("metrics.k8s.io", "PodMetrics");
  const result = table(metrics, [
    {
      apiVersion: "metrics.k8s.io/v1beta1",
      kind: "PodMetrics",
      metadata: { name: "p", creationTimestamp: ago(5) },
    },
  ]);
  assert.deepEqual(
    result.columnDefinitions.map((column) => column.name),
    ["Name", "Age"],
  );
  assert.deepEqual(result.rows[0]!.cells, ["p", "5s"]);
});
