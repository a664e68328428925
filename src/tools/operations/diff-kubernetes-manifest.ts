import { KubeError, type KubeObject } from "../../kube/types.ts";
import { defineTool, toolError } from "../tool.ts";
import { planApply, type PlannedObject } from "../../flux/apply-plan.ts";
import { APPLY_FIELD_MANAGER } from "../../kube/field-managers.ts";
import { fluxManagement } from "../../flux/guard.ts";
import { parseManifest } from "../../kube/manifest.ts";
import { where } from "../../format/names.ts";
import { objectDiff } from "../../format/object-diff.ts";
import { yamlContentParam } from "../../params/operations.ts";

export const diffKubernetesManifest = defineTool({
  name: "diff_kubernetes_manifest",
  title: "Diff Kubernetes manifest against the cluster",
  description:
    "Shows what applying YAML would change, as a diff against the live objects, changing nothing. Use it before apply_kubernetes_manifest.",
  area: "operations",
  input: { yaml_content: yamlContentParam },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  writes: false,
  usesCluster: true,
  async handler(args, ctx) {
    const manifest = parseManifest(args.yaml_content);
    if ("error" in manifest) return toolError(`cannot diff the manifest: ${manifest.error}`);
    const kube = await ctx.kube();
    const plan = await planApply(kube, manifest.objects);
    if ("error" in plan) return toolError(`cannot diff the manifest: ${plan.error}`);
    const sections: string[] = [];
    for (const entry of plan.objects) {
      const unvalidated = !entry.resolved || entry.inNewNamespace;
      try {
        const after =
          entry.resolved && !unvalidated
            ? await kube.apply(entry.resolved, entry.object, {
                fieldManager: APPLY_FIELD_MANAGER,
                force: true,
                dryRun: true,
              })
            : entry.object;
        sections.push(describeChange(entry, after, unvalidated, ctx.maskSecrets));
      } catch (error) {
        if (!(error instanceof KubeError)) throw error;
        sections.push(`${entry.path}: apply would fail: ${error.message}`);
      }
    }
    return {
      text: [`Diff ${where(kube)} (server-side dry run, nothing was changed):`, ...sections].join("\n"),
    };
  },
});

function describeChange(
  entry: PlannedObject,
  after: KubeObject,
  unvalidated: boolean,
  maskSecrets: boolean,
): string {
  const manager = fluxManagement(entry.live);
  const managed = manager ? [`# managed by ${manager}: applying it needs overwrite: true`] : [];
  const lines = objectDiff(entry.live, after, { maskSecrets });
  if (lines.length === 0) return [`${entry.path} unchanged`, ...managed].join("\n");
  const note = unvalidated ? " (not validated: its CRD or namespace is new in this manifest)" : "";
  const headers = entry.live
    ? [`--- ${entry.path} (live)`, `+++ ${entry.path} (after apply)`]
    : ["--- /dev/null", `+++ ${entry.path} (new)${note}`];
  return [...headers, ...managed, ...lines].join("\n");
}
