import { z } from "zod";
import { kindArgument } from "../../params/bounds.ts";
import { defineTool } from "../tool.ts";
import {
  apiVersionParam,
  nameParam,
  namespaceParam,
  waitChoice,
  waitInput,
  withSourceParam,
} from "../../params/operations.ts";
import { reconcileFluxObject } from "../../flux/reconcile-flow.ts";

export const reconcileFluxResource = defineTool({
  name: "reconcile_flux_resource",
  title: "Reconcile a Flux object",
  description:
    "Reconciles any Flux object now and waits for the outcome: Ready, reason, message, revision. Refuses suspended objects.",
  area: "operations",
  input: {
    apiVersion: apiVersionParam,
    kind: kindArgument().describe("Flux kind, e.g. Kustomization"),
    name: nameParam,
    namespace: namespaceParam,
    with_source: withSourceParam,
    force: z
      .boolean()
      .optional()
      .describe("Force a one-off run (default: HelmRelease, ResourceSetInputProvider)"),
    ...waitInput,
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  writes: true,
  usesCluster: true,
  handler: (args, ctx) =>
    reconcileFluxObject(ctx, {
      kind: args.kind,
      ...(args.apiVersion !== undefined && { apiVersion: args.apiVersion }),
      name: args.name,
      namespace: args.namespace,
      withSource: args.with_source,
      ...(args.force !== undefined && { force: args.force }),
      ...waitChoice(args),
    }),
});
