import { z } from "zod";
import { defineTool } from "../tool.ts";
import {
  nameParam,
  namespaceParam,
  waitChoice,
  waitInput,
  withSourceParam,
} from "../../params/operations.ts";
import { reconcileFluxObject } from "../../flux/reconcile-flow.ts";

export const reconcileFluxHelmRelease = defineTool({
  name: "reconcile_flux_helmrelease",
  title: "Reconcile a Flux HelmRelease",
  description: "Reconciles a HelmRelease now, forced, and waits for the outcome.",
  area: "operations",
  input: {
    name: nameParam,
    namespace: namespaceParam,
    with_source: withSourceParam,
    force: z.boolean().default(true).describe("Upgrade even without changes"),
    ...waitInput,
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  writes: true,
  usesCluster: true,
  handler: (args, ctx) =>
    reconcileFluxObject(ctx, {
      kind: "HelmRelease",
      apiVersion: "helm.toolkit.fluxcd.io",
      name: args.name,
      namespace: args.namespace,
      withSource: args.with_source,
      force: args.force,
      ...waitChoice(args),
    }),
});
