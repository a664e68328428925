// compare_flux_resources: one Flux object, or a namespace's Flux objects of a kind, side by side in
// two kubeconfig contexts: what differs first, what agrees in one line.
import { z } from "zod";
import { compareFacts, flatValues, fluxFacts } from "../../flux/comparison.ts";
import { FLUX_KINDS } from "../../flux/kinds.ts";
import { KubeError, type Kube, type KubeObject } from "../../kube/types.ts";
import { yamlDocuments } from "../../format/objects.ts";
import { defineTool, toolError } from "../tool.ts";

/** Objects compared in one answer; a namespace holding more gets the first ones and a count. */
const MAX_OBJECTS = 30;

export const compareFluxResources = defineTool({
  name: "compare_flux_resources",
  title: "Compare Flux objects between two clusters",
  area: "analysis",
  description:
    "Compares a Flux object, or a kind's objects in a namespace, between two kubeconfig contexts: state, source, revision, chart version, values; differences first.",
  input: {
    kind: z.string().min(1).max(63).describe("Flux kind, e.g. HelmRelease"),
    name: z.string().min(1).max(253).optional().describe("Omit for all of the kind"),
    namespace: z.string().min(1).max(63).describe("Same in both contexts"),
    left_context: z.string().min(1).max(253).describe("First context"),
    right_context: z.string().min(1).max(253).describe("Second context"),
  },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  writes: false,
  usesCluster: true,
  async handler(args, ctx) {
    if (args.left_context === args.right_context)
      return toolError("left_context and right_context are the same context");
    const known = (await ctx.contexts()).map((context) => context.name);
    for (const name of [args.left_context, args.right_context]) {
      if (!known.includes(name))
        return toolError(
          `context "${name}" not found in the kubeconfig; known contexts: ${known.join(", ")}`,
        );
    }
    const [left, right] = await Promise.all([
      readSide(await ctx.kube(args.left_context), args.kind, args.name, args.namespace),
      readSide(await ctx.kube(args.right_context), args.kind, args.name, args.namespace),
    ]);
    const kindName = left.kind ?? right.kind ?? args.kind;
    const names = [...new Set([...left.objects.keys(), ...right.objects.keys()])].sort();
    if (names.length === 0) {
      const what = args.name
        ? `${kindName} ${args.namespace}/${args.name}`
        : `no ${kindName} in namespace ${args.namespace}`;
      return toolError(
        `${args.name ? `${what} is in neither context` : what} (${args.left_context}, ${args.right_context})`,
      );
    }
    const [L, R] = [args.left_context, args.right_context];
    const compared = names.slice(0, MAX_OBJECTS).map((name) => {
      const a = left.objects.get(name);
      const b = right.objects.get(name);
      const object = `${kindName} ${args.namespace}/${name}`;
      if (!a || !b) return { object, onlyIn: a ? L : R };
      const facts = compareFacts(fluxFacts(a), fluxFacts(b));
      const values = compareFacts(flatValues(a), flatValues(b));
      const side = (entries: typeof facts.differences) =>
        Object.fromEntries(entries.map((entry) => [entry.field, { [L]: entry.left, [R]: entry.right }]));
      return {
        object,
        ...(facts.differences.length + values.differences.length === 0 && {
          verdict: "the same in both contexts",
        }),
        ...(facts.differences.length > 0 && { differences: side(facts.differences) }),
        ...(values.differences.length > 0 && { valuesDifferences: side(values.differences) }),
        same: [...facts.same, ...(values.same.length > 0 ? [`${values.same.length} values paths`] : [])].join(
          "; ",
        ),
      };
    });
    const more =
      names.length > MAX_OBJECTS ? [`${names.length - MAX_OBJECTS} more objects not compared: name one`] : [];
    return {
      text: yamlDocuments([
        { compared: `${L} vs ${R}`, objects: compared, ...(more.length > 0 && { notes: more }) },
      ]),
    };
  },
});

/** The objects of one side by name; a kind the context does not serve reads as no objects. */
async function readSide(
  kube: Kube,
  kindName: string,
  name: string | undefined,
  namespace: string,
): Promise<{ kind?: string; objects: Map<string, KubeObject> }> {
  const group = FLUX_KINDS.find((entry) => entry.kind.toLowerCase() === kindName.toLowerCase())?.group;
  try {
    const kind = await kube.resolveKind(kindName, group);
    const typed = (item: KubeObject) => ({ ...item, kind: kind.kind, apiVersion: kind.apiVersion });
    if (name) {
      const object = typed(await kube.get(kind, name, namespace));
      return { kind: kind.kind, objects: new Map([[name, object]]) };
    }
    const items = (await kube.list(kind, { namespace })).items.map(typed);
    return { kind: kind.kind, objects: new Map(items.map((item) => [item.metadata.name ?? "", item])) };
  } catch (error) {
    if (error instanceof KubeError && (error.reason === "NotFound" || error.reason === "UnknownKind"))
      return { objects: new Map() };
    throw error;
  }
}
