// A Flux dependency graph as a Mermaid flowchart, read left to right from sources to what they
// deliver: one box per object colored by its state, solid arrows for sources, dotted for
// dependsOn, thick for what an applier applies. Clients that render Mermaid show a picture.
import type { FluxGraph, GraphRelation } from "./dependency-graph.ts";
import type { FluxState } from "./readiness.ts";

const STATE_STYLES: Record<FluxState, string> = {
  ready: "fill:#dcf5e3,stroke:#2e8b57,color:#123",
  failing: "fill:#fbd5d5,stroke:#c62828,color:#300",
  stalled: "fill:#f5b7b7,stroke:#8e0000,color:#300,stroke-width:3px",
  blocked: "fill:#ffe8c2,stroke:#e08a00,color:#320",
  progressing: "fill:#d6e9fb,stroke:#1e6bb8,color:#013",
  pending: "fill:#eeeeee,stroke:#777777,color:#222",
  suspended: "fill:#e6e6e6,stroke:#555555,color:#222,stroke-dasharray:4 3",
  terminating: "fill:#eeeeee,stroke:#999999,color:#555",
  static: "fill:#ffffff,stroke:#999999,color:#222",
};

const ARROWS: Record<GraphRelation, string> = {
  source: "-->",
  dependsOn: "-.->|dependsOn|",
  applies: "==>",
};

export function mermaidFlowchart(graph: FluxGraph): string {
  const ids = new Map(graph.nodes.map((node, index) => [node.id, `n${index}`]));
  const lines = ["flowchart LR"];
  for (const node of graph.nodes) {
    const where = node.namespace ? `${node.namespace}/${node.name}` : node.name;
    lines.push(
      `  ${ids.get(node.id)}["${escape(node.kind)}<br/>${escape(where)}<br/><i>${node.state}</i>"]:::${node.state}`,
    );
  }
  for (const edge of graph.edges) {
    lines.push(`  ${ids.get(edge.from)} ${ARROWS[edge.relation]} ${ids.get(edge.to)}`);
  }
  const used = new Set(graph.nodes.map((node) => node.state));
  for (const [state, style] of Object.entries(STATE_STYLES)) {
    if (used.has(state as FluxState)) lines.push(`  classDef ${state} ${style}`);
  }
  return lines.join("\n");
}

/** Kubernetes names hold no quotes or brackets; anything else Mermaid would read is written as an entity. */
function escape(text: string): string {
  return text.replace(/["<>#]/g, (character) => `#${character.charCodeAt(0)};`);
}
