// A support bundle: what the tools read from a live cluster (Flux CRDs and objects with status,
// their events, workloads and pods, log tails of troubled pods, metrics) in the in-memory API
// server's load format, so `serve --snapshot FILE` answers the same questions without the cluster.
// Secrets are never written; every other Secret value that appears anywhere is masked.
import { KubeError, type Kube, type KubeObject } from "../kube/types.ts";
import { FLUX_KINDS, isFluxGroup } from "./kinds.ts";

/** The side formats of the in-memory API server (ClusterInfo, PodLogs). */
const SNAPSHOT_API_VERSION = "apiserver.flux-mcp.dev/v1alpha1";
const LOG_TAIL_LINES = 200;
const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/** The kinds a snapshot holds besides the Flux kinds: what runs, and what says what happened. */
const KUBERNETES_KINDS = [
  { kind: "Namespace", group: "" },
  { kind: "Node", group: "" },
  { kind: "Deployment", group: "apps" },
  { kind: "StatefulSet", group: "apps" },
  { kind: "DaemonSet", group: "apps" },
  { kind: "ReplicaSet", group: "apps" },
  { kind: "Job", group: "batch" },
  { kind: "CronJob", group: "batch" },
  { kind: "Pod", group: "" },
  { kind: "Service", group: "" },
  { kind: "Event", group: "" },
];

export interface SnapshotProgress {
  (step: string, done: number, total: number): void;
}

/** Every document of the snapshot, ClusterInfo first. */
export async function takeSnapshot(
  kube: Kube,
  clusterName: string,
  progress: SnapshotProgress,
): Promise<unknown[]> {
  const steps = 3 + FLUX_KINDS.length + KUBERNETES_KINDS.length;
  let done = 0;
  const step = (name: string) => progress(name, ++done, steps);
  const documents: unknown[] = [
    {
      apiVersion: SNAPSHOT_API_VERSION,
      kind: "ClusterInfo",
      metadata: { name: clusterName },
      kubernetesVersion: await kube.serverVersion(),
      capturedAt: new Date().toISOString(),
      // A record: the in-memory API server serves it without letting anything change it.
      readOnly: true,
    },
  ];
  step("CustomResourceDefinitions");
  const crds = await listOrNothing(kube, "CustomResourceDefinition", "apiextensions.k8s.io");
  documents.push(
    ...crds.filter((crd) => {
      const group = (crd.spec as { group?: unknown } | undefined)?.group;
      return typeof group === "string" && isFluxGroup(group);
    }),
  );
  const pods: KubeObject[] = [];
  for (const { kind, group } of [...KUBERNETES_KINDS, ...FLUX_KINDS]) {
    step(kind);
    const items = await listOrNothing(kube, kind, group);
    if (kind === "Pod") pods.push(...items);
    documents.push(...items);
  }
  step("logs of troubled pods");
  for (const pod of pods.filter(troubled)) documents.push(await podLogs(kube, pod));
  step("metrics");
  documents.push(...(await metrics(kube)));
  return documents.map((document) => cleaned(document as KubeObject));
}

async function listOrNothing(kube: Kube, kindName: string, group: string): Promise<KubeObject[]> {
  try {
    const kind = await kube.resolveKind(kindName, group || "v1");
    return (await kube.list(kind)).items.map((item) => ({
      ...item,
      apiVersion: kind.apiVersion,
      kind: kind.kind,
    }));
  } catch (error) {
    if (error instanceof KubeError && (error.reason === "UnknownKind" || error.reason === "Forbidden"))
      return [];
    throw error;
  }
}

function troubled(pod: KubeObject): boolean {
  const status = (pod.status ?? {}) as {
    phase?: string;
    containerStatuses?: { restartCount?: number; ready?: boolean }[];
  };
  return (
    status.phase === "Failed" ||
    (status.containerStatuses ?? []).some(
      (container) => (container.restartCount ?? 0) > 0 || container.ready === false,
    )
  );
}

/** The tail of each container's log, and of its previous instance when the kubelet has it. */
async function podLogs(kube: Kube, pod: KubeObject): Promise<unknown> {
  const namespace = pod.metadata.namespace ?? "";
  const name = pod.metadata.name ?? "";
  const containers = (
    (pod.spec as { containers?: { name?: string }[] } | undefined)?.containers ?? []
  ).flatMap((container) => (container.name ? [container.name] : []));
  const read = async (container: string, previous: boolean) => {
    try {
      return await kube.podLogs(namespace, name, {
        container,
        tailLines: LOG_TAIL_LINES,
        timestamps: true,
        ...(previous && { previous }),
      });
    } catch (error) {
      if (error instanceof KubeError && error.reason !== "Cancelled" && error.reason !== "Timeout")
        return undefined;
      throw error;
    }
  };
  return {
    apiVersion: SNAPSHOT_API_VERSION,
    kind: "PodLogs",
    metadata: { namespace, name },
    containers: await Promise.all(
      containers.map(async (container) => {
        const [log, previous] = await Promise.all([read(container, false), read(container, true)]);
        return { name: container, log: log ?? "", ...(previous !== undefined && { previous }) };
      }),
    ),
  };
}

async function metrics(kube: Kube): Promise<unknown[]> {
  const list = async (path: readonly string[], kind: string) => {
    try {
      const answer = (await kube.getPath(path)) as { items?: KubeObject[] };
      return (answer.items ?? []).map((item) => ({ ...item, apiVersion: "metrics.k8s.io/v1beta1", kind }));
    } catch (error) {
      if (error instanceof KubeError && error.reason !== "Cancelled" && error.reason !== "Timeout") return [];
      throw error;
    }
  };
  return [
    ...(await list(["apis", "metrics.k8s.io", "v1beta1", "pods"], "PodMetrics")),
    ...(await list(["apis", "metrics.k8s.io", "v1beta1", "nodes"], "NodeMetrics")),
  ];
}

/** Without what only the server needs (managedFields, resourceVersion) or what repeats the spec. */
function cleaned(object: KubeObject): unknown {
  if (!object.metadata) return object;
  const {
    managedFields: _managed,
    resourceVersion: _version,
    selfLink: _link,
    ...metadata
  } = object.metadata;
  const annotations = { ...(metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  return {
    ...object,
    metadata: { ...metadata, ...(metadata.annotations && { annotations }) },
  };
}
