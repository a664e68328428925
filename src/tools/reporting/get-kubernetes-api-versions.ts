// get_kubernetes_api_versions: which apiVersion to use for each kind the cluster serves, built-in
// and custom, one line per apiVersion, Flux first.
import type { ResolvedKind } from "../../kube/types.ts";
import { isFluxGroup } from "../../flux/kinds.ts";
import { defineTool } from "../tool.ts";

export const getKubernetesApiVersions = defineTool({
  name: "get_kubernetes_api_versions",
  title: "Get Kubernetes API versions",
  area: "reporting",
  description:
    "Lists the kinds the cluster serves, built-in and CRDs, by preferred apiVersion. Use it to find a kind's apiVersion or which Flux APIs are installed.",
  input: {},
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  writes: false,
  usesCluster: true,
  async handler(_args, ctx) {
    const kube = await ctx.kube();
    const readable = (await kube.kinds()).filter(
      (kind) => kind.verbs.length === 0 || kind.verbs.includes("get") || kind.verbs.includes("list"),
    );
    const flux = lines(readable.filter((kind) => isFluxGroup(kind.group)));
    const others = lines(readable.filter((kind) => !isFluxGroup(kind.group)));
    const sections = [
      `# preferred apiVersions in context ${kube.context}`,
      ...(flux.length > 0 ? ["# Flux", ...flux] : ["# Flux: no Flux APIs installed"]),
      "# Kubernetes and other APIs",
      ...others,
    ];
    return { text: sections.join("\n") + "\n" };
  },
});

/** `apps/v1: DaemonSet, Deployment`: the core group first, then built-in groups, then the rest by name. */
function lines(kinds: readonly ResolvedKind[]): string[] {
  const byApiVersion = new Map<string, string[]>();
  for (const kind of kinds) {
    const names = byApiVersion.get(kind.apiVersion);
    if (names) names.push(kind.kind);
    else byApiVersion.set(kind.apiVersion, [kind.kind]);
  }
  return [...byApiVersion]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([apiVersion, names]) => `${apiVersion}: ${[...new Set(names)].sort().join(", ")}`);
}

function rank(apiVersion: string): number {
  if (!apiVersion.includes("/")) return 0;
  const group = apiVersion.slice(0, apiVersion.indexOf("/"));
  return !group.includes(".") || group.endsWith(".k8s.io") ? 1 : 2;
}
