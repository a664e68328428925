// trace_kubernetes_resource: from any object up to what put it there — ownerReferences to the object
// Flux applied, the chain of Flux appliers above it (HelmRelease → Kustomization → … → FluxInstance),
// and the sources they build from, each with its readiness and revision.
import { z } from "zod";
import { apiVersionArgument, kindArgument, MAX_LABEL, nameArgument } from "../../params/bounds.ts";
import { FLUX_KINDS, groupOf } from "../../flux/kinds.ts";
import { describeManager, fluxManagersOf, type FluxManager } from "../../flux/managed-by.ts";
import { shortenDigests } from "../../flux/messages.ts";
import { fluxKindOf, readinessOf } from "../../flux/readiness.ts";
import { describeRef, SOURCE_GROUP, sourceReferenceOf, type SourceReference } from "../../flux/sources.ts";
import { KubeError, type Kube, type KubeObject, type ResolvedKind } from "../../kube/types.ts";
import { yamlDocuments } from "../../format/objects.ts";
import { objectName, problemText, revisionFields, statusText } from "../../flux/status.ts";
import { defineTool, toolError, type ToolResult } from "../tool.ts";
import { workloadStatus } from "../../flux/workload-status.ts";
import { fieldSelectorValue } from "../../kube/request-parts.ts";
import { listPages } from "../../kube/paging.ts";

const MAX_OWNER_LEVELS = 8;
/** Applier chains are short (HelmRelease → Kustomization → Kustomization → FluxInstance). */
const MAX_APPLIERS = 10;
/** HelmRelease → HelmChart → HelmRepository, ExternalArtifact → its producer. */
const MAX_SOURCE_HOPS = 3;
const MESSAGE_LENGTH = 600;
const HELM_GROUP = "helm.toolkit.fluxcd.io";
const HELM_RELEASE_ANNOTATION = "meta.helm.sh/release-name";
const HELM_NAMESPACE_ANNOTATION = "meta.helm.sh/release-namespace";

type Step = Record<string, string>;

export const traceKubernetesResource = defineTool({
  name: "trace_kubernetes_resource",
  title: "Trace an object to its Flux source",
  area: "analysis",
  description:
    'Traces any object to what deployed it: owners, Flux appliers, sources, each with readiness and revision. Use it for "where does this come from".',
  input: {
    apiVersion: apiVersionArgument().optional().describe("e.g. apps/v1; omit for the preferred version"),
    kind: kindArgument().describe("Kind, e.g. Pod, Deployment"),
    name: nameArgument().describe("Object name"),
    namespace: z.string().max(MAX_LABEL).optional().describe("Omit to search all"),
  },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  writes: false,
  usesCluster: true,
  async handler(args, ctx) {
    const kube = await ctx.kube();
    const kind = await kube.resolveKind(args.kind, args.apiVersion);
    const found = await findObject(kube, kind, args.name, kind.namespaced ? args.namespace : undefined);
    if ("answer" in found) return found.answer;
    const trace = new Trace(kube, Date.now());
    return { text: yamlDocuments([await trace.from(found.object)]) };
  },
});

async function findObject(
  kube: Kube,
  kind: ResolvedKind,
  name: string,
  namespace: string | undefined,
): Promise<{ object: KubeObject } | { answer: ToolResult }> {
  const who = kube.identity ? ` ${kube.identity}` : "";
  if (namespace || !kind.namespaced) {
    try {
      return { object: typed(await kube.get(kind, name, namespace), kind) };
    } catch (error) {
      if (!(error instanceof KubeError) || error.reason !== "NotFound") throw error;
      const where = namespace ? `${namespace}/${name}` : name;
      return { answer: toolError(`${kind.kind} ${where} not found in context ${kube.context}${who}`) };
    }
  }
  const matches = await kube.list(kind, {
    fieldSelector: `metadata.name=${fieldSelectorValue(name)}`,
    limit: 20,
  });
  const [only, ...others] = matches.items;
  if (!only)
    return {
      answer: toolError(`${kind.kind} ${name} not found in any namespace of context ${kube.context}${who}`),
    };
  if (others.length > 0) {
    const namespaces = matches.items.map((item) => item.metadata.namespace).join(", ");
    return {
      answer: toolError(`${kind.kind} ${name} exists in several namespaces (${namespaces}): give namespace`),
    };
  }
  return { object: typed(only, kind) };
}

/** List items may come without apiVersion and kind. */
function typed(object: KubeObject, kind: ResolvedKind): KubeObject {
  return { ...object, apiVersion: object.apiVersion || kind.apiVersion, kind: object.kind || kind.kind };
}

class Trace {
  private readonly kube: Kube;
  private readonly now: number;
  private readonly notes: string[] = [];

  constructor(kube: Kube, now: number) {
    this.kube = kube;
    this.now = now;
  }

