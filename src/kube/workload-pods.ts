// Finds the pods of a workload the way `kubectl logs deploy/x` does: the pods its selector matches
// in its namespace. Owner references only break ties: when some of the matching pods are owned by
// the workload (a Deployment through its ReplicaSets), those are the ones; when none is (owner
// references that do not line up, pods adopted by hand), the selector's answer stands.
import type { Kube, KubeObject } from "./types.ts";

export const WORKLOAD_KINDS = [
  "Pod",
  "Deployment",
  "StatefulSet",
  "DaemonSet",
  "ReplicaSet",
  "Job",
  "CronJob",
] as const;

export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/** The workload's pods, newest first; a Pod is its own single pod. Throws KubeError when it is absent. */
export async function workloadPods(
  kube: Kube,
  kind: WorkloadKind,
  name: string,
  namespace: string,
): Promise<KubeObject[]> {
  const workload = await kube.get(await kube.resolveKind(kind), name, namespace);
  return kind === "Pod" ? [workload] : podsOf(kube, { ...workload, kind });
}

/** The pods of a workload already read (its kind set), newest first. */
export async function podsOf(kube: Kube, workload: KubeObject): Promise<KubeObject[]> {
  const namespace = workload.metadata.namespace ?? "";
  if (workload.kind === "CronJob") return cronJobPods(kube, workload, namespace);
  const selector = labelSelector(workload.spec);
  // A workload without a selector selects nothing (the API server refuses one for these kinds).
  if (selector === undefined) return [];
  const pods = await kube.list(await kube.resolveKind("Pod"), { namespace, labelSelector: selector });
  const owners = [workload];
  if (workload.kind === "Deployment") {
    const replicaSets = await kube.list(await kube.resolveKind("ReplicaSet"), {
      namespace,
      labelSelector: selector,
    });
    owners.push(...replicaSets.items.filter((item) => ownedBy(item, [workload])));
  }
  const owned = pods.items.filter((pod) => ownedBy(pod, owners));
  return (owned.length > 0 ? owned : pods.items).sort(newestFirst);
}

/** A CronJob has no selector of its own: its Jobs' selectors name their pods. */
async function cronJobPods(kube: Kube, cronJob: KubeObject, namespace: string): Promise<KubeObject[]> {
  const jobs = await kube.list(await kube.resolveKind("Job"), { namespace });
  const owned = jobs.items.filter((job) => ownedBy(job, [cronJob]));
  const pods = await Promise.all(owned.map((job) => podsOf(kube, { ...job, kind: "Job" })));
  return pods.flat().sort(newestFirst);
}

function ownedBy(object: KubeObject, owners: readonly KubeObject[]): boolean {
  return (object.metadata.ownerReferences ?? []).some(
    (reference) =>
      reference.controller !== false &&
      owners.some((owner) =>
        owner.metadata.uid !== undefined
          ? reference.uid === owner.metadata.uid
          : reference.kind === owner.kind && reference.name === owner.metadata.name,
      ),
  );
}

function newestFirst(a: KubeObject, b: KubeObject): number {
  const created = (object: KubeObject) => object.metadata.creationTimestamp ?? "";
  return created(b).localeCompare(created(a)) || (a.metadata.name ?? "").localeCompare(b.metadata.name ?? "");
}

interface SelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

/** A workload's spec.selector as a labelSelector query; undefined when it has none. */
function labelSelector(spec: unknown): string | undefined {
  const selector = (spec as { selector?: unknown } | undefined)?.selector;
  if (typeof selector !== "object" || selector === null) return undefined;
  const { matchLabels, matchExpressions } = selector as {
    matchLabels?: Record<string, string>;
    matchExpressions?: SelectorRequirement[];
  };
  const terms = [
    ...Object.entries(matchLabels ?? {}).map(([key, value]) => `${key}=${value}`),
    ...(matchExpressions ?? []).map(requirement),
  ];
  return terms.length === 0 ? undefined : terms.join(",");
}

function requirement({ key, operator, values = [] }: SelectorRequirement): string {
  switch (operator) {
    case "In":
      return `${key} in (${values.join(",")})`;
    case "NotIn":
      return `${key} notin (${values.join(",")})`;
    case "Exists":
      return key;
    case "DoesNotExist":
      return `!${key}`;
    default:
      throw new Error(`unknown label selector operator ${operator} for key ${key}`);
  }
}
