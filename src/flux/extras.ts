// What get_kubernetes_resources adds to Flux objects, so that one call answers "what is wrong with
// it": its recent events, and what it manages (inventory, or a HelmRelease's Helm storage).
import {
  imageUses,
  kustomizationsOfPushedRepositories,
  lastPushVerdict,
  policyLatest,
  type PushVerdict,
} from "./image-automation.ts";
import { groupOf, isFluxGroup } from "./kinds.ts";
import { KubeError, type Kube, type KubeObject, type ResolvedKind } from "../kube/types.ts";
import {
  byTime,
  compactEvent,
  eventLine,
  ROUTINE_FLUX_REASON,
  type CompactEvent,
  type ObjectRef,
} from "../format/events.ts";
import { groupManagedObjects, inventoryObjects } from "./inventory.ts";

/** Enough to see a failure and what led to it; get_kubernetes_events has the rest. */
const EVENTS_PER_OBJECT = 8;
/** Helm storage Secrets read at once when a page holds many HelmReleases without inventory. */
const PARALLEL_READS = 8;

export interface FluxExtras {
  /** Event lines, oldest first; absent when the object has none. */
  events?: string[];
  /** "apiVersion Kind" → namespace/name list, or why it cannot be shown. */
  managedObjects?: Record<string, string[]> | string;
  /** ImagePolicy: the latest image and who runs which tag of it. */
  imageUse?: Record<string, unknown>;
  /** ImageUpdateAutomation: whether its last push is applied. */
  lastPush?: PushVerdict;
}

export interface FluxExtrasResult {
  /** By `namespace/name` of the object. */
  extras: Map<string, FluxExtras>;
  /** Problems that concern the whole answer, e.g. events not readable. */
  notes: string[];
}

function isFluxObject(object: KubeObject): boolean {
  return isFluxGroup(groupOf(object.apiVersion));
}

export function objectKey(object: { metadata: { namespace?: string; name?: string } }): string {
  return `${object.metadata.namespace ?? ""}/${object.metadata.name ?? ""}`;
}

/** The object followed by its extras; when they list its managed objects, status.inventory goes. */
export function withExtras(object: KubeObject, extras: FluxExtras | undefined): KubeObject {
  if (!extras) return object;
  const status = object.status as Record<string, unknown> | undefined;
  if (extras.managedObjects === undefined || !status?.inventory) return { ...object, ...extras };
  const { inventory: _inventory, ...rest } = status;
  return { ...object, status: rest, ...extras };
}

/**
 * The event lists read for one answer, by namespace and selector: an answer that reads extras in
 * chunks lists a namespace its chunks share once.
 */
export class EventLists {
  readonly #lists = new Map<string, Promise<KubeObject[]>>();

  read(kube: Kube, eventKind: ResolvedKind, namespace: string | undefined, fieldSelector: string) {
    const key = `${namespace ?? ""}\n${fieldSelector}`;
    let list = this.#lists.get(key);
    if (list === undefined) {
      list = kube
        .list(eventKind, { ...(namespace && { namespace }), fieldSelector })
        .then((result) => result.items);
      this.#lists.set(key, list);
    }
    return list;
  }
}

/** Events and managed objects of the Flux objects among `objects` (all of one kind). */
export async function fluxExtras(
  kube: Kube,
  kind: ResolvedKind,
  objects: readonly KubeObject[],
  now: number,
  eventLists = new EventLists(),
): Promise<FluxExtrasResult> {
  const flux = objects.filter(isFluxObject);
  const extras = new Map<string, FluxExtras>(flux.map((object) => [objectKey(object), {}]));
  const notes: string[] = [];
  if (flux.length === 0) return { extras, notes };

  const [events, managed] = await Promise.all([
    eventsOf(kube, kind, flux, eventLists).catch((error: unknown) => {
      if (!(error instanceof KubeError)) throw error;
      notes.push(`events not shown: ${error.message}`);
      return new Map<string, CompactEvent[]>();
    }),
    mapLimited(flux, PARALLEL_READS, (object) => managedObjects(kube, object)),
  ]);
  await addImageAutomation(kube, kind, flux, extras);
  flux.forEach((object, index) => {
    const entry = extras.get(objectKey(object)) as FluxExtras;
    const lines = eventLines(events.get(objectKey(object)) ?? [], now);
    if (lines.length > 0) entry.events = lines;
    const managedObjects = managed[index];
    if (managedObjects !== undefined) entry.managedObjects = managedObjects;
  });
  return { extras, notes };
}

