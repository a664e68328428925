// `flux-mcp graph`: the Flux dependency graph of a context as Mermaid on stdout (for mmdc, a
// Markdown file, a wiki), the same picture get_flux_dependency_graph gives an assistant.
import { parseArgs } from "node:util";
import { z } from "zod";
import { createKubeProvider } from "../kube/provider.ts";
import { createInFlight } from "../server/in-flight.ts";
import { offerTools } from "../server/tool-catalogue.ts";
import { runToolCall } from "../server/tool-call.ts";
import { DocsShelf } from "../server/tool-context.ts";
import { getFluxDependencyGraph } from "../tools/analysis/get-flux-dependency-graph.ts";
import { startDemoCluster } from "./in-memory-clusters.ts";
import { UsageError } from "./usage-error.ts";
import { kubeconfigPathsFrom } from "./kubeconfig-paths.ts";

export const GRAPH_HELP = `Usage: flux-mcp graph [--context NAME] [-n NAMESPACE] [--kind KIND --name NAME] [flags]

Prints the dependency graph of a context's Flux objects as a Mermaid flowchart on stdout (boxes
colored by state), and a one-line summary on stderr.

  --context NAME        kubeconfig context (default: the current context)
  -n, --namespace NAME  only this namespace's objects and their direct neighbours
  --kind KIND --name NAME
                        only this object's neighbourhood (with -n for its namespace)
  --kubeconfig FILE     kubeconfig to use instead of KUBECONFIG or ~/.kube/config
  --demo                the built-in demo clusters "staging" and "production"
  -h, --help            show this help`;

export async function runGraphCommand(args: string[]): Promise<void> {
  const { values } = parse(args);
  if (values.help) {
    console.log(GRAPH_HELP);
    return;
  }
  if (values.demo && values.kubeconfig)
    throw new UsageError("graph: --demo brings its own clusters; drop --kubeconfig");
  const input = z.object(getFluxDependencyGraph.input).safeParse({
    ...(values.namespace && { namespace: values.namespace }),
    ...(values.kind && { kind: values.kind }),
    ...(values.name && { name: values.name }),
  });
  if (!input.success)
    throw new UsageError(
      `graph: ${input.error.issues.map((issue) => `--${issue.path.join(".")}: ${issue.message}`).join("; ")}`,
    );
  const demo = values.demo ? await startDemoCluster() : undefined;
  try {
    const kubeconfigPaths = demo
      ? [demo.kubeconfigPath]
      : kubeconfigPathsFrom(values.kubeconfig, process.env.KUBECONFIG);
    const provider = createKubeProvider({
      kubeconfigPaths,
      readOnly: true,
      ...(values.context && { context: values.context }),
    });
    // The server's own call path: the same masking, timeout and error wording as an MCP answer.
    const [offered] = offerTools([getFluxDependencyGraph], { readOnly: true, inCluster: false });
    if (!offered) throw new Error("get_flux_dependency_graph is not offered");
    const result = await runToolCall(
      {
        provider: () => Promise.resolve(provider),
        docs: new DocsShelf(),
        maskSecrets: true,
        timeoutMs: 60_000,
        responseLimit: Infinity,
        calls: createInFlight(),
        log: (message) => console.error(`flux-mcp: ${message}`),
      },
      { state: { context: values.context }, stateless: false },
      offered,
      { arguments: input.data, signal: new AbortController().signal },
    );
    if (result.isError) throw new Error(result.text);
    const [summary = "", ...rest] = result.text.split("\n");
    const chart = rest
      .join("\n")
      .replace(/^\s*```mermaid\n/, "")
      .replace(/\n```\s*$/, "");
    console.error(summary.replace(/^# /, ""));
    console.log(chart);
  } finally {
    await demo?.close();
  }
}

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        context: { type: "string" },
        namespace: { type: "string", short: "n" },
        kind: { type: "string" },
        name: { type: "string" },
        kubeconfig: { type: "string" },
        demo: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError(`graph: ${(error as Error).message}`);
  }
}
