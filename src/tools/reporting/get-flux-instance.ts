// get_flux_instance: the Flux installation at a glance — versions, who manages it, controller health,
// the cluster sync, and every Flux object counted by readiness with the failing ones named. Works
// from what every installation has (the controllers' Deployments and the Flux objects), and adds the
// FluxInstance and FluxReport when the Flux Operator is there.
import { findFluxKind, FLUX_KINDS } from "../../flux/kinds.ts";
import {
  componentOf,
  distributionVersion,
  FLUX_COMPONENTS_SELECTOR,
  FLUX_OPERATOR_SELECTOR,
  imageTag,
  installationManager,
} from "../../flux/installation.ts";
import { fluxManagersOf } from "../../flux/managed-by.ts";
import { ELLIPSIS, oneLine, SHORTENED_NOTE, shortenDigests } from "../../flux/messages.ts";
import {
  blockingDependency,
  isFailure,
  readinessOf,
  type FluxState,
  type Readiness,
} from "../../flux/readiness.ts";
import { describeRef, sourceReferenceOf } from "../../flux/sources.ts";
import { KubeError, type Kube, type KubeObject, type ResolvedKind } from "../../kube/types.ts";
import { yamlDocuments } from "../../format/objects.ts";
import { listPages } from "../../kube/paging.ts";
import { forEachInSlices, TimeSlice } from "../../kube/time-slice.ts";
import { defineTool, toolError } from "../tool.ts";
import { objectName, problemText, statusText } from "../../flux/status.ts";

/** Objects named per list (failing, blocked…): enough to act on, bounded for huge clusters. */
const LISTED_PER_STATE = 20;
const MESSAGE_LENGTH = 300;
/**
 * Pages of a size whose parsing stays short (the event loop serves other calls between pages), read
 * for a few kinds at a time: memory holds a few pages, not one per kind (no object outlives its page).
 */
const PAGE_SIZE = 250;
const KINDS_AT_ONCE = 4;

/** How states are counted, in the order a reader wants them. */
const STATE_ORDER: readonly FluxState[] = [
  "ready",
  "failing",
  "stalled",
  "blocked",
  "progressing",
  "pending",
  "suspended",
  "terminating",
  "static",
];
type Listed = "failing" | "blocked" | "inProgress" | "suspended";

interface Entry {
  kind: string;
  /** "Kind namespace/name". */
  name: string;
  readiness: Readiness;
}

export const getFluxInstance = defineTool({
  name: "get_flux_instance",
  title: "Get the Flux installation status",
  area: "reporting",
  description:
    "Flux health in one call: versions, controllers, cluster sync, and Flux objects by kind and readiness, naming the failing ones with reason and message. Start here.",
  input: {},
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  writes: false,
  usesCluster: true,
  async handler(_args, ctx) {
    const kube = await ctx.kube();
    const now = Date.now();
    const fluxKinds = sortedFluxKinds(await kube.kinds());
    if (fluxKinds.length === 0) {
      return toolError(
        `Flux is not installed in context ${kube.context}: the cluster serves no Flux API kinds (*.toolkit.fluxcd.io, fluxcd.controlplane.io)`,
      );
    }
    const reads = new Reads();
    const served = (kind: string) => fluxKinds.find((entry) => entry.kind === kind);
    const instanceKind = served("FluxInstance");
    const reportKind = served("FluxReport");
    const deploymentKind = await kube.resolveKind("Deployment", "apps");

    const [serverVersion, controllers, operators, instances, reports] = await Promise.all([
      reads.attempt("Kubernetes version", () => kube.serverVersion()),
      reads.attempt("Flux controllers", () => listAll(kube, deploymentKind, FLUX_COMPONENTS_SELECTOR)),
      instanceKind || reportKind
        ? reads.attempt("Flux Operator", () => listAll(kube, deploymentKind, FLUX_OPERATOR_SELECTOR))
        : undefined,
      instanceKind ? reads.attempt("FluxInstance", () => listAll(kube, instanceKind)) : undefined,
      reportKind ? reads.attempt("FluxReport", () => listAll(kube, reportKind)) : undefined,
    ]);
    const instance = instances?.[0];
    const report = reports?.[0];

    const [objects, sync] = await Promise.all([
      countObjects(
        kube,
        fluxKinds.filter((kind) => kind !== reportKind),
        reads,
        now,
        // The instances are counted from the list just read, not listed a second time.
        instanceKind && instances ? new Map([[instanceKind, instances]]) : new Map(),
      ),
      syncSummary(kube, instance, controllers ?? [], reads, now),
    ]);
    if (reads.everythingFailed(objects.readKinds, controllers)) {
      return toolError(`Flux installation not readable: ${reads.firstFailure}`);
    }

    const components = componentLines(controllers, report);
    const answer = {
      context: kube.context,
      status: verdict(objects, components.notReady),
      kubernetes: kubernetesLine(serverVersion, report),
      flux: fluxSummary(controllers, operators, report, Boolean(instanceKind || reportKind)),
      ...(instance && { instance: instanceSummary(instance, now) }),
      ...(instances && instances.length > 1 && { otherInstances: instances.slice(1).map(objectName) }),
      ...(sync && { sync }),
      ...(Object.keys(components.lines).length > 0 && { components: components.lines }),
      objects: objects.counts,
      ...objects.lists,
    };
    const notes = reads.notes.sort();
    if (JSON.stringify(answer).includes(ELLIPSIS)) notes.push(SHORTENED_NOTE);
    return { text: yamlDocuments([{ ...answer, ...(notes.length > 0 && { notes }) }]) };
  },
});