/**
 * The page's events, matched to objects here: by name when there is one object, else every event of
 * the kind in each of the page's namespaces, never the whole kind: a page spread over many
 * namespaces lists each of them (a few at a time), so what is read follows the page, not the fleet.
 * Routine successes are left out.
 */
async function eventsOf(
  kube: Kube,
  kind: ResolvedKind,
  objects: readonly KubeObject[],
  eventLists: EventLists,
): Promise<Map<string, CompactEvent[]>> {
  const eventKind = await kube.resolveKind("Event", "v1");
  const namespaces = new Set(objects.map((object) => object.metadata.namespace));
  const only = objects.length === 1 ? objects[0] : undefined;
  const selector = [
    `involvedObject.kind=${kind.kind}`,
    ...(only?.metadata.name ? [`involvedObject.name=${only.metadata.name}`] : []),
    `reason!=${ROUTINE_FLUX_REASON}`,
  ].join(",");
  const lists = await mapLimited([...namespaces], PARALLEL_READS, (namespace) =>
    eventLists.read(kube, eventKind, namespace, selector),
  );
  const byObject = new Map<string, CompactEvent[]>();
  for (const item of lists.flat()) {
    const event = compactEvent(item);
    if (event.object.apiVersion && groupOf(event.object.apiVersion) !== kind.group) continue;
    const key = objectKey({ metadata: event.object });
    const events = byObject.get(key);
    if (events) events.push(event);
    else byObject.set(key, [event]);
  }
  return byObject;
}

function eventLines(events: CompactEvent[], now: number): string[] {
  const ordered = byTime(events);
  const shown = ordered.slice(-EVENTS_PER_OBJECT);
  const lines = shown.map((event) => eventLine(event, now, { withObject: false }));
  const older = ordered.length - shown.length;
  return older > 0 ? [`(${older} older: get_kubernetes_events)`, ...lines] : lines;
}

async function managedObjects(
  kube: Kube,
  object: KubeObject,
): Promise<Record<string, string[]> | string | undefined> {
  const inventory = inventoryObjects(object);
  if (inventory) return groupManagedObjects(inventory);
  if (object.kind !== "HelmRelease" || groupOf(object.apiVersion) !== "helm.toolkit.fluxcd.io")
    return undefined;
  try {
    const found = await helmStorageObjects(kube, object);
    return Array.isArray(found) ? groupManagedObjects(found) : found;
  } catch (error) {
    if (error instanceof KubeError) return `not shown: ${error.message}`;
    throw error;
  }
}

interface HelmReleaseFields {
  spec?: { kubeConfig?: unknown; storageNamespace?: string };
  status?: { storageNamespace?: string; history?: { name?: string; version?: number; namespace?: string }[] };
}

