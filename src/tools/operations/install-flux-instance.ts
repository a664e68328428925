import { z } from "zod";
import { durationArgument, manifestArgument, MAX_URL } from "../../params/bounds.ts";
import { generationProgress } from "../../flux/reconcile.ts";
import { groupOf } from "../../flux/kinds.ts";
import { KubeError, type KubeObject } from "../../kube/types.ts";
import { defineTool, toolError } from "../tool.ts";
import { planApply, readLive } from "../../flux/apply-plan.ts";
import { applyPlanned } from "../../flux/apply-run.ts";
import { fluxManagement, managedRefusal } from "../../flux/guard.ts";
import { getFluxTarget, resolveFluxKind } from "../../flux/target.ts";
import { parseManifest } from "../../kube/manifest.ts";
import { where } from "../../format/names.ts";
import { DEFAULT_WAIT_MS, overwriteParam, waitBudget, waitParam } from "../../params/operations.ts";
import { describeOutcome, progressReporter, waitForOutcome } from "../../flux/reconcile-wait.ts";

/** Where the Flux Operator expects its FluxInstance. */
const INSTANCE_NAMESPACE = "flux-system";

const OPERATOR_MISSING =
  "the Flux Operator is not installed: there is no FluxInstance CustomResourceDefinition (fluxinstances.fluxcd.controlplane.io). Install the operator first, e.g. `helm install flux-operator oci://ghcr.io/controlplaneio-fluxcd/charts/flux-operator --namespace flux-system --create-namespace`, then call install_flux_instance again";

export const installFluxInstance = defineTool({
  name: "install_flux_instance",
  title: "Install a Flux instance",
  description:
    "Installs or updates Flux where the Flux Operator runs: applies a FluxInstance and waits until it is Ready.",
  area: "operations",
  input: {
    instance_yaml: manifestArgument().optional().describe("FluxInstance manifest (YAML)"),
    instance_url: z.string().min(1).max(MAX_URL).optional().describe("Not downloaded: pass instance_yaml"),
    overwrite: overwriteParam,
    wait: waitParam,
    timeout: durationArgument()
      .optional()
      .describe(`Wait limit (default ${DEFAULT_WAIT_MS / 1000}s)`),
  },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  writes: true,
  usesCluster: true,
  async handler(args, ctx) {
    if (args.instance_yaml === undefined) {
      return toolError(
        args.instance_url === undefined
          ? "give the FluxInstance manifest as instance_yaml"
          : `cannot download ${args.instance_url}: this server reaches only the Kubernetes API, not the network; fetch the FluxInstance manifest yourself and pass its content as instance_yaml`,
      );
    }
    const manifest = parseManifest(args.instance_yaml);
    if ("error" in manifest) return toolError(`cannot install the Flux instance: ${manifest.error}`);
    const [instance, ...others] = manifest.objects;
    if (!instance || others.length > 0 || !isFluxInstance(instance)) {
      return toolError(
        "instance_yaml must hold exactly one FluxInstance (apiVersion fluxcd.controlplane.io/v1); apply other objects with apply_kubernetes_manifest",
      );
    }
    const kube = await ctx.kube();
    const place = where(kube);
    let kind: Awaited<ReturnType<typeof resolveFluxKind>>;
    try {
      kind = await resolveFluxKind(kube, "FluxInstance", instance.apiVersion);
    } catch (error) {
      if (error instanceof KubeError && error.reason === "UnknownKind")
        return toolError(`${OPERATOR_MISSING} (${place})`);
      throw error;
    }
    if ("refusal" in kind) throw new Error(kind.refusal);
    const { resolved, fluxKind } = kind;
    const notes: string[] = [];
    if (instance.metadata.namespace && instance.metadata.namespace !== INSTANCE_NAMESPACE) {
      notes.push(
        `namespace ${instance.metadata.namespace} replaced by ${INSTANCE_NAMESPACE}, where the Flux Operator expects its FluxInstance`,
      );
    }
    instance.metadata.namespace = INSTANCE_NAMESPACE;
    const namespaceKind = await kube.resolveKind("Namespace", "v1");
    const namespace: KubeObject = {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: INSTANCE_NAMESPACE },
    };
    const missingNamespace = !(await readLive(kube, namespaceKind, namespace));
    const plan = await planApply(kube, missingNamespace ? [namespace, instance] : [instance]);
    if ("error" in plan) return toolError(`cannot install the Flux instance: ${plan.error}`);
    const manager = fluxManagement(plan.objects.at(-1)?.live);
    if (manager && !args.overwrite) {
      return toolError(
        managedRefusal(
          "change",
          [`FluxInstance ${INSTANCE_NAMESPACE}/${instance.metadata.name} (${manager})`],
          place,
        ),
      );
    }
    const report = await applyPlanned(ctx, kube, plan.objects, { dryRun: false });
    if (report.failure) {
      const applied = report.lines.length > 0 ? ["applied before it:", ...report.lines] : [];
      return toolError([`install stopped: ${report.failure}`, ...applied].join("\n"));
    }
    const lines = [...report.lines, ...notes];
    if (!args.wait) return { text: lines.join("\n") };
    const target = await getFluxTarget(
      kube,
      resolved,
      fluxKind,
      instance.metadata.name ?? "",
      INSTANCE_NAMESPACE,
    );
    const progress = progressReporter(ctx);
    progress(`${target.title}: applied, waiting for the Flux Operator`);
    const outcome = await waitForOutcome(
      kube,
      ctx,
      target,
      generationProgress,
      progress,
      waitBudget(args.timeout),
    );
    return { text: [...lines, ...describeOutcome(target, outcome, place)].join("\n") };
  },
});

function isFluxInstance(object: KubeObject): boolean {
  return object.kind === "FluxInstance" && groupOf(object.apiVersion) === "fluxcd.controlplane.io";
}
