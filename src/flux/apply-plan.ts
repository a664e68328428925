// Everything a manifest apply (or its diff) checks before it writes anything: each object's kind
// resolved through discovery (or defined by a CRD in the same manifest), namespaces defaulted and
// known to exist (or created by the manifest), and the live object read, so that a manifest that
// cannot be applied is refused whole with one line naming the object.
import { groupOf } from "./kinds.ts";
import { KubeError, type Kube, type KubeObject, type ResolvedKind } from "../kube/types.ts";
import { objectPath, where } from "../format/names.ts";

export interface PlannedObject {
  /** As written, with the namespace defaulted (namespaced kinds) or dropped (cluster-scoped). */
  object: KubeObject;
  /** "Deployment/frontend/podinfo". */
  path: string;
  /** Undefined while the kind is only defined by a CRD of this manifest. */
  resolved?: ResolvedKind;
  /** The object as it is now; undefined when it does not exist yet. */
  live?: KubeObject;
  /** CustomResourceDefinitions and Namespaces go first: the rest may need them. */
  early: boolean;
  /** Its namespace is created by this manifest (so a dry run cannot place it yet). */
  inNewNamespace: boolean;
}

export type ApplyPlan = { objects: PlannedObject[] } | { error: string };

interface ManifestKind {
  group: string;
  kind: string;
  namespaced: boolean;
}

export async function planApply(kube: Kube, objects: KubeObject[]): Promise<ApplyPlan> {
  const place = where(kube);
  const crdKinds = kindsDefinedIn(objects);
  const fallbackNamespace = kube.namespace;
  const planned: PlannedObject[] = [];
  for (const given of objects) {
    const object = structuredClone(given);
    const group = groupOf(object.apiVersion);
    let resolved: ResolvedKind | undefined;
    let namespaced: boolean;
    try {
      resolved = await kube.resolveKind(object.kind, object.apiVersion);
      namespaced = resolved.namespaced;
    } catch (error) {
      if (!(error instanceof KubeError)) throw error;
      const defined = crdKinds.find((entry) => entry.group === group && entry.kind === object.kind);
      if (error.reason !== "UnknownKind" || !defined) {
        return {
          error: `${objectPath(object.kind, object.metadata.name ?? "", object.metadata.namespace)}: ${error.message}`,
        };
      }
      namespaced = defined.namespaced;
    }
    if (namespaced) object.metadata.namespace ||= fallbackNamespace;
    else delete object.metadata.namespace;
    const path = objectPath(object.kind, object.metadata.name ?? "", object.metadata.namespace);
    planned.push({
      object,
      path,
      ...(resolved && { resolved }),
      early: isEarly(object),
      inNewNamespace: false,
    });
  }
  const missing = await markNamespaces(kube, planned);
  if (missing) {
    return {
      error: `namespace "${missing.namespace}" not found ${place} (needed by ${missing.path}): add a Namespace to the manifest or create it first`,
    };
  }
  for (const entry of planned) {
    if (entry.resolved) {
      const live = await readLive(kube, entry.resolved, entry.object);
      if (live) entry.live = live;
    }
  }
  return { objects: planned };
}

function kindsDefinedIn(objects: KubeObject[]): ManifestKind[] {
  return objects.filter(isCrd).map((crd) => {
    const spec = (crd.spec ?? {}) as { group?: unknown; names?: { kind?: unknown }; scope?: unknown };
    return {
      group: typeof spec.group === "string" ? spec.group : "",
      kind: typeof spec.names?.kind === "string" ? spec.names.kind : "",
      namespaced: spec.scope !== "Cluster",
    };
  });
}

function isCrd(object: KubeObject): boolean {
  return object.kind === "CustomResourceDefinition" && groupOf(object.apiVersion) === "apiextensions.k8s.io";
}

function isEarly(object: KubeObject): boolean {
  return isCrd(object) || (object.kind === "Namespace" && object.apiVersion === "v1");
}

/** Marks objects whose namespace the manifest creates; returns a namespace that exists nowhere. */
async function markNamespaces(
  kube: Kube,
  planned: PlannedObject[],
): Promise<{ namespace: string; path: string } | undefined> {
  const created = new Set(
    planned
      .filter((entry) => entry.early && entry.object.kind === "Namespace")
      .map((entry) => entry.object.metadata.name),
  );
  const needed = new Map<string, string>();
  for (const entry of planned) {
    const namespace = entry.object.metadata.namespace;
    if (!namespace) continue;
    if (created.has(namespace)) entry.inNewNamespace = true;
    else if (!needed.has(namespace)) needed.set(namespace, entry.path);
  }
  if (needed.size === 0) return undefined;
  const namespaceKind = await kube.resolveKind("Namespace", "v1");
  for (const [namespace, path] of needed) {
    try {
      const existing = await readLive(kube, namespaceKind, {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: namespace },
      });
      if (!existing) return { namespace, path };
    } catch (error) {
      // Users bound to a namespace may not read Namespaces; the write itself will tell.
      if (!(error instanceof KubeError && error.reason === "Forbidden")) throw error;
    }
  }
  return undefined;
}

export async function readLive(
  kube: Kube,
  resolved: ResolvedKind,
  object: KubeObject,
): Promise<KubeObject | undefined> {
  try {
    return await kube.get(resolved, object.metadata.name ?? "", object.metadata.namespace);
  } catch (error) {
    if (error instanceof KubeError && error.reason === "NotFound") return undefined;
    throw error;
  }
}