  async from(root: KubeObject): Promise<Record<string, unknown>> {
    const { owners, labelled, top } = await this.owners(root);
    const appliers = labelled ? await this.appliers(labelled, root) : await this.chartAppliers(root);
    const fluxObjects = [root, ...(appliers?.objects ?? [])].filter((object) => fluxKindOf(object));
    const sources = await this.sources(fluxObjects, objectName(root));
    return {
      ...this.step(root),
      ...(owners.length > 0 && { owners }),
      managedBy: appliers ? appliers.steps : unmanaged(top, owners.length > 0),
      ...(sources.length > 0 && { sources }),
      ...(this.notes.length > 0 && { notes: this.notes }),
    };
  }

  /**
   * Up the controller ownerReferences until an object carries Flux ownership labels; `top` is the
   * last object reached either way.
   */
  private async owners(
    root: KubeObject,
  ): Promise<{ owners: string[]; labelled?: KubeObject; top: KubeObject }> {
    const owners: string[] = [];
    let current = root;
    for (let level = 0; ; level++) {
      if (fluxManagersOf(current).length > 0) return { owners, labelled: current, top: current };
      const reference = ownerOf(current);
      if (!reference) return { owners, top: current };
      if (level === MAX_OWNER_LEVELS) {
        this.notes.push(`stopped after ${MAX_OWNER_LEVELS} owner levels, at ${objectName(current)}`);
        return { owners, top: current };
      }
      const owner = await this.read(
        reference.kind,
        reference.apiVersion,
        reference.name,
        current.metadata.namespace,
      );
      if (typeof owner === "string") {
        owners.push(`${reference.kind} ${reference.name}: ${owner}`);
        return { owners, top: current };
      }
      const status = this.statusOf(owner);
      owners.push(status ? `${objectName(owner)}: ${status}` : objectName(owner));
      current = owner;
    }
  }

  /** The Flux appliers above the labelled object, nearest first, each read for its readiness. */
  private async appliers(
    labelled: KubeObject,
    root: KubeObject,
  ): Promise<{ steps: Step[]; objects: KubeObject[] }> {
    const steps: Step[] = [];
    const objects: KubeObject[] = [];
    const seen = new Set([objectName(root), objectName(labelled)]);
    let manager: FluxManager | undefined = fluxManagersOf(labelled)[0];
    while (manager && steps.length < MAX_APPLIERS) {
      const name = describeManager(manager);
      if (seen.has(name)) {
        const last = steps.at(-1);
        if (last) last.appliedBy = `${name} (above: they apply each other)`;
        else steps.push({ object: name, note: "applies itself (its own definition is in its source)" });
        break;
      }
      seen.add(name);
      const applier = await this.readManager(manager);
      if (typeof applier === "string") {
        steps.push({ object: name, status: applier });
        break;
      }
      steps.push(this.step(applier));
      objects.push(applier);
      manager = fluxManagersOf(applier)[0];
    }
    return { steps, objects };
  }

  /**
   * A HelmChart that helm-controller generated carries no ownership labels: the HelmRelease whose
   * status.helmChart names it is what put it there.
   */
  private async chartAppliers(
    root: KubeObject,
  ): Promise<{ steps: Step[]; objects: KubeObject[] } | undefined> {
    if (root.kind !== "HelmChart" || groupOf(root.apiVersion) !== SOURCE_GROUP) return undefined;
    const chart = `${root.metadata.namespace}/${root.metadata.name}`;
    let release: KubeObject | undefined;
    try {
      const kind = await this.kube.resolveKind("HelmRelease", HELM_GROUP);
      // Page by page, up to the release that generates the chart.
      for await (const items of listPages(this.kube, kind)) {
        const generating = items.find(
          (item) => (item.status as { helmChart?: unknown } | undefined)?.helmChart === chart,
        );
        if (generating) {
          release = typed(generating, kind);
          break;
        }
      }
    } catch (error) {
      if (!(error instanceof KubeError) || error.reason === "Cancelled" || error.reason === "Timeout")
        throw error;
      this.notes.push(`HelmReleases not read to find the one that generates this chart: ${error.message}`);
      return undefined;
    }
    if (!release) return undefined;
    const above = await this.appliers(release, root);
    return {
      steps: [{ ...this.step(release), generates: objectName(root) }, ...above.steps],
      objects: [release, ...above.objects],
    };
  }

