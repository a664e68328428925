// The causal chain behind a Flux object's state: the links it depends on (dependsOn, its source and
// the source's own source, the workloads and Flux objects it applies), each read once with its state,
// then ranked: a broken link that no broken link upstream explains is a cause; a broken link that
// one does explain is a consequence. A Kustomization waiting on a dependency is explained by the
// dependency; one failing its health check, by the unhealthy objects it applied; one failing to
// fetch its artifact, by its source. A build error explains itself.
import { listPages } from "../kube/paging.ts";
import { KubeError, type Kube, type KubeObject } from "../kube/types.ts";
import { parseImage, policyLatest, workloadImages } from "./image-automation.ts";
import { inventoryObjects } from "./inventory.ts";
import { FLUX_KINDS, groupOf } from "./kinds.ts";
import { fluxKindOf, readinessOf, type Readiness } from "./readiness.ts";
import { sourceReferenceOf } from "./sources.ts";
import { CHAIN_WORKLOAD_KINDS, workloadHealth, type WorkloadHealth } from "./workload-health.ts";

/** Links read for one answer at most: a chain is short, a fleet's failures are few. */
const MAX_LINKS = 60;
/** Workloads of one applier whose health is read. */
const MAX_WORKLOADS_PER_APPLIER = 8;
/** Kinds whose objects a context-wide analysis lists, looking for failures. */
const FAILURE_SCAN_KINDS = [
  "Kustomization",
  "HelmRelease",
  "GitRepository",
  "OCIRepository",
  "HelmRepository",
  "HelmChart",
  "Bucket",
  "ImageRepository",
  "ImagePolicy",
  "ImageUpdateAutomation",
  "ResourceSet",
  "FluxInstance",
];
const APPLIER_KINDS = new Set(["Kustomization", "HelmRelease"]);
const HEALTH_FAILURE =
  /health ?check|timed out waiting|context deadline exceeded|not ready|status: 'Failed'/i;
const SOURCE_FAILURE = /artifact|source|chart/i;

type Relation = "dependsOn" | "source" | "applies";

export interface Edge {
  /** The id of the upstream link. */
  to: string;
  relation: Relation;
}

export interface ChainLink {
  /** `Kind namespace/name`. */
  id: string;
  object?: KubeObject;
  /** Why the object could not be read ("not found", "not readable: …"). */
  unreadable?: string;
  /** Flux objects. */
  readiness?: Readiness;
  /** Workloads. */
  health?: WorkloadHealth;
  /** Sources: why the artifact it serves is not the one it should serve. */
  stale?: string;
  /** Workloads: each image an ImagePolicy tracks, the tag running against the policy's latest. */
  images?: string[];
  broken: boolean;
  upstream: Edge[];
}

export interface RankedChain {
  links: Map<string, ChainLink>;
  /** Broken links nothing upstream explains, the one behind the first root first. */
  causes: ChainLink[];
  /** Broken links explained by another, nearest to their cause first, each with what explains it. */
  consequences: { link: ChainLink; because: Edge[] }[];
  /** Links read and found fine. */
  healthy: ChainLink[];
  /** Reads given up on (the link cap). */
  truncated: boolean;
}

export interface ObjectKey {
  kind: string;
  name: string;
  namespace?: string;
}

/** Reads links from the cluster, each once, expanding upstream as it goes. */
export class ChainReader {
  private readonly kube: Kube;
  private readonly now: number;
  readonly links = new Map<string, ChainLink>();
  private truncated = false;
  private policies: Promise<KubeObject[]> | undefined;

  constructor(kube: Kube, now: number) {
    this.kube = kube;
    this.now = now;
  }

  /** The link of a Flux object or workload and everything upstream of it. */
  async follow(key: ObjectKey, expandWorkloads = true): Promise<ChainLink> {
    const id = linkId(key);
    const known = this.links.get(id);
    if (known) return known;
    if (this.links.size >= MAX_LINKS) {
      this.truncated = true;
      const link: ChainLink = { id, unreadable: "not read (too many links)", broken: false, upstream: [] };
      return link;
    }
    const link: ChainLink = { id, broken: false, upstream: [] };
    this.links.set(id, link);
    const object = await this.read(key);
    if (typeof object === "string") {
      link.unreadable = object;
      link.broken = object === "not found";
      return link;
    }
    link.object = object;
    if (fluxKindOf(object)) await this.expandFlux(link, object, expandWorkloads);
    else await this.expandWorkload(link, object);
    return link;
  }

  /** Every broken Flux object of the context, and every workload whose pods are in trouble. */
  async failing(): Promise<ObjectKey[]> {
    const roots: ObjectKey[] = [];
    for (const kindName of FAILURE_SCAN_KINDS) {
      for await (const items of this.pages(kindName, fluxGroup(kindName) ?? "")) {
        for (const item of items) {
          const readiness = readinessOf(item);
          if (isBroken(readiness)) roots.push(keyOf(item));
        }
      }
    }
    roots.push(...(await this.troubledWorkloads()));
    return roots;
  }

