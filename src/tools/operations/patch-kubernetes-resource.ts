import { parse } from "yaml";
import { z } from "zod";
import { manifestArgument } from "../../params/bounds.ts";
import type { PatchType } from "../../kube/types.ts";
import { defineTool, toolError } from "../tool.ts";
import { PATCH_FIELD_MANAGER } from "../../kube/field-managers.ts";
import { fluxManagement, managedRefusal } from "../../flux/guard.ts";
import { objectTitle, where } from "../../format/names.ts";
import { objectDiff } from "../../format/object-diff.ts";
import {
  apiVersionParam,
  dryRunParam,
  kindParam,
  nameParam,
  optionalNamespaceParam,
  overwriteParam,
} from "../../params/operations.ts";

export const patchKubernetesResource = defineTool({
  name: "patch_kubernetes_resource",
  title: "Patch a Kubernetes object",
  description:
    "Patches one object, e.g. to remove a stuck finalizer or scale; returns a diff. Refuses objects Flux manages unless overwrite.",
  area: "operations",
  input: {
    apiVersion: apiVersionParam,
    kind: kindParam,
    name: nameParam,
    namespace: optionalNamespaceParam,
    patch: manifestArgument().describe(
      'YAML or JSON; for json a list, e.g. [{"op":"remove","path":"/metadata/finalizers"}]',
    ),
    type: z.enum(["merge", "json", "strategic"]).default("merge").describe("RFC 7386, RFC 6902 or strategic"),
    subresource: z.enum(["status"]).optional().describe("Patch status instead"),
    dry_run: dryRunParam,
    overwrite: overwriteParam,
  },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  writes: true,
  usesCluster: true,
  async handler(args, ctx) {
    const patch = readPatch(args.patch, args.type);
    if ("error" in patch) return toolError(`invalid patch for ${args.kind} ${args.name}: ${patch.error}`);
    const kube = await ctx.kube();
    const place = where(kube);
    const resolved = await kube.resolveKind(args.kind, args.apiVersion);
    const namespace = resolved.namespaced ? args.namespace : undefined;
    const title = objectTitle(resolved.kind, args.name, namespace);
    if (resolved.namespaced && !namespace) {
      return toolError(`${resolved.kind} is namespaced: give the namespace of ${resolved.kind} ${args.name}`);
    }
    const live = await kube.get(resolved, args.name, namespace);
    const manager = fluxManagement(live);
    if (manager && !args.overwrite)
      return toolError(managedRefusal("patch", [`${title} (${manager})`], place));
    const after = await kube.patch(resolved, args.name, namespace, patch.value, args.type, {
      fieldManager: PATCH_FIELD_MANAGER,
      ...(args.subresource && { subresource: args.subresource }),
      ...(args.dry_run && { dryRun: true }),
    });
    const changes = objectDiff(live, after, {
      maskSecrets: ctx.maskSecrets,
      keepStatus: args.subresource === "status",
    });
    const how = `${args.type} patch${args.subresource ? ` of the ${args.subresource} subresource` : ""}`;
    const verdict = args.dry_run ? "dry run, nothing was changed" : "patched";
    const heading = `${title} ${place}: ${verdict} (${how})`;
    return { text: [heading, ...(changes.length > 0 ? changes : ["no change"])].join("\n") };
  },
});

function readPatch(text: string, type: PatchType): { value: unknown } | { error: string } {
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    return { error: (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "" };
  }
  if (type === "json") {
    const operations = Array.isArray(value) ? value : undefined;
    if (
      !operations?.every(
        (operation: { op?: unknown; path?: unknown } | undefined) =>
          typeof operation?.op === "string" && typeof operation?.path === "string",
      )
    ) {
      return {
        error: 'a json patch is a list of operations, e.g. [{"op":"remove","path":"/metadata/finalizers"}]',
      };
    }
    return { value: operations };
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    return { error: `a ${type} patch is a mapping, e.g. {"spec":{"replicas":2}}` };
  }
  return { value };
}