/** Reads that may fail alone (RBAC): the answer says what could not be read instead of failing. */
class Reads {
  readonly notes: string[] = [];
  firstFailure: string | undefined;

  async attempt<T>(what: string, read: () => Promise<T>): Promise<T | undefined> {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof KubeError) || error.reason === "Cancelled" || error.reason === "Timeout")
        throw error;
      this.firstFailure ??= error.message;
      this.notes.push(`${what} not read: ${error.message}`);
      return undefined;
    }
  }

  everythingFailed(readKinds: number, controllers: KubeObject[] | undefined): boolean {
    return readKinds === 0 && controllers === undefined && this.firstFailure !== undefined;
  }
}

/** Served Flux kinds, in the product's order (sources, appliers, notifications, images, operator). */
function sortedFluxKinds(kinds: readonly ResolvedKind[]): ResolvedKind[] {
  const order = (kind: ResolvedKind) =>
    FLUX_KINDS.findIndex((entry) => entry.group === kind.group && entry.kind === kind.kind);
  return kinds.filter((kind) => findFluxKind(kind.group, kind.kind)).sort((a, b) => order(a) - order(b));
}

async function listAll(kube: Kube, kind: ResolvedKind, labelSelector?: string): Promise<KubeObject[]> {
  const items: KubeObject[] = [];
  await forEachObject(kube, kind, (object) => items.push(object), labelSelector);
  return items;
}

/** Pages through every object of the kind, so that memory stays bounded on big clusters. */
async function forEachObject(
  kube: Kube,
  kind: ResolvedKind,
  visit: (object: KubeObject) => void,
  labelSelector?: string,
): Promise<void> {
  const slice = new TimeSlice();
  // Items come typed (Kube.list fills in apiVersion and kind), and are read where they are.
  for await (const items of listPages(kube, kind, { ...(labelSelector && { labelSelector }) }, PAGE_SIZE)) {
    await forEachInSlices(items, visit, slice);
  }
}

interface ObjectSummary {
  counts: Record<string, string>;
  lists: Partial<Record<Listed, string[]>>;
  failing: number;
  blocked: number;
  suspended: number;
  inProgress: number;
  readKinds: number;
}