  /**
   * Causes and consequences. `behindRoots`: the causes behind the roots first (one object asked
   * about); else the causes with the most consequences first (a whole context).
   */
  rank(roots: readonly ChainLink[], order: "behindRoots" | "byImpact"): RankedChain {
    return rankLinks(this.links, roots, this.truncated, order);
  }

  private async expandFlux(link: ChainLink, object: KubeObject, expandWorkloads: boolean): Promise<void> {
    const readiness = readinessOf(object);
    link.readiness = readiness;
    link.broken = isBroken(readiness);
    const namespace = object.metadata.namespace ?? "";
    for (const dependency of dependenciesOf(object)) {
      const upstream = await this.follow(
        { ...dependency, namespace: dependency.namespace ?? namespace },
        false,
      );
      link.upstream.push({ to: upstream.id, relation: "dependsOn" });
    }
    const source = sourceReferenceOf(object);
    if (source) {
      const upstream = await this.follow(source, false);
      link.upstream.push({ to: upstream.id, relation: "source" });
    }
    const artifact = (object.status as { artifact?: { lastUpdateTime?: string } } | undefined)?.artifact;
    if (artifact && link.broken) {
      link.stale = `failing, so it still serves the artifact of ${ageText(artifact.lastUpdateTime, this.now)}`;
    }
    // The objects an applier applied matter when it is in trouble, or when it is the one asked about.
    if (!APPLIER_KINDS.has(object.kind) || !(link.broken || expandWorkloads)) return;
    const applied = (inventoryObjects(object) ?? []).filter(
      (ref) =>
        APPLIER_KINDS.has(ref.kind) ||
        ((CHAIN_WORKLOAD_KINDS as readonly string[]).includes(ref.kind) &&
          groupOf(ref.apiVersion ?? "") === "apps"),
    );
    for (const ref of applied.slice(0, MAX_WORKLOADS_PER_APPLIER)) {
      const upstream = await this.follow(
        { kind: ref.kind, name: ref.name, namespace: ref.namespace ?? namespace },
        false,
      );
      link.upstream.push({ to: upstream.id, relation: "applies" });
    }
  }

  private async expandWorkload(link: ChainLink, object: KubeObject): Promise<void> {
    link.health = await workloadHealth(this.kube, object, this.now);
    link.broken = !link.health.healthy;
    const images = await this.trackedImages(object);
    if (images.length > 0) link.images = images;
  }

  /** "podinfo runs 6.9.2, ImagePolicy flux-system/podinfo's latest is 6.9.2" for each tracked image. */
  private async trackedImages(workload: KubeObject): Promise<string[]> {
    this.policies ??= this.listAll("ImagePolicy", fluxGroup("ImagePolicy") ?? "");
    const policies = (await this.policies).flatMap((policy) => {
      const latest = policyLatest(policy);
      return latest ? [{ policy: linkId(keyOf(policy)), latest }] : [];
    });
    if (policies.length === 0) return [];
    return workloadImages(workload).flatMap(({ container, image }) => {
      const running = parseImage(image);
      const tracked = policies.find((entry) => entry.latest.repository === running.repository);
      if (!tracked) return [];
      const runs = running.tag ?? running.digest ?? "no tag";
      const latest = tracked.latest.tag ?? tracked.latest.digest ?? "?";
      const verdict = runs === latest ? "up to date" : "behind";
      return [
        `${container} runs ${running.repository}:${runs}; ${tracked.policy} chose ${latest} (${verdict})`,
      ];
    });
  }

  /**
   * Workloads with crash-looping or failing pods, found from the pods up their owners. Of a big
   * cluster's pods and ReplicaSets, only the pods in trouble and their ReplicaSets are kept.
   */
  private async troubledWorkloads(): Promise<ObjectKey[]> {
    const troubled: { namespace: string; owner: OwnerReference }[] = [];
    for await (const pods of this.pages("Pod", "")) {
      for (const pod of pods) {
        const owner = inTrouble(pod) ? controllerOf(pod) : undefined;
        if (owner) troubled.push({ namespace: pod.metadata.namespace ?? "", owner });
      }
    }
    if (troubled.length === 0) return [];
    const ownedBy = new Set(
      troubled.flatMap(({ owner }) => (owner.kind === "ReplicaSet" ? [owner.uid] : [])),
    );
    const replicaSetOwners = new Map<string, OwnerReference | undefined>();
    if (ownedBy.size > 0) {
      for await (const replicaSets of this.pages("ReplicaSet", "apps")) {
        for (const replicaSet of replicaSets) {
          const uid = replicaSet.metadata.uid;
          if (uid !== undefined && ownedBy.has(uid)) replicaSetOwners.set(uid, controllerOf(replicaSet));
        }
      }
    }
    const found = new Map<string, ObjectKey>();
    for (const { namespace, owner: podOwner } of troubled) {
      const owner =
        podOwner.kind === "ReplicaSet" && replicaSetOwners.has(podOwner.uid)
          ? replicaSetOwners.get(podOwner.uid)
          : podOwner;
      if (!owner || !(CHAIN_WORKLOAD_KINDS as readonly string[]).includes(owner.kind)) continue;
      const key = { kind: owner.kind, name: owner.name, namespace };
      found.set(linkId(key), key);
    }
    return [...found.values()];
  }

