// Finds the pods of a workload the way its controllers own them: the pods matching the workload's
// selector whose controller owner is the workload (Deployments and CronJobs through their
// ReplicaSets and Jobs). A selector alone could also pick up pods of another workload.
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

/** What owns the pods directly, for the workloads that own them through another kind. */
const INTERMEDIATE: Partial<Record<WorkloadKind, "ReplicaSet" | "Job">> = {
  Deployment: "ReplicaSet",
  CronJob: "Job",
};

/** The workload's pods, newest first; a Pod is its own single pod. Throws KubeError when it is absent. */
export async function workloadPods(
  kube: Kube,
  kind: WorkloadKind,
  name: string,
  namespace: string,
): Promise<KubeObject[]> {
  const workload = await kube.get(await kube.resolveKind(kind), name, namespace);
  if (kind === "Pod") return [workload];

  let owners = [workload];
  const selector = labelSelector(workload.spec);
  const intermediate = INTERMEDIATE[kind];
  if (intermediate !== undefined) {
    const candidates = await kube.list(await kube.resolveKind(intermediate), {
      namespace,
      ...(selector !== undefined && { labelSelector: selector }),
    });
    owners = candidates.items.filter((item) => ownedBy(item, owners));
    if (owners.length === 0) return [];
  }
  // A CronJob has no selector of its own: its Jobs' selectors name their pods.
  const podSelector = intermediate === "Job" ? undefined : selector;
  const pods = await kube.list(await kube.resolveKind("Pod"), {
    namespace,
    ...(podSelector !== undefined && { labelSelector: podSelector }),
  });
  return pods.items.filter((pod) => ownedBy(pod, owners)).sort(newestFirst);
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
