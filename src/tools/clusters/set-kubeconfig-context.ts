// set_kubeconfig_context: switches the context this MCP session uses. Other sessions, the process
// and the kubeconfig file are left as they are.
import { contextArgument } from "../../params/bounds.ts";
import { KubeError } from "../../kube/types.ts";
import { defineTool, toolError } from "../tool.ts";

export const setKubeconfigContext = defineTool({
  name: "set_kubeconfig_context",
  title: "Switch kubeconfig context",
  area: "clusters",
  description: "Switches this session to another kubeconfig context.",
  input: {
    name: contextArgument().describe("Context name"),
  },
  // Only session state changes: nothing in a cluster or on disk, hence read-only and allowed with --read-only.
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  writes: false,
  kubeconfigOnly: true,
  usesCluster: false,
  async handler(args, ctx) {
    try {
      await ctx.setContext(args.name);
    } catch (error) {
      if (error instanceof KubeError && error.reason === "Config") return toolError(error.message);
      throw error;
    }
    const context = (await ctx.contexts()).find((entry) => entry.name === args.name);
    const details = context
      ? ` (cluster ${context.cluster}, user ${context.user}${context.namespace ? `, namespace ${context.namespace}` : ""})`
      : "";
    return { text: `This session now uses context ${args.name}${details}\n` };
  },
});