  private async listAll(kindName: string, group: string): Promise<KubeObject[]> {
    const all: KubeObject[] = [];
    for await (const items of this.pages(kindName, group)) all.push(...items);
    return all;
  }

  /** The kind's objects a page at a time, typed; none where the cluster serves no such kind. */
  private async *pages(kindName: string, group: string): AsyncGenerator<KubeObject[]> {
    try {
      const kind = await this.kube.resolveKind(kindName, group);
      for await (const items of listPages(this.kube, kind)) {
        yield items.map((item) => ({ ...item, kind: kind.kind, apiVersion: kind.apiVersion }));
      }
    } catch (error) {
      // A cluster without image automation or the operator has no such kinds: nothing fails there.
      if (error instanceof KubeError && (error.reason === "UnknownKind" || error.reason === "NotFound"))
        return;
      throw error;
    }
  }

  /** The object, or why it cannot be read: a chain goes as far as it can. */
  private async read(key: ObjectKey): Promise<KubeObject | string> {
    try {
      const kind = await this.kube.resolveKind(key.kind, fluxGroup(key.kind) ?? "apps");
      const object = await this.kube.get(kind, key.name, kind.namespaced ? key.namespace : undefined);
      return { ...object, kind: kind.kind, apiVersion: kind.apiVersion };
    } catch (error) {
      if (!(error instanceof KubeError) || error.reason === "Cancelled" || error.reason === "Timeout")
        throw error;
      return error.reason === "NotFound" ? "not found" : `not readable: ${error.message}`;
    }
  }
}

/** Failed, stalled or waiting on a broken dependency. */
function isBroken(readiness: Readiness): boolean {
  return readiness.state === "failing" || readiness.state === "stalled" || readiness.state === "blocked";
}

export function linkId(key: ObjectKey): string {
  return key.namespace ? `${key.kind} ${key.namespace}/${key.name}` : `${key.kind} ${key.name}`;
}

function keyOf(object: KubeObject): ObjectKey {
  return { kind: object.kind, name: object.metadata.name ?? "", namespace: object.metadata.namespace ?? "" };
}

function fluxGroup(kindName: string): string | undefined {
  return FLUX_KINDS.find((entry) => entry.kind === kindName)?.group;
}

/** spec.dependsOn: names (Kustomization, HelmRelease) or full references (ResourceSet). */
function dependenciesOf(object: KubeObject): ObjectKey[] {
  const dependsOn = (object.spec as { dependsOn?: unknown } | undefined)?.dependsOn;
  if (!Array.isArray(dependsOn)) return [];
  return dependsOn.flatMap((entry: { name?: unknown; namespace?: unknown; kind?: unknown }) => {
    if (typeof entry?.name !== "string" || entry.name === "") return [];
    const kind = typeof entry.kind === "string" && entry.kind ? entry.kind : object.kind;
    const namespace = typeof entry.namespace === "string" && entry.namespace ? entry.namespace : undefined;
    return [{ kind, name: entry.name, ...(namespace && { namespace }) }];
  });
}

function inTrouble(pod: KubeObject): boolean {
  const status = (pod.status ?? {}) as {
    phase?: string;
    containerStatuses?: { state?: { waiting?: { reason?: string } } }[];
  };
  if (status.phase === "Failed") return true;
  return (status.containerStatuses ?? []).some((container) => {
    const reason = container.state?.waiting?.reason ?? "";
    return /BackOff|Err|Invalid|CreateContainer/.test(reason);
  });
}

type OwnerReference = NonNullable<KubeObject["metadata"]["ownerReferences"]>[number];

function controllerOf(object: KubeObject): OwnerReference | undefined {
  const references = object.metadata.ownerReferences ?? [];
  return references.find((reference) => reference.controller) ?? references[0];
}

function ageText(time: string | undefined, now: number): string {
  const parsed = time ? Date.parse(time) : NaN;
  if (Number.isNaN(parsed)) return "an unknown time";
  const minutes = Math.max(0, Math.round((now - parsed) / 60_000));
  return minutes < 120
    ? `${minutes}m ago`
    : minutes < 2880
      ? `${Math.round(minutes / 60)}h ago`
      : `${Math.round(minutes / 1440)}d ago`;
}

