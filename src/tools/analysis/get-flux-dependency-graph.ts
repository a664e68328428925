// get_flux_dependency_graph: the picture of how a context's Flux objects feed each other, as
// Mermaid, filtered to a namespace or to one object's neighbourhood.
import { z } from "zod";
import {
  idOf,
  namespaceGraph,
  neighbourhoodGraph,
  readFluxGraph,
  type FluxGraph,
} from "../../flux/dependency-graph.ts";
import { FLUX_KINDS } from "../../flux/kinds.ts";
import { mermaidFlowchart } from "../../flux/dependency-graph-mermaid.ts";
import { where } from "../../format/names.ts";
import { defineTool, toolError } from "../tool.ts";

/** More boxes than a picture can show legibly: the answer asks for a filter instead. */
const MAX_GRAPH_NODES = 150;
const NOT_FINE = new Set(["failing", "stalled", "blocked"]);

export const getFluxDependencyGraph = defineTool({
  name: "get_flux_dependency_graph",
  title: "Draw the Flux dependency graph",
  area: "analysis",
  description:
    "Draws the Flux dependency graph (sources, dependsOn, appliers) as a Mermaid flowchart colored by state. Use it when a person wants to see the fleet.",
  input: {
    namespace: z.string().min(1).max(63).optional().describe("Only this namespace"),
    kind: z.string().min(1).max(63).optional().describe("With name: one object's neighbourhood"),
    name: z.string().min(1).max(253).optional().describe("With kind and namespace"),
  },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  writes: false,
  usesCluster: true,
  async handler(args, ctx) {
    if ((args.kind === undefined) !== (args.name === undefined)) {
      return toolError("kind and name go together: give both for one object's neighbourhood, or neither");
    }
    if (args.name !== undefined && args.namespace === undefined) {
      return toolError(`namespace is required with name: the namespace of ${args.kind} ${args.name}`);
    }
    const kube = await ctx.kube();
    const full = await readFluxGraph(kube);
    let graph: FluxGraph;
    let scope: string;
    if (args.kind !== undefined && args.name !== undefined && args.namespace !== undefined) {
      const kind =
        FLUX_KINDS.find((entry) => entry.kind.toLowerCase() === args.kind?.toLowerCase())?.kind ?? args.kind;
      const id = idOf(kind, args.name, args.namespace);
      if (!full.nodes.some((node) => node.id === id))
        return toolError(`${id} is not in the Flux graph ${where(kube)}`);
      graph = neighbourhoodGraph(full, id);
      scope = `the neighbourhood of ${id}`;
    } else if (args.namespace !== undefined) {
      graph = namespaceGraph(full, args.namespace);
      scope = `namespace ${args.namespace}`;
      if (graph.nodes.length === 0)
        return toolError(`no Flux objects in namespace ${args.namespace} ${where(kube)}`);
    } else {
      graph = full;
      scope = "every namespace";
    }
    if (graph.nodes.length > MAX_GRAPH_NODES) {
      return toolError(
        `${graph.nodes.length} Flux objects in ${scope} ${where(kube)}: more than a picture shows (${MAX_GRAPH_NODES}); filter by namespace or by one object (kind, name, namespace)`,
      );
    }
    const troubled = graph.nodes
      .filter((node) => NOT_FINE.has(node.state))
      .map((node) => `${node.id} (${node.state})`);
    const summary = `# Flux dependency graph ${where(kube)}, ${scope}: ${graph.nodes.length} objects, ${graph.edges.length} links${
      troubled.length > 0 ? `; not ready: ${troubled.join(", ")}` : "; all ready or static"
    }`;
    return { text: `${summary}\n\n\`\`\`mermaid\n${mermaidFlowchart(graph)}\n\`\`\`\n` };
  },
});
