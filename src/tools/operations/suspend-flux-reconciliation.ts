import { isSuspended, suspendPatch, suspensionMarker } from "../../flux/suspend.ts";
import { defineTool, toolError } from "../tool.ts";
import { PATCH_FIELD_MANAGER } from "../../kube/field-managers.ts";
import { getFluxTarget, resolveFluxKind } from "../../flux/target.ts";
import { where } from "../../format/names.ts";
import { apiVersionParam, kindParam, nameParam, namespaceParam } from "../../params/operations.ts";

export const suspendFluxReconciliation = defineTool({
  name: "suspend_flux_reconciliation",
  title: "Suspend a Flux object",
  description: "Suspends a Flux object's reconciliation until it is resumed; it keeps its last status.",
  area: "operations",
  input: { apiVersion: apiVersionParam, kind: kindParam, name: nameParam, namespace: namespaceParam },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  writes: true,
  usesCluster: true,
  async handler(args, ctx) {
    const kube = await ctx.kube();
    const kind = await resolveFluxKind(kube, args.kind, args.apiVersion);
    if ("refusal" in kind) return toolError(`cannot suspend ${args.kind} ${args.name}: ${kind.refusal}`);
    const { resolved, fluxKind } = kind;
    if (fluxKind.suspend === "none") {
      return toolError(
        `${resolved.kind} cannot be suspended: its producer updates it, Flux does not reconcile it`,
      );
    }
    const target = await getFluxTarget(kube, resolved, fluxKind, args.name, args.namespace);
    const marker = suspensionMarker(fluxKind);
    if (isSuspended(target.object, fluxKind)) {
      return { text: `${target.title} ${where(kube)} was already suspended (${marker})` };
    }
    await kube.patch(resolved, args.name, args.namespace, suspendPatch(fluxKind), "merge", {
      fieldManager: PATCH_FIELD_MANAGER,
    });
    return {
      text: `${target.title} ${where(kube)} suspended (${marker}); resume_flux_reconciliation resumes it`,
    };
  },
});
