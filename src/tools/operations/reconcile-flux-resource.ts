import { z } from "zod";
import { kindArgument } from "../../params/bounds.ts";
import { defineTool } from "../tool.ts";
import {
  apiVersionParam,
  nameParam,
  namespaceParam,
  waitBudget,
  waitParam,
  waitTimeoutParam,
  withSourceParam,
} from "../../params/operations.ts";
import { reconcileFluxObject } from "../../flux/reconcile-flow.ts";

export const reconcileFluxResource = defineTool({
  name: "reconcile_flux_resource",
  title: "Reconcile a Flux object",
  description:
    "Asks Flux to reconcile an object now (Kustomization, HelmRelease, a source, image automation, Receiver, FluxInstance, ResourceSet, ResourceSetInputProvider) and waits for the outcome: Ready or not, reason, message, revision, duration. Refuses suspended objects (resume them first) and kinds without status (Alert, Provider).",
  area: "operations",
  input: {
    apiVersion: apiVersionParam,
    kind: kindArgument().describe("Flux kind, e.g. Kustomization, HelmRelease, GitRepository, ResourceSet."),
    name: nameParam,
    namespace: namespaceParam,
    with_source: withSourceParam,
    force: z
      .boolean()
      .optional()
      .describe(
        "HelmRelease, FluxInstance and ResourceSetInputProvider only: run a one-off forced reconciliation (a HelmRelease is upgraded even without changes). Default: true for HelmRelease and ResourceSetInputProvider (as flux-operator-mcp), false otherwise; false opts out.",
      ),
    wait: waitParam,
    wait_timeout: waitTimeoutParam,
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
      wait: args.wait,
      waitMs: waitBudget(args.wait_timeout),
    }),
});