/** Whether a broken upstream link explains the downstream link's own failure. */
function explains(downstream: ChainLink, edge: Edge, upstream: ChainLink): boolean {
  if (!upstream.broken || !downstream.broken) return false;
  const readiness = downstream.readiness;
  if (!readiness) return false;
  const text = `${readiness.reason ?? ""} ${readiness.message ?? ""}`;
  switch (edge.relation) {
    case "dependsOn":
      return readiness.state === "blocked";
    case "source":
      return readiness.state !== "blocked" && SOURCE_FAILURE.test(text) && !/build failed/i.test(text);
    case "applies":
      return HEALTH_FAILURE.test(text);
  }
}

/** Causes and consequences among the links, the causes behind the roots first. */
function rankLinks(
  links: ReadonlyMap<string, ChainLink>,
  roots: readonly ChainLink[],
  truncated: boolean,
  causeOrder: "behindRoots" | "byImpact",
): RankedChain {
  const explainedBy = new Map<string, Edge[]>();
  for (const link of links.values()) {
    const edges = link.upstream.filter((edge) => {
      const upstream = links.get(edge.to);
      return upstream !== undefined && explains(link, edge, upstream);
    });
    if (edges.length > 0) explainedBy.set(link.id, edges);
  }
  // Walk from each root upstream along the explaining edges (then any edge) to find the causes in
  // the order a person would: the cause of the first root first.
  const order: string[] = [];
  const visit = (id: string, seen: Set<string>) => {
    if (seen.has(id)) return;
    seen.add(id);
    const link = links.get(id);
    if (!link) return;
    const explaining = explainedBy.get(id) ?? [];
    for (const edge of explaining) visit(edge.to, seen);
    for (const edge of link.upstream) if (!explaining.includes(edge)) visit(edge.to, seen);
    order.push(id);
  };
  const seen = new Set<string>();
  for (const root of roots) visit(root.id, seen);
  for (const id of links.keys()) visit(id, seen);

  const causes: ChainLink[] = [];
  const consequences: { link: ChainLink; because: Edge[] }[] = [];
  const healthy: ChainLink[] = [];
  for (const id of order) {
    const link = links.get(id);
    if (!link) continue;
    if (!link.broken) {
      if (!link.unreadable) healthy.push(link);
      continue;
    }
    const because = explainedBy.get(id);
    if (because) consequences.push({ link, because });
    else causes.push(link);
  }
  const ordered =
    causeOrder === "behindRoots"
      ? causesFirstBehindRoots(causes, roots, links, explainedBy)
      : causesByImpact(causes, consequences, roots);
  return { links: new Map(links), causes: ordered, consequences, healthy, truncated };
}

/** The causes with the most consequences first; ties in the roots' order (Flux objects, then workloads). */
function causesByImpact(
  causes: ChainLink[],
  consequences: { link: ChainLink; because: Edge[] }[],
  roots: readonly ChainLink[],
): ChainLink[] {
  const explainedBy = new Map(consequences.map(({ link, because }) => [link.id, because]));
  const reaches = (id: string, cause: string, seen = new Set<string>()): boolean => {
    if (id === cause) return true;
    if (seen.has(id)) return false;
    seen.add(id);
    return (explainedBy.get(id) ?? []).some((edge) => reaches(edge.to, cause, seen));
  };
  const impact = (cause: ChainLink) => consequences.filter(({ link }) => reaches(link.id, cause.id)).length;
  const position = (cause: ChainLink) => {
    const index = roots.findIndex((root) => root.id === cause.id);
    return index < 0 ? roots.length : index;
  };
  return [...causes].sort((a, b) => impact(b) - impact(a) || position(a) - position(b));
}

/** The causes that explain a root come first, in the roots' order; the other causes keep theirs. */
function causesFirstBehindRoots(
  causes: ChainLink[],
  roots: readonly ChainLink[],
  links: ReadonlyMap<string, ChainLink>,
  explainedBy: ReadonlyMap<string, Edge[]>,
): ChainLink[] {
  const behind = (id: string, seen = new Set<string>()): string[] => {
    if (seen.has(id)) return [];
    seen.add(id);
    const edges = explainedBy.get(id);
    if (!edges) return links.get(id)?.broken ? [id] : [];
    return edges.flatMap((edge) => behind(edge.to, seen));
  };
  const first = [...new Set(roots.flatMap((root) => behind(root.id)))];
  return [...causes].sort((a, b) => rankOf(first, a.id) - rankOf(first, b.id));
}

function rankOf(first: string[], id: string): number {
  const index = first.indexOf(id);
  return index < 0 ? first.length : index;
}