  /**
   * The sources of the Flux objects (the traced one first), each followed to its own source
   * (HelmChart → HelmRepository).
   */
  private async sources(fluxObjects: readonly KubeObject[], root: string): Promise<Step[]> {
    const steps = new Map<string, Step>();
    for (const consumer of fluxObjects) {
      let ref = sourceReferenceOf(consumer);
      for (let hop = 0; ref && hop < MAX_SOURCE_HOPS; hop++) {
        const name = referenceName(ref);
        if (steps.has(name)) break;
        // The traced object itself (a HelmChart, say) is at the top, its own sources followed first.
        if (name === root) break;
        const source = await this.read(ref.kind, referenceApiVersion(ref), ref.name, ref.namespace);
        if (typeof source === "string") {
          steps.set(name, { object: name, status: source });
          break;
        }
        steps.set(name, sourceStep(source, this.now));
        ref = sourceReferenceOf(source);
      }
    }
    return [...steps.values()];
  }

  /** A Flux object with its readiness, revisions and source; any other object with its health. */
  private step(object: KubeObject): Step {
    if (!fluxKindOf(object)) {
      const status = workloadStatus(object);
      return { object: objectName(object), ...(status && { status }) };
    }
    const readiness = readinessOf(object);
    const problem = problemText(readiness, MESSAGE_LENGTH);
    const ref = sourceReferenceOf(object);
    return {
      object: objectName(object),
      status: statusText(readiness, this.now),
      ...(problem && { message: problem }),
      ...revisionFields(object),
      ...(ref && { source: referenceName(ref) }),
    };
  }

  private statusOf(object: KubeObject): string | undefined {
    return fluxKindOf(object) ? statusText(readinessOf(object), this.now) : workloadStatus(object);
  }

  private async readManager(manager: FluxManager): Promise<KubeObject | string> {
    const group = FLUX_KINDS.find((entry) => entry.kind === manager.kind)?.group;
    return this.read(manager.kind, group, manager.name, manager.namespace);
  }

  /** The object, or why it cannot be read: a trace goes as far as it can. */
  private async read(
    kindName: string,
    apiVersion: string | undefined,
    name: string,
    namespace: string | undefined,
  ): Promise<KubeObject | string> {
    try {
      const kind = await this.kube.resolveKind(kindName, apiVersion);
      return typed(await this.kube.get(kind, name, kind.namespaced ? namespace : undefined), kind);
    } catch (error) {
      if (!(error instanceof KubeError) || error.reason === "Cancelled" || error.reason === "Timeout")
        throw error;
      return error.reason === "NotFound" ? "not found" : `not readable: ${error.message}`;
    }
  }
}

/** The controller owner, else the first owner. */
function ownerOf(object: KubeObject) {
  const references = object.metadata.ownerReferences ?? [];
  return references.find((reference) => reference.controller) ?? references[0];
}

function referenceName(ref: SourceReference): string {
  return `${ref.kind} ${ref.namespace}/${ref.name}`;
}

function referenceApiVersion(ref: SourceReference): string {
  return ref.version ? `${ref.group}/${ref.version}` : ref.group;
}

function sourceStep(source: KubeObject, now: number): Step {
  const spec = (source.spec ?? {}) as {
    url?: string;
    endpoint?: string;
    bucketName?: string;
    chart?: string;
    version?: string;
    ref?: unknown;
  };
  const status = (source.status ?? {}) as {
    artifact?: { revision?: string; metadata?: Record<string, string> };
  };
  const readiness = readinessOf(source);
  const problem = problemText(readiness, MESSAGE_LENGTH);
  const ref = describeRef(spec.ref);
  const origin = originOf(status.artifact?.metadata);
  const next = sourceReferenceOf(source);
  return {
    object: objectName(source),
    status: statusText(readiness, now),
    ...(problem && { message: problem }),
    ...(spec.url && { url: spec.url }),
    ...(spec.bucketName && { bucket: `${spec.endpoint ?? ""}/${spec.bucketName}` }),
    ...(spec.chart && { chart: spec.version ? `${spec.chart} ${spec.version}` : spec.chart }),
    ...(ref && { ref }),
    ...(status.artifact?.revision && { revision: shortenDigests(status.artifact.revision) }),
    ...(origin && { origin }),
    ...(next && { source: referenceName(next) }),
  };
}

/** Where an OCI artifact was built from, as its annotations record it. */
function originOf(metadata: Record<string, string> | undefined): string | undefined {
  const source = metadata?.["org.opencontainers.image.source"];
  const revision = metadata?.["org.opencontainers.image.revision"];
  if (!source) return undefined;
  return revision ? `${source} ${shortenDigests(revision)}` : source;
}

/** Says plainly that Flux does not manage it, and what does when the topmost owner tells. */
function unmanaged(top: KubeObject, hasOwners: boolean): string {
  const where = hasOwners ? "it and its owners carry" : "it carries";
  const annotations = top.metadata.annotations ?? {};
  const release = annotations[HELM_RELEASE_ANNOTATION];
  const helm = release
    ? `; installed by Helm release ${annotations[HELM_NAMESPACE_ANNOTATION] ?? "?"}/${release} outside Flux`
    : "";
  return `none: not managed by Flux (${where} no Flux ownership labels)${helm}`;
}
