import { z } from "zod";
import { defineTool } from "../tool.ts";
import {
  nameParam,
  namespaceParam,
  waitBudget,
  waitParam,
  waitTimeoutParam,
  withSourceParam,
} from "../../params/operations.ts";
import { reconcileFluxObject } from "../../flux/reconcile-flow.ts";

export const reconcileFluxHelmRelease = defineTool({
  name: "reconcile_flux_helmrelease",
  title: "Reconcile a Flux HelmRelease",
  description:
    "Asks helm-controller to reconcile a HelmRelease now, optionally its chart source first (with_source: the OCIRepository or HelmChart of spec.chartRef, or the HelmChart generated from spec.chart and its HelmRepository), and waits for the outcome: Ready or not, reason, message, chart version. It is forced like flux-operator-mcp's (reconcile.fluxcd.io/forceAt: a Helm upgrade runs even without changes) unless force is false. Refuses a suspended HelmRelease.",
  area: "operations",
  input: {
    name: nameParam,
    namespace: namespaceParam,
    with_source: withSourceParam,
    force: z
      .boolean()
      .default(true)
      .describe(
        "Force a one-off Helm install or upgrade even when nothing changed (default true, as flux-operator-mcp); false only requests a reconciliation.",
      ),
    wait: waitParam,
    wait_timeout: waitTimeoutParam,
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
      wait: args.wait,
      waitMs: waitBudget(args.wait_timeout),
    }),
});
