// Image automation as a person asks about it: for an ImagePolicy, the latest tag it chose and the
// workloads (and the Flux objects that apply them) running that image, with the tag each runs; for
// an ImageUpdateAutomation, whether the commit it last pushed has been applied by the Kustomization
// that deploys the path it updates.
import { listPages } from "../kube/paging.ts";
import { KubeError, type Kube, type KubeObject, type ResolvedKind } from "../kube/types.ts";
import { describeManager, fluxManagersOf } from "./managed-by.ts";

const WORKLOAD_KINDS = [
  { kind: "Deployment", group: "apps" },
  { kind: "StatefulSet", group: "apps" },
  { kind: "DaemonSet", group: "apps" },
  { kind: "CronJob", group: "batch" },
];

export interface ImageReference {
  /** The image without tag or digest, e.g. ghcr.io/stefanprodan/podinfo. */
  repository: string;
  tag?: string;
  digest?: string;
}

export interface ImageUse {
  /** `Deployment frontend/podinfo`. */
  workload: string;
  container: string;
  /** The tag it runs, or its digest when it names none. */
  runs: string;
  /** The Flux object that applies the workload, e.g. `HelmRelease frontend/podinfo`. */
  appliedBy?: string;
}

/** `host:port/path/name:tag@sha256:…` split into repository, tag and digest. */
export function parseImage(image: string): ImageReference {
  const [named = "", digest] = image.split("@", 2);
  const slash = named.lastIndexOf("/");
  const colon = named.lastIndexOf(":");
  const hasTag = colon > slash;
  return {
    repository: hasTag ? named.slice(0, colon) : named,
    ...(hasTag && { tag: named.slice(colon + 1) }),
    ...(digest && { digest }),
  };
}

/** The image an ImagePolicy chose: status.latestRef (v1), else status.latestImage (older APIs). */
export function policyLatest(policy: KubeObject): ImageReference | undefined {
  const status = (policy.status ?? {}) as {
    latestRef?: { name?: string; tag?: string; digest?: string };
    latestImage?: string;
  };
  if (status.latestRef?.name) {
    return {
      repository: status.latestRef.name,
      ...(status.latestRef.tag && { tag: status.latestRef.tag }),
      ...(status.latestRef.digest && { digest: status.latestRef.digest }),
    };
  }
  return status.latestImage ? parseImage(status.latestImage) : undefined;
}

/** Every container of the context's workloads that runs one of these repositories, by repository. */
export async function imageUses(
  kube: Kube,
  repositories: ReadonlySet<string>,
): Promise<Map<string, ImageUse[]>> {
  const uses = new Map<string, ImageUse[]>();
  if (repositories.size === 0) return uses;
  for (const { kind: kindName, group } of WORKLOAD_KINDS) {
    let kind: ResolvedKind;
    try {
      kind = await kube.resolveKind(kindName, group);
    } catch (error) {
      if (error instanceof KubeError && error.reason === "UnknownKind") continue;
      throw error;
    }
    // Every workload of the cluster is looked at, and only those running the image are kept.
    for await (const items of listPages(kube, kind)) {
      for (const item of items) {
        const workload = `${kindName} ${item.metadata.namespace ?? ""}/${item.metadata.name ?? ""}`;
        const manager = fluxManagersOf(item)[0];
        for (const container of containersOf(item, kindName)) {
          const image = parseImage(container.image);
          if (!repositories.has(image.repository)) continue;
          const list = uses.get(image.repository) ?? [];
          list.push({
            workload,
            container: container.name,
            runs: image.tag ?? image.digest ?? "latest (no tag)",
            ...(manager && { appliedBy: describeManager(manager) }),
          });
          uses.set(image.repository, list);
        }
      }
    }
  }
  return uses;
}

interface PodSpecFields {
  initContainers?: { name?: unknown; image?: unknown }[];
  containers?: { name?: unknown; image?: unknown }[];
}

/** The containers (init ones too) of a workload's pod template, with their images. */
export function workloadImages(workload: KubeObject): { container: string; image: string }[] {
  return containersOf(workload, workload.kind).map(({ name, image }) => ({ container: name, image }));
}

function containersOf(workload: KubeObject, kind: string): { name: string; image: string }[] {
  const spec = workload.spec as
    | {
        template?: { spec?: PodSpecFields };
        jobTemplate?: { spec?: { template?: { spec?: PodSpecFields } } };
      }
    | undefined;
  const podSpec = kind === "CronJob" ? spec?.jobTemplate?.spec?.template?.spec : spec?.template?.spec;
  const containers = [...(podSpec?.initContainers ?? []), ...(podSpec?.containers ?? [])];
  return containers.flatMap((container) =>
    typeof container.image === "string"
      ? [{ name: typeof container.name === "string" ? container.name : "?", image: container.image }]
      : [],
  );
}

export interface PushVerdict {
  commit: string;
  pushed?: string;
  /** The Kustomization that deploys the updated path, or why none was found. */
  deployedBy: string;
  applied: boolean | "unknown";
  /** In words: which revision it applied, or what keeps it from applying the push. */
  detail: string;
}

