import { defineTool } from "../tool.ts";
import {
  nameParam,
  namespaceParam,
  waitChoice,
  waitInput,
  withSourceParam,
} from "../../params/operations.ts";
import { reconcileFluxObject } from "../../flux/reconcile-flow.ts";

export const reconcileFluxKustomization = defineTool({
  name: "reconcile_flux_kustomization",
  title: "Reconcile a Flux Kustomization",
  description: "Reconciles a Kustomization now and waits for the outcome.",
  area: "operations",
  input: {
    name: nameParam,
    namespace: namespaceParam,
    with_source: withSourceParam,
    ...waitInput,
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  writes: true,
  usesCluster: true,
  handler: (args, ctx) =>
    reconcileFluxObject(ctx, {
      kind: "Kustomization",
      apiVersion: "kustomize.toolkit.fluxcd.io",
      name: args.name,
      namespace: args.namespace,
      withSource: args.with_source,
      force: false,
      ...waitChoice(args),
    }),
});
