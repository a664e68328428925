// get_kubeconfig_contexts: the contexts of the merged kubeconfig, and which one this MCP session uses.
import { Document } from "yaml";
import { defineTool } from "../tool.ts";

export const getKubeconfigContexts = defineTool({
  name: "get_kubeconfig_contexts",
  title: "List kubeconfig contexts",
  area: "clusters",
  description: "Lists the kubeconfig contexts and the one this session uses.",
  input: {},
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  writes: false,
  kubeconfigOnly: true,
  usesCluster: false,
  async handler(_args, ctx) {
    const contexts = [...(await ctx.contexts())].sort((a, b) => a.name.localeCompare(b.name));
    if (contexts.length === 0) return { text: "The kubeconfig defines no contexts\n" };
    const current = contexts.find((context) => context.current);
    const document = new Document(
      {
        ...(current !== undefined && { current: current.name }),
        contexts: contexts.map((context) => ({
          context: context.name,
          cluster: context.cluster,
          user: context.user,
          ...(context.namespace !== undefined && { namespace: context.namespace }),
        })),
      },
      { aliasDuplicateObjects: false },
    );
    const rows = document.get("contexts", true) as { items: { flow?: boolean }[] };
    for (const row of rows.items) row.flow = true;
    return { text: document.toString({ lineWidth: 0 }) };
  },
});
