// The dependency graph of a context's Flux objects: sources feed Kustomizations and HelmReleases
// (HelmRelease → HelmChart → HelmRepository too), dependsOn links objects of a kind, and appliers
// (Kustomizations, HelmReleases, ResourceSets, FluxInstances) apply the Flux objects they generate.
import { KubeError, type Kube, type KubeObject } from "../kube/types.ts";
import { FLUX_KINDS } from "./kinds.ts";
import { fluxManagersOf, describeManager } from "./managed-by.ts";
import { readinessOf, type FluxState } from "./readiness.ts";
import { sourceReferenceOf } from "./sources.ts";

/** The kinds a graph shows: what delivers, and what it delivers from. */
const GRAPH_KINDS = [
  "FluxInstance",
  "ResourceSet",
  "GitRepository",
  "OCIRepository",
  "Bucket",
  "HelmRepository",
  "HelmChart",
  "ExternalArtifact",
  "Kustomization",
  "HelmRelease",
];

export type GraphRelation = "source" | "dependsOn" | "applies";

interface GraphNode {
  /** `Kind namespace/name`. */
  id: string;
  kind: string;
  name: string;
  namespace: string;
  state: FluxState;
}

interface GraphEdge {
  /** Upstream: the source, the dependency, the applier. */
  from: string;
  to: string;
  relation: GraphRelation;
}

export interface FluxGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** Every Flux object of the graph kinds the context serves, and how they connect. */
export async function readFluxGraph(kube: Kube): Promise<FluxGraph> {
  const objects = (await Promise.all(GRAPH_KINDS.map((kind) => listKind(kube, kind)))).flat();
  const nodes = objects.map(nodeOf);
  const known = new Set(nodes.map((node) => node.id));
  const edges: GraphEdge[] = [];
  const add = (from: string, to: string, relation: GraphRelation) => {
    if (known.has(from) && known.has(to) && from !== to) edges.push({ from, to, relation });
  };
  for (const object of objects) {
    const id = idOf(object.kind, object.metadata.name ?? "", object.metadata.namespace ?? "");
    const source = sourceReferenceOf(object);
    if (source) add(idOf(source.kind, source.name, source.namespace), id, "source");
    for (const dependency of dependenciesOf(object)) add(dependency, id, "dependsOn");
    for (const manager of fluxManagersOf(object)) add(describeManager(manager), id, "applies");
  }
  return { nodes, edges };
}

/** The nodes of a namespace, with the nodes elsewhere they connect to directly. */
export function namespaceGraph(graph: FluxGraph, namespace: string): FluxGraph {
  const inside = new Set(graph.nodes.filter((node) => node.namespace === namespace).map((node) => node.id));
  const edges = graph.edges.filter((edge) => inside.has(edge.from) || inside.has(edge.to));
  const keep = new Set([...inside, ...edges.flatMap((edge) => [edge.from, edge.to])]);
  return { nodes: graph.nodes.filter((node) => keep.has(node.id)), edges };
}

/** One object's neighbourhood: everything upstream of it and everything downstream. */
export function neighbourhoodGraph(graph: FluxGraph, id: string): FluxGraph {
  const reach = (forward: boolean) => {
    const seen = new Set([id]);
    const queue = [id];
    for (let current = queue.shift(); current !== undefined; current = queue.shift()) {
      for (const edge of graph.edges) {
        const [here, next] = forward ? [edge.from, edge.to] : [edge.to, edge.from];
        if (here === current && !seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    return seen;
  };
  const keep = new Set([...reach(true), ...reach(false)]);
  return {
    nodes: graph.nodes.filter((node) => keep.has(node.id)),
    edges: graph.edges.filter((edge) => keep.has(edge.from) && keep.has(edge.to)),
  };
}

export function idOf(kind: string, name: string, namespace: string): string {
  return namespace ? `${kind} ${namespace}/${name}` : `${kind} ${name}`;
}

function nodeOf(object: KubeObject): GraphNode {
  const name = object.metadata.name ?? "";
  const namespace = object.metadata.namespace ?? "";
  return {
    id: idOf(object.kind, name, namespace),
    kind: object.kind,
    name,
    namespace,
    state: readinessOf(object).state,
  };
}

/** spec.dependsOn as node ids: names of the same kind, or full references (ResourceSet). */
function dependenciesOf(object: KubeObject): string[] {
  const dependsOn = (object.spec as { dependsOn?: unknown } | undefined)?.dependsOn;
  if (!Array.isArray(dependsOn)) return [];
  return dependsOn.flatMap((entry: { name?: unknown; namespace?: unknown; kind?: unknown }) => {
    if (typeof entry?.name !== "string" || entry.name === "") return [];
    const kind = typeof entry.kind === "string" && entry.kind ? entry.kind : object.kind;
    const namespace =
      typeof entry.namespace === "string" && entry.namespace
        ? entry.namespace
        : (object.metadata.namespace ?? "");
    return [idOf(kind, entry.name, namespace)];
  });
}

async function listKind(kube: Kube, kindName: string): Promise<KubeObject[]> {
  const group = FLUX_KINDS.find((entry) => entry.kind === kindName)?.group;
  try {
    const kind = await kube.resolveKind(kindName, group);
    return (await kube.list(kind)).items.map((item) => ({
      ...item,
      kind: kind.kind,
      apiVersion: kind.apiVersion,
    }));
  } catch (error) {
    // A cluster without the operator serves no FluxInstance or ResourceSet: nothing to draw there.
    if (error instanceof KubeError && error.reason === "UnknownKind") return [];
    throw error;
  }
}
