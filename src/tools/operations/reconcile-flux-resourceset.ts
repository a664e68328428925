import { defineTool } from "../tool.ts";
import { nameParam, namespaceParam, waitChoice, waitInput } from "../../params/operations.ts";
import { reconcileFluxObject } from "../../flux/reconcile-flow.ts";

export const reconcileFluxResourceSet = defineTool({
  name: "reconcile_flux_resourceset",
  title: "Reconcile a Flux ResourceSet",
  description: "Reconciles a ResourceSet now and waits for the outcome.",
  area: "operations",
  input: { name: nameParam, namespace: namespaceParam, ...waitInput },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  writes: true,
  usesCluster: true,
  handler: (args, ctx) =>
    reconcileFluxObject(ctx, {
      kind: "ResourceSet",
      apiVersion: "fluxcd.controlplane.io",
      name: args.name,
      namespace: args.namespace,
      withSource: false,
      force: false,
      ...waitChoice(args),
    }),
});