async function countObjects(
  kube: Kube,
  kinds: readonly ResolvedKind[],
  reads: Reads,
  now: number,
  alreadyListed: ReadonlyMap<ResolvedKind, readonly KubeObject[]>,
): Promise<ObjectSummary> {
  const tallies = new Map<string, Map<FluxState, number>>();
  const byName = (a: Entry, b: Entry) => a.name.localeCompare(b.name);
  const failureFirst = (a: Entry, b: Entry) =>
    Number(b.readiness.state === "stalled") - Number(a.readiness.state === "stalled") || byName(a, b);
  // Each list keeps only the entries it names: memory stays bounded when thousands fail.
  const entries: Record<Listed, FirstEntries> = {
    failing: new FirstEntries(failureFirst),
    blocked: new FirstEntries(byName),
    inProgress: new FirstEntries(byName),
    suspended: new FirstEntries(byName),
  };
  /** States of the objects that are not ready, by "Kind namespace/name", to explain blocked ones. */
  const notReady = new Map<string, FluxState>();
  let readKinds = 0;

  const pending = [...kinds];
  const readKind = async (kind: ResolvedKind) => {
    const tally = new Map<FluxState, number>();
    const fluxKind = findFluxKind(kind.group, kind.kind);
    const visit = (object: KubeObject) => {
      const readiness = readinessOf(object, fluxKind);
      tally.set(readiness.state, (tally.get(readiness.state) ?? 0) + 1);
      const name = objectName(object);
      if (readiness.state !== "ready" && readiness.state !== "static") notReady.set(name, readiness.state);
      const list = listFor(readiness);
      if (list) entries[list].add({ kind: kind.kind, name, readiness });
    };
    const listed = alreadyListed.get(kind);
    const read = await reads.attempt(`${kind.kind} objects`, async () => {
      if (listed) listed.forEach(visit);
      else await forEachObject(kube, kind, visit);
      return true;
    });
    if (!read) return;
    readKinds++;
    if (tally.size > 0) tallies.set(kind.kind, tally);
  };
  await Promise.all(
    Array.from({ length: KINDS_AT_ONCE }, async () => {
      for (let kind = pending.shift(); kind; kind = pending.shift()) await readKind(kind);
    }),
  );

  const counts: Record<string, string> = {};
  for (const kind of kinds) {
    const tally = tallies.get(kind.kind);
    if (tally) counts[kind.kind] = countLine(tally);
  }
  const lists: Partial<Record<Listed, string[]>> = {};
  const render: Record<Listed, (entry: Entry) => string> = {
    failing: ({ name, readiness }) => failingLine(name, readiness),
    blocked: (entry) => blockedLine(entry, notReady),
    inProgress: ({ name, readiness }) => `${name}: ${statusText(readiness, now)}${detail(readiness)}`,
    suspended: ({ name, readiness }) => `${name}: ${statusText(readiness, now)}`,
  };
  for (const list of Object.keys(entries) as Listed[]) {
    const { first, count } = entries[list];
    if (count === 0) continue;
    const shown = first.map(render[list]);
    const more = count - shown.length;
    lists[list] = more > 0 ? [...shown, `… ${more} more: get_kubernetes_resources lists them`] : shown;
  }
  return {
    counts,
    lists,
    failing: entries.failing.count,
    blocked: entries.blocked.count,
    suspended: entries.suspended.count,
    inProgress: entries.inProgress.count,
    readKinds,
  };
}

/** The first LISTED_PER_STATE entries in `order` of all those added, and how many were added. */
class FirstEntries {
  readonly first: Entry[] = [];
  count = 0;
  readonly #order: (a: Entry, b: Entry) => number;

  constructor(order: (a: Entry, b: Entry) => number) {
    this.#order = order;
  }

