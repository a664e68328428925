import { defineTool, toolError } from "../tool.ts";
import { deletionEffects } from "../../flux/deletion-effects.ts";
import { fluxManagement, managedRefusal } from "../../flux/guard.ts";
import { objectTitle, where } from "../../format/names.ts";
import {
  apiVersionParam,
  dryRunParam,
  kindParam,
  nameParam,
  optionalNamespaceParam,
  overwriteParam,
} from "../../params/operations.ts";

export const deleteKubernetesResource = defineTool({
  name: "delete_kubernetes_resource",
  title: "Delete a Kubernetes object",
  description:
    "Deletes one object and says what follows: who re-creates it, what goes with it. Refuses objects Flux manages unless overwrite.",
  area: "operations",
  input: {
    apiVersion: apiVersionParam,
    kind: kindParam,
    name: nameParam,
    namespace: optionalNamespaceParam,
    dry_run: dryRunParam,
    overwrite: overwriteParam,
  },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  writes: true,
  usesCluster: true,
  async handler(args, ctx) {
    const kube = await ctx.kube();
    const place = where(kube);
    const resolved = await kube.resolveKind(args.kind, args.apiVersion);
    const namespace = resolved.namespaced ? args.namespace : undefined;
    if (resolved.namespaced && !namespace) {
      return toolError(`${resolved.kind} is namespaced: give the namespace of ${resolved.kind} ${args.name}`);
    }
    const title = objectTitle(resolved.kind, args.name, namespace);
    const live = await kube.get(resolved, args.name, namespace);
    const manager = fluxManagement(live);
    if (manager && !args.overwrite)
      return toolError(managedRefusal("delete", [`${title} (${manager})`], place));
    const effects = await deletionEffects(kube, resolved, live);
    const remaining = await kube.delete(resolved, args.name, namespace, {
      propagationPolicy: "Background",
      ...(args.dry_run && { dryRun: true }),
    });
    const verdict = args.dry_run
      ? "would be deleted (dry run, nothing was deleted)"
      : remaining?.metadata.deletionTimestamp
        ? "marked for deletion"
        : "deleted";
    return { text: [`${title} ${place}: ${verdict}`, ...effects].join("\n") };
  },
});
