// get_flux_dependency_graph through the built server and the MCP client, and `flux-mcp graph`: the
// Mermaid they give is read back by Mermaid's own parser (under jsdom, which it needs for its
// sanitizer), and the boxes and arrows it finds are the demo fleet's.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { JSDOM } from "jsdom";
import { connectStdio, serverEnvironment, textOf, type StdioConnection } from "../helpers/mcp-clients.ts";
import { runCli } from "../helpers/run-cli.ts";

interface Vertex {
  id: string;
  text: string;
  classes: string[];
}
interface Edge {
  start: string;
  end: string;
  stroke: string;
  text: string;
}

/** Mermaid's parse of a flowchart: its boxes (by label's first two lines) and arrows. */
async function parseFlowchart(text: string) {
  const dom = new JSDOM("<!doctype html><html><body></body></html>");
  Object.assign(globalThis, { window: dom.window, document: dom.window.document });
  const { default: mermaid } = await import("mermaid");
  await mermaid.parse(text);
  // The diagram database is reachable only through this API; parse() above is the check proper.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const db = diagram.db as unknown as { getVertices(): Map<string, Vertex>; getEdges(): Edge[] };
  const vertices = [...db.getVertices().values()];
  const label = new Map(
    vertices.map((vertex) => {
      const [kind, name] = vertex.text.split(/<br\/?>/);
      return [vertex.id, `${kind} ${name}`];
    }),
  );
  return {
    boxes: new Map(vertices.map((vertex) => [label.get(vertex.id) ?? "", vertex.classes])),
    arrows: db.getEdges().map((edge) => `${label.get(edge.start)} ${edge.stroke} ${label.get(edge.end)}`),
  };
}

function mermaidBlock(answer: string): string {
  const match = /```mermaid\n([\s\S]*?)\n```/.exec(answer);
  assert.ok(match?.[1], `a mermaid block: ${answer}`);
  return match[1];
}

describe("get_flux_dependency_graph on the demo fleet", { timeout: 120_000 }, () => {
  let server: StdioConnection;
  before(async () => {
    server = await connectStdio(["--demo"], "2025-11-25", serverEnvironment({ KUBECONFIG: "/nonexistent" }));
  });
  after(async () => server?.client.close());

  const graph = async (args: Record<string, unknown>) => {
    const result = await server.client.callTool({ name: "get_flux_dependency_graph", arguments: args });
    return { text: textOf(result), isError: (result as { isError?: boolean }).isError === true };
  };

  it("draws the whole context, colored by state, and Mermaid parses it", async () => {
    const result = await graph({ context: "staging" });
    assert.equal(result.isError, false, result.text);
    assert.match(
      result.text,
      /^# Flux dependency graph in context staging, every namespace: \d+ objects, \d+ links; not ready: /,
    );
    const { boxes, arrows } = await parseFlowchart(mermaidBlock(result.text));
    assert.deepEqual(boxes.get("HelmRelease monitoring/kube-prometheus-stack"), ["stalled"]);
    assert.deepEqual(boxes.get("Kustomization flux-system/apps"), ["failing"]);
    assert.deepEqual(boxes.get("Kustomization flux-system/monitoring-configs"), ["blocked"]);
    assert.deepEqual(boxes.get("GitRepository flux-system/flux-system"), ["ready"]);
    assert.ok(
      arrows.includes(
        "Kustomization flux-system/monitoring dotted Kustomization flux-system/monitoring-configs",
      ),
    );
    assert.ok(arrows.includes("GitRepository flux-system/flux-system normal Kustomization flux-system/apps"));
    assert.ok(
      arrows.includes(
        "HelmChart flux-system/monitoring-kube-prometheus-stack normal HelmRelease monitoring/kube-prometheus-stack",
      ),
    );
    assert.ok(
      arrows.includes(
        "HelmRepository flux-system/prometheus-community normal HelmChart flux-system/monitoring-kube-prometheus-stack",
      ),
    );
    assert.ok(
      arrows.includes(
        "Kustomization flux-system/monitoring thick HelmRelease monitoring/kube-prometheus-stack",
      ),
    );
    assert.ok(
      arrows.some((arrow) => /^ResourceSet flux-system\/podinfo-previews thick /.test(arrow)),
      "a ResourceSet applies what it generates",
    );
  });

  it("draws one object's neighbourhood and a namespace", async () => {
    const result = await graph({
      context: "staging",
      kind: "Kustomization",
      name: "monitoring-configs",
      namespace: "flux-system",
    });
    assert.equal(result.isError, false, result.text);
    const { boxes } = await parseFlowchart(mermaidBlock(result.text));
    assert.ok(boxes.has("Kustomization flux-system/monitoring"));
    assert.ok(boxes.has("GitRepository flux-system/flux-system"));
    assert.ok(!boxes.has("HelmRelease frontend/podinfo"), "not upstream or downstream of monitoring-configs");

    const frontend = await graph({ context: "staging", namespace: "frontend" });
    const parsed = await parseFlowchart(mermaidBlock(frontend.text));
    assert.ok(parsed.boxes.has("HelmRelease frontend/podinfo"));
    assert.ok(
      parsed.boxes.has("Kustomization flux-system/apps"),
      "its direct neighbour in another namespace",
    );
    assert.ok(!parsed.boxes.has("HelmRelease monitoring/kube-prometheus-stack"));
  });

  it("refuses bad input in one line", async () => {
    for (const [args, expected] of [
      [{ kind: "Kustomization" }, /^kind and name go together/],
      [{ kind: "Kustomization", name: "apps" }, /^namespace is required with name/],
      [
        { kind: "Kustomization", name: "nope", namespace: "flux-system" },
        /^Kustomization flux-system\/nope is not in the Flux graph in context staging$/,
      ],
      [{ namespace: "nowhere" }, /^no Flux objects in namespace nowhere in context staging$/],
    ] as const) {
      const result = await graph({ context: "staging", ...args });
      assert.equal(result.isError, true, result.text);
      assert.match(result.text, expected);
    }
  });
});

describe("flux-mcp graph", { timeout: 120_000 }, () => {
  it("prints Mermaid that parses, and the summary on stderr", async () => {
    const result = await runCli(["graph", "--demo", "--context", "production", "-n", "ingress-nginx"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^Flux dependency graph in context production, namespace ingress-nginx: /);
    const { boxes } = await parseFlowchart(result.stdout);
    assert.deepEqual(boxes.get("HelmRelease ingress-nginx/ingress-nginx"), ["suspended"]);
  });

  it("says what is wrong with its flags in one line", async () => {
    const result = await runCli(["graph", "--demo", "--kind", "Kustomization"]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^flux-mcp: kind and name go together/);
  });
});
