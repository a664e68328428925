import { newRequestToken, reconcileProgress } from "../../flux/reconcile.ts";
import { isSuspended, resumePatch } from "../../flux/suspend.ts";
import { defineTool, toolError } from "../tool.ts";
import { PATCH_FIELD_MANAGER } from "../../kube/field-managers.ts";
import { getFluxTarget, resolveFluxKind } from "../../flux/target.ts";
import { where } from "../../format/names.ts";
import {
  apiVersionParam,
  kindParam,
  nameParam,
  namespaceParam,
  waitBudget,
  waitInput,
} from "../../params/operations.ts";
import { describeOutcome, progressReporter, waitForOutcome } from "../../flux/reconcile-wait.ts";

export const resumeFluxReconciliation = defineTool({
  name: "resume_flux_reconciliation",
  title: "Resume a Flux object",
  description: "Resumes a suspended Flux object, reconciles it and waits for the outcome.",
  area: "operations",
  input: {
    apiVersion: apiVersionParam,
    kind: kindParam,
    name: nameParam,
    namespace: namespaceParam,
    ...waitInput,
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  writes: true,
  usesCluster: true,
  async handler(args, ctx) {
    const kube = await ctx.kube();
    const place = where(kube);
    const kind = await resolveFluxKind(kube, args.kind, args.apiVersion);
    if ("refusal" in kind) return toolError(`cannot resume ${args.kind} ${args.name}: ${kind.refusal}`);
    const { resolved, fluxKind } = kind;
    if (fluxKind.suspend === "none") {
      return toolError(`${resolved.kind} cannot be suspended or resumed: Flux does not reconcile it`);
    }
    const target = await getFluxTarget(kube, resolved, fluxKind, args.name, args.namespace);
    const wasSuspended = isSuspended(target.object, fluxKind);
    // Kinds without status (Alert, Provider) have no reconciliation to request or wait for.
    const token = fluxKind.reconcilable ? newRequestToken() : undefined;
    await kube.patch(resolved, args.name, args.namespace, resumePatch(fluxKind, token), "merge", {
      fieldManager: PATCH_FIELD_MANAGER,
    });
    const resumed = `${target.title} ${place} ${wasSuspended ? "resumed" : "was not suspended"}`;
    if (token === undefined) return { text: resumed };
    if (!args.wait) {
      return { text: `${resumed}; reconciliation requested (requestedAt ${token}), not waiting` };
    }
    const report = progressReporter(ctx);
    report(`${target.title}: resumed, reconciliation requested`);
    const outcome = await waitForOutcome(
      kube,
      ctx,
      target,
      (object) => reconcileProgress(object, token),
      report,
      waitBudget(args.wait_timeout),
    );
    return {
      text: [`${resumed}; reconciliation requested`, ...describeOutcome(target, outcome, place)].join("\n"),
    };
  },
});