  add(entry: Entry): void {
    this.count++;
    const { first } = this;
    const last = first[first.length - 1];
    if (first.length === LISTED_PER_STATE && last && this.#order(entry, last) >= 0) return;
    let index = first.length;
    while (index > 0 && this.#order(entry, first[index - 1] as Entry) < 0) index--;
    first.splice(index, 0, entry);
    if (first.length > LISTED_PER_STATE) first.pop();
  }
}

function listFor(readiness: Readiness): Listed | undefined {
  if (isFailure(readiness)) return "failing";
  switch (readiness.state) {
    case "blocked":
      return "blocked";
    case "suspended":
      return "suspended";
    case "progressing":
    case "pending":
    case "terminating":
      return "inProgress";
    default:
      return undefined;
  }
}

/** "7: 4 ready, 2 failing, 1 blocked", or "2 ready" when all agree. */
function countLine(tally: Map<FluxState, number>): string {
  const parts = STATE_ORDER.filter((state) => tally.has(state)).map(
    (state) => `${tally.get(state)} ${state}`,
  );
  if (parts.length === 1) return parts[0] as string;
  const total = [...tally.values()].reduce((sum, count) => sum + count, 0);
  return `${total}: ${parts.join(", ")}`;
}

function failingLine(name: string, readiness: Readiness): string {
  const stalled =
    readiness.state === "stalled" ? " (stalled: no retry until the spec changes or a reset)" : "";
  const problem = problemText(readiness, MESSAGE_LENGTH);
  return `${name}: ${readiness.reason ?? "NotReady"}${stalled}${problem ? `: ${problem}` : ""}`;
}

/**
 * A blocked object, with its Ready reason as failing lines give theirs, points at the dependency it
 * waits for (of its own kind), and how that one is doing.
 */
function blockedLine({ kind, name, readiness }: Entry, notReady: Map<string, FluxState>): string {
  const prefix = `${name}: ${readiness.reason ?? "DependencyNotReady"}`;
  const message = readiness.message && oneLine(readiness.message, MESSAGE_LENGTH);
  const dependency = blockingDependency(readiness.message);
  if (!dependency) return message ? `${prefix}: ${message}` : prefix;
  const dependencyName = `${kind} ${dependency.namespace}/${dependency.name}`;
  const state = notReady.get(dependencyName);
  if (!state) return `${prefix}: waits for ${dependencyName} (${message})`;
  return `${prefix}: waits for ${dependencyName}, which is ${state === "stalled" ? "failing" : state}`;
}

function detail(readiness: Readiness): string {
  const problem = problemText(readiness, MESSAGE_LENGTH);
  return problem ? `: ${problem}` : "";
}

function verdict(objects: ObjectSummary, notReadyComponents: number): string {
  const problems = [
    objects.failing && `${objects.failing} failing`,
    objects.blocked && `${objects.blocked} blocked by dependencies`,
    notReadyComponents && `${notReadyComponents} controller${notReadyComponents > 1 ? "s" : ""} not ready`,
  ].filter(Boolean);
  const aside = [
    objects.suspended && `${objects.suspended} suspended`,
    objects.inProgress && `${objects.inProgress} in progress`,
  ].filter(Boolean);
  const head = problems.length > 0 ? `degraded: ${problems.join(", ")}` : "healthy";
  return aside.length > 0 ? `${head}; ${aside.join(", ")}` : head;
}

interface FluxReportSpec {
  distribution?: { version?: string; entitlement?: string; managedBy?: string; status?: string };
  cluster?: { serverVersion?: string; platform?: string; nodes?: number };
  operator?: { version?: string };
  components?: { name?: string; image?: string; ready?: boolean; status?: string }[];
}

function reportSpec(report: KubeObject | undefined): FluxReportSpec {
  return report?.spec ?? {};
}

function kubernetesLine(serverVersion: string | undefined, report: KubeObject | undefined): string {
  const cluster = reportSpec(report).cluster;
  const extras = [cluster?.platform, cluster?.nodes !== undefined && `${cluster.nodes} nodes`].filter(
    Boolean,
  );
  const version = serverVersion ?? cluster?.serverVersion ?? "unknown";
  return extras.length > 0 ? `${version} (${extras.join(", ")})` : version;
}

function fluxSummary(
  controllers: KubeObject[] | undefined,
  operators: KubeObject[] | undefined,
  report: KubeObject | undefined,
  operatorApi: boolean,
): Record<string, string> {
  const distribution = reportSpec(report).distribution;
  const version = distribution?.version ?? (controllers && distributionVersion(controllers));
  const managedBy =
    controllers && controllers.length > 0 ? installationManager(controllers) : distribution?.managedBy;
  const namespace = controllers?.[0]?.metadata.namespace;
  return {
    version: version ?? "unknown",
    ...(managedBy && { managedBy }),
    operator: operatorLine(operators, report, operatorApi),
    ...(distribution?.entitlement && { entitlement: distribution.entitlement }),
    ...(namespace && { namespace }),
  };
}

function operatorLine(
  operators: KubeObject[] | undefined,
  report: KubeObject | undefined,
  operatorApi: boolean,
) {
  if (!operatorApi) return "not installed (no FluxInstance or FluxReport API)";
  const deployment = operators?.[0];
  if (deployment) {
    const component = componentOf(deployment);
    return `${component.version ?? "unknown version"} ${component.status}`;
  }
  const reported = reportSpec(report).operator?.version;
  return reported
    ? `${reported} (from the FluxReport; Deployment not found)`
    : "API installed, Deployment not found";
}

/** Controller → "v1.9.4 ready", from the Deployments, else from the FluxReport. */
function componentLines(
  controllers: KubeObject[] | undefined,
  report: KubeObject | undefined,
): { lines: Record<string, string>; notReady: number } {
  const lines: Record<string, string> = {};
  let notReady = 0;
  const add = (name: string, version: string, ready: boolean, status: string) => {
    lines[name] = `${version} ${status}`;
    if (!ready) notReady++;
  };
  if (controllers && controllers.length > 0) {
    for (const component of controllers.map(componentOf).sort((a, b) => a.name.localeCompare(b.name))) {
      add(component.name, component.version ?? component.image, component.ready, component.status);
    }
    return { lines, notReady };
  }
  for (const component of reportSpec(report).components ?? []) {
    if (!component.name) continue;
    const version = imageTag(component.image ?? "") ?? component.image ?? "unknown";
    const ready = component.ready === true;
    add(component.name, version, ready, ready ? "ready" : `not ready: ${component.status ?? "unknown"}`);
  }
  return { lines, notReady };
}

interface FluxInstanceSpec {
  distribution?: { version?: string; registry?: string; variant?: string };
  cluster?: { type?: string; size?: string; multitenant?: boolean };
  sync?: { kind?: string; name?: string; url?: string; ref?: string; path?: string };
}

function instanceSummary(instance: KubeObject, now: number): Record<string, string> {
  const spec = (instance.spec ?? {}) as FluxInstanceSpec;
  const readiness = readinessOf(instance);
  const problem = problemText(readiness, MESSAGE_LENGTH);
  const status = (instance.status ?? {}) as { lastAppliedRevision?: string; lastAttemptedRevision?: string };
  const distribution = spec.distribution;
  const cluster = spec.cluster;
  return {
    name: `${instance.metadata.namespace}/${instance.metadata.name}`,
    status: statusText(readiness, now),
    ...(problem && { message: problem }),
    ...(distribution && {
      distribution: [
        distribution.version,
        distribution.registry && `from ${distribution.registry}`,
        distribution.variant && `(${distribution.variant})`,
      ]
        .filter(Boolean)
        .join(" "),
    }),
    ...(status.lastAppliedRevision && { lastAppliedRevision: shortenDigests(status.lastAppliedRevision) }),
    ...(status.lastAttemptedRevision &&
      status.lastAttemptedRevision !== status.lastAppliedRevision && {
        lastAttemptedRevision: shortenDigests(status.lastAttemptedRevision),
      }),
    ...(cluster && {
      cluster: [cluster.type, cluster.size && `size ${cluster.size}`, cluster.multitenant && "multitenant"]
        .filter(Boolean)
        .join(", "),
    }),
  };
}

/**
 * The Kustomization that syncs the cluster from Git/OCI: the FluxInstance's sync (named after its
 * namespace unless sync.name says otherwise), else the one that applies the controllers (bootstrap).
 */
async function syncSummary(
  kube: Kube,
  instance: KubeObject | undefined,
  controllers: readonly KubeObject[],
  reads: Reads,
  now: number,
): Promise<Record<string, string> | undefined> {
  const sync = ((instance?.spec ?? {}) as FluxInstanceSpec).sync;
  const namespace = instance?.metadata.namespace ?? "";
  const target = sync
    ? { name: sync.name ?? namespace, namespace }
    : controllers.flatMap(fluxManagersOf).find((manager) => manager.kind === "Kustomization");
  if (!target) return undefined;

  const kustomizationKind = await reads.attempt("sync Kustomization", () =>
    kube.resolveKind("Kustomization", "kustomize.toolkit.fluxcd.io"),
  );
  if (!kustomizationKind) return undefined;
  const kustomization = await getOrMissing(kube, kustomizationKind, target.name, target.namespace, reads);
  const name = `${target.namespace}/${target.name}`;
  if (!kustomization) return { kustomization: `${name}: not found` };

  const readiness = readinessOf(kustomization);
  const problem = problemText(readiness, MESSAGE_LENGTH);
  const spec = (kustomization.spec ?? {}) as { path?: string };
  const applied = (kustomization.status as { lastAppliedRevision?: string } | undefined)?.lastAppliedRevision;
  return {
    kustomization: `${name}, ${statusText(readiness, now)}`,
    ...(problem && { message: problem }),
    ...(await sourceLine(kube, kustomization, reads, now)),
    ...(spec.path && { path: spec.path }),
    ...(applied && { revision: shortenDigests(applied) }),
  };
}

async function sourceLine(
  kube: Kube,
  kustomization: KubeObject,
  reads: Reads,
  now: number,
): Promise<{ source?: string }> {
  const ref = sourceReferenceOf(kustomization);
  if (!ref) return {};
  const named = `${ref.kind} ${ref.namespace}/${ref.name}`;
  const kind = await reads.attempt(`sync source ${named}`, () => kube.resolveKind(ref.kind, ref.group));
  const source = kind && (await getOrMissing(kube, kind, ref.name, ref.namespace, reads));
  if (!source) return { source: `${named}: not found` };
  const spec = (source.spec ?? {}) as { url?: string; ref?: unknown };
  const readiness = readinessOf(source);
  const problem = problemText(readiness, MESSAGE_LENGTH);
  const where = [spec.url, describeRef(spec.ref)].filter(Boolean).join(" ");
  return {
    source: `${named}${where ? ` (${where})` : ""}, ${statusText(readiness, now)}${problem ? `: ${problem}` : ""}`,
  };
}

async function getOrMissing(
  kube: Kube,
  kind: ResolvedKind,
  name: string,
  namespace: string,
  reads: Reads,
): Promise<KubeObject | undefined> {
  return reads.attempt(`${kind.kind} ${namespace}/${name}`, async () => {
    try {
      return await kube.get(kind, name, namespace);
    } catch (error) {
      if (error instanceof KubeError && error.reason === "NotFound") return undefined;
      throw error;
    }
  });
}
