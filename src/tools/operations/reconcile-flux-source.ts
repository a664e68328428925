import { z } from "zod";
import { defineTool } from "../tool.ts";
import { nameParam, namespaceParam, waitChoice, waitInput } from "../../params/operations.ts";
import { reconcileFluxObject } from "../../flux/reconcile-flow.ts";

const SOURCE_KINDS = ["GitRepository", "OCIRepository", "Bucket", "HelmChart", "HelmRepository"] as const;

export const reconcileFluxSource = defineTool({
  name: "reconcile_flux_source",
  title: "Reconcile a Flux source",
  description: "Fetches a Flux source now and waits for the outcome.",
  area: "operations",
  input: {
    kind: z.enum(SOURCE_KINDS).describe("Source kind"),
    name: nameParam,
    namespace: namespaceParam,
    ...waitInput,
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  writes: true,
  usesCluster: true,
  handler: (args, ctx) =>
    reconcileFluxObject(ctx, {
      kind: args.kind,
      apiVersion: "source.toolkit.fluxcd.io",
      name: args.name,
      namespace: args.namespace,
      withSource: false,
      force: false,
      ...waitChoice(args),
    }),
});