interface KustomizationFields {
  spec?: { path?: string; sourceRef?: { kind?: string; name?: string; namespace?: string } };
  status?: {
    lastAppliedRevision?: string;
    lastAttemptedRevision?: string;
    history?: { firstReconciled?: string; lastReconciledStatus?: string; metadata?: { revision?: string } }[];
    conditions?: { type?: string; status?: string; reason?: string }[];
  };
}

/**
 * The Kustomizations that apply from a GitRepository these automations push to (the only ones
 * lastPushVerdict looks at), read a page at a time: a fleet's other Kustomizations are not kept.
 */
export async function kustomizationsOfPushedRepositories(
  kube: Kube,
  kustomizationKind: ResolvedKind,
  automations: readonly KubeObject[],
): Promise<KubeObject[]> {
  const repositories = new Set(automations.map(pushedRepository));
  const kept: KubeObject[] = [];
  for await (const items of listPages(kube, kustomizationKind)) {
    for (const item of items) {
      const repository = appliedRepository(item);
      if (repository !== undefined && repositories.has(repository)) kept.push(item);
    }
  }
  return kept;
}

/** The GitRepository an ImageUpdateAutomation pushes to, as `namespace/name`. */
function pushedRepository(automation: KubeObject): string {
  const ref = (automation.spec as { sourceRef?: { name?: string; namespace?: string } } | undefined)
    ?.sourceRef;
  return `${ref?.namespace ?? automation.metadata.namespace ?? ""}/${ref?.name ?? ""}`;
}

/** The GitRepository a Kustomization applies from, as `namespace/name`; none for other sources. */
function appliedRepository(kustomization: KubeObject): string | undefined {
  const ref = (kustomization as KustomizationFields).spec?.sourceRef;
  if (ref?.kind !== "GitRepository") return undefined;
  return `${ref.namespace ?? kustomization.metadata.namespace ?? ""}/${ref.name ?? ""}`;
}

/**
 * Whether the automation's last push is applied: by the Kustomization of the same Git source whose
 * path holds (or lies inside) the updated path, the closest one. Applied when its applied revision is
 * the pushed commit, or a revision it first applied after the push (a later commit of the branch).
 */
export function lastPushVerdict(
  automation: KubeObject,
  kustomizations: readonly KubeObject[],
): PushVerdict | undefined {
  const spec = (automation.spec ?? {}) as { update?: { path?: string } };
  const status = (automation.status ?? {}) as { lastPushCommit?: string; lastPushTime?: string };
  if (!status.lastPushCommit) return undefined;
  const commit = status.lastPushCommit;
  const short = commit.slice(0, 8);
  const repository = pushedRepository(automation);
  const updated = normalPath(spec.update?.path ?? "");
  const candidates = kustomizations
    .map((object) => ({ object, fields: object as KustomizationFields }))
    .filter(({ object, fields }) => {
      if (appliedRepository(object) !== repository) return false;
      const path = normalPath(fields.spec?.path ?? "");
      return (
        path === "" || updated.startsWith(`${path}/`) || updated === path || path.startsWith(`${updated}/`)
      );
    })
    .sort(
      (a, b) => normalPath(b.fields.spec?.path ?? "").length - normalPath(a.fields.spec?.path ?? "").length,
    );
  const best = candidates[0];
  const base = { commit: short, ...(status.lastPushTime && { pushed: status.lastPushTime }) };
  if (!best) {
    return {
      ...base,
      deployedBy: `no Kustomization of GitRepository ${repository} deploys ${updated || "the repository root"}`,
      applied: "unknown",
      detail: "nothing found that applies the updated path",
    };
  }
  const name = `Kustomization ${best.object.metadata.namespace}/${best.object.metadata.name}`;
  const applied = best.fields.status?.lastAppliedRevision ?? "";
  const attempted = best.fields.status?.lastAttemptedRevision ?? "";
  const pushTime = status.lastPushTime ? Date.parse(status.lastPushTime) : NaN;
  const ready = best.fields.status?.conditions?.find((condition) => condition.type === "Ready");
  if (applied.includes(commit)) {
    return { ...base, deployedBy: name, applied: true, detail: `applied: ${name} runs the pushed commit` };
  }
  const later = (best.fields.status?.history ?? []).find(
    (entry) =>
      entry.metadata?.revision === applied &&
      entry.firstReconciled !== undefined &&
      !Number.isNaN(pushTime) &&
      Date.parse(entry.firstReconciled) >= pushTime,
  );
  if (later) {
    return {
      ...base,
      deployedBy: name,
      applied: true,
      detail: `applied: ${name} runs ${applied}, first applied after the push`,
    };
  }
  const why =
    ready?.status === "False"
      ? `; it is failing (${ready.reason ?? "NotReady"}) on ${attempted || "its last attempt"}`
      : "";
  return {
    ...base,
    deployedBy: name,
    applied: false,
    detail: `not applied yet: ${name} still runs ${applied || "nothing"}${why}`,
  };
}

function normalPath(path: string): string {
  return path.replace(/^\.?\/+/, "").replace(/\/+$/, "");
}
