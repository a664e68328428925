import { defineTool, toolError } from "../tool.ts";
import { planApply } from "../../flux/apply-plan.ts";
import { applyPlanned } from "../../flux/apply-run.ts";
import { fluxManagement, managedRefusal } from "../../flux/guard.ts";
import { parseManifest } from "../../kube/manifest.ts";
import { where } from "../../format/names.ts";
import { dryRunParam, overwriteParam, yamlContentParam } from "../../params/operations.ts";

export const applyKubernetesManifest = defineTool({
  name: "apply_kubernetes_manifest",
  title: "Apply Kubernetes manifest",
  description:
    "Creates or updates objects from YAML with server-side apply; one line per object. Refuses objects Flux manages unless overwrite.",
  area: "operations",
  input: { yaml_content: yamlContentParam, overwrite: overwriteParam, dry_run: dryRunParam },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  writes: true,
  usesCluster: true,
  async handler(args, ctx) {
    const manifest = parseManifest(args.yaml_content);
    if ("error" in manifest) return toolError(`cannot apply the manifest: ${manifest.error}`);
    const kube = await ctx.kube();
    const plan = await planApply(kube, manifest.objects);
    if ("error" in plan) return toolError(`cannot apply the manifest: ${plan.error}`);
    if (!args.overwrite) {
      const managed = plan.objects.flatMap((entry) => {
        const manager = fluxManagement(entry.live);
        return manager ? [`${entry.path} (${manager})`] : [];
      });
      if (managed.length > 0) return toolError(managedRefusal("apply", managed, where(kube)));
    }
    const report = await applyPlanned(ctx, kube, plan.objects, { dryRun: args.dry_run });
    const heading = args.dry_run ? [`Server-side dry run ${where(kube)}, nothing was changed:`] : [];
    if (report.failure) {
      const applied = report.lines.length > 0 ? ["applied before it:", ...report.lines] : [];
      return toolError([`apply stopped: ${report.failure}`, ...applied].join("\n"));
    }
    return { text: [...heading, ...report.lines].join("\n") };
  },
});