/** The objects of the HelmRelease's latest release, from Helm's storage Secret; undefined before any. */
async function helmStorageObjects(kube: Kube, object: KubeObject): Promise<ObjectRef[] | string | undefined> {
  const { spec, status } = object as HelmReleaseFields;
  if (spec?.kubeConfig) return undefined;
  const latest = status?.history?.[0];
  if (!latest?.name || latest.version === undefined) return undefined;
  const storageNamespace = status?.storageNamespace ?? spec?.storageNamespace ?? object.metadata.namespace;
  const secretName = `sh.helm.release.v1.${latest.name}.v${latest.version}`;
  let release;
  try {
    release = await kube.helmReleaseObjects(secretName, storageNamespace ?? "");
  } catch (error) {
    if (error instanceof KubeError && error.reason === "NotFound") {
      return `not shown: Helm storage Secret ${storageNamespace}/${secretName} not found`;
    }
    if (error instanceof KubeError) throw error;
    return `not shown: Helm storage Secret ${storageNamespace}/${secretName} cannot be read: ${(error as Error).message}`;
  }
  const releaseNamespace = release.namespace || latest.namespace || object.metadata.namespace;
  return withNamespaces(kube, release.objects, releaseNamespace);
}

/** Helm installs namespaced objects that name no namespace into the release's namespace. */
async function withNamespaces(
  kube: Kube,
  refs: ObjectRef[],
  releaseNamespace: string | undefined,
): Promise<ObjectRef[]> {
  const scopes = new Map<string, Promise<boolean>>();
  const namespaced = (ref: ObjectRef) => {
    const key = `${ref.apiVersion} ${ref.kind}`;
    let scope = scopes.get(key);
    if (!scope) {
      // A kind the cluster does not serve (yet): keep the reference as the manifest wrote it.
      scope = kube.resolveKind(ref.kind, ref.apiVersion).then(
        (kind) => kind.namespaced,
        (error: unknown) => {
          if (error instanceof KubeError) return false;
          throw error;
        },
      );
      scopes.set(key, scope);
    }
    return scope;
  };
  return Promise.all(
    refs.map(async (ref) =>
      ref.namespace || !releaseNamespace || !(await namespaced(ref))
        ? ref
        : { ...ref, namespace: releaseNamespace },
    ),
  );
}

async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  map: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * ImagePolicies get the tag they chose and the workloads running the image with their tags;
 * ImageUpdateAutomations get whether their last push is applied.
 */
async function addImageAutomation(
  kube: Kube,
  kind: ResolvedKind,
  objects: readonly KubeObject[],
  extras: Map<string, FluxExtras>,
): Promise<void> {
  if (kind.group !== "image.toolkit.fluxcd.io") return;
  if (kind.kind === "ImagePolicy") {
    const latest = new Map(objects.map((object) => [objectKey(object), policyLatest(object)]));
    const repositories = new Set([...latest.values()].flatMap((image) => (image ? [image.repository] : [])));
    const uses = await imageUses(kube, repositories);
    for (const object of objects) {
      const image = latest.get(objectKey(object));
      const entry = extras.get(objectKey(object));
      if (!image || !entry) continue;
      const runners = uses.get(image.repository) ?? [];
      entry.imageUse = {
        latest: `${image.repository}:${image.tag ?? image.digest ?? "?"}`,
        runs:
          runners.length === 0
            ? "no Deployment, StatefulSet, DaemonSet or CronJob of the context runs this image"
            : runners.map(
                (use) =>
                  `${use.workload} (${use.container})${use.appliedBy ? ` applied by ${use.appliedBy}` : ""}: ${use.runs}${
                    image.tag && use.runs !== image.tag ? " (not the latest)" : ""
                  }`,
              ),
      };
    }
  }
  if (kind.kind === "ImageUpdateAutomation") {
    let kustomizations: KubeObject[];
    try {
      const kustomizationKind = await kube.resolveKind("Kustomization", "kustomize.toolkit.fluxcd.io");
      kustomizations = await kustomizationsOfPushedRepositories(kube, kustomizationKind, objects);
    } catch (error) {
      if (!(error instanceof KubeError) || error.reason === "Cancelled" || error.reason === "Timeout")
        throw error;
      kustomizations = [];
    }
    for (const object of objects) {
      const verdict = lastPushVerdict(object, kustomizations);
      const entry = extras.get(objectKey(object));
      if (verdict && entry) entry.lastPush = verdict;
    }
  }
}
