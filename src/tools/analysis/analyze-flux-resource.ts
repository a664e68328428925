// analyze_flux_resource: the causal chain behind a Flux object's state, or behind everything failing
// in a context, in one call: each link's state and evidence, ranked into causes and consequences.
import { z } from "zod";
import { ChainReader, linkId, type ChainLink, type ObjectKey } from "../../flux/causal-chain.ts";
import { FLUX_KINDS } from "../../flux/kinds.ts";
import { renderChainAnswer } from "../../flux/causal-chain-text.ts";
import { KubeError, type Kube } from "../../kube/types.ts";
import { byTime, compactEvent, eventLine, ROUTINE_FLUX_REASON } from "../../format/events.ts";
import { where } from "../../format/names.ts";
import { defineTool, toolError } from "../tool.ts";

/** The most an answer holds, in tokens: a full chain with logs fits, a fleet's failures fit ranked. */
export const CHAIN_BUDGET_TOKENS = 3000;
/** Links whose events are read: the causes and consequences a model reads about first. */
const EVENT_LINKS = 10;
const EVENTS_READ = 20;

export const analyzeFluxResource = defineTool({
  name: "analyze_flux_resource",
  title: "Analyze a Flux object's causal chain",
  area: "analysis",
  description:
    "Finds why a Flux object is not ready, in one call: follows conditions, events, dependsOn, source, workloads (crash logs) and Helm history to the cause. Without name: everything failing.",
  input: {
    kind: z.string().min(1).max(63).optional().describe("e.g. Kustomization, HelmRelease"),
    name: z.string().min(1).max(253).optional().describe("Omit for everything failing"),
    namespace: z.string().min(1).max(63).optional().describe("Omit to search all"),
  },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  writes: false,
  usesCluster: true,
  async handler(args, ctx) {
    if (args.name !== undefined && args.kind === undefined) {
      return toolError("kind is required with name, e.g. kind Kustomization");
    }
    if (args.name === undefined && args.kind !== undefined) {
      return toolError(`name is required with kind; omit both to analyze everything failing`);
    }
    const kube = await ctx.kube();
    const now = Date.now();
    const reader = new ChainReader(kube, now);
    let roots: ChainLink[];
    let analyzed: string;
    if (args.kind !== undefined && args.name !== undefined) {
      const key = await findObject(kube, args.kind, args.name, args.namespace);
      if (typeof key === "string") return toolError(key);
      const root = await reader.follow(key);
      if (root.unreadable) return toolError(`${root.id} ${root.unreadable} ${where(kube)}`);
      roots = [root];
      analyzed = root.id;
    } else {
      ctx.progress("listing Flux objects and pods", 0);
      const failing = await reader.failing();
      roots = [];
      for (const [index, key] of failing.entries()) {
        ctx.progress(`following ${linkId(key)}`, index + 1, failing.length + 1);
        roots.push(await reader.follow(key));
      }
      analyzed = `everything failing (${failing.length} failing Flux objects and workloads found)`;
    }
    const chain = reader.rank(roots, args.name === undefined ? "byImpact" : "behindRoots");
    const notes: string[] = [];
    const events = await eventsOf(
      kube,
      [...chain.causes, ...chain.consequences.map((entry) => entry.link)].slice(0, EVENT_LINKS),
      now,
    ).catch((error: unknown) => {
      if (!(error instanceof KubeError) || error.reason === "Cancelled" || error.reason === "Timeout")
        throw error;
      notes.push(`events not shown: ${error.message}`);
      return new Map<string, string[]>();
    });
    return {
      text: renderChainAnswer({
        context: kube.context,
        analyzed,
        chain,
        events,
        notes,
        now,
        maxTokens: Math.min(CHAIN_BUDGET_TOKENS, Math.floor(ctx.responseLimit / 4)),
      }),
    };
  },
});

/** The object's key, from its kind (resolved through discovery) and name; or a one-line error. */
async function findObject(
  kube: Kube,
  kindName: string,
  name: string,
  namespace: string | undefined,
): Promise<ObjectKey | string> {
  const group = FLUX_KINDS.find((entry) => entry.kind.toLowerCase() === kindName.toLowerCase())?.group;
  const kind = await kube.resolveKind(kindName, group);
  if (namespace || !kind.namespaced) return { kind: kind.kind, name, ...(namespace && { namespace }) };
  const matches = await kube.list(kind, { fieldSelector: `metadata.name=${name}`, limit: 20 });
  const namespaces = matches.items.map((item) => item.metadata.namespace ?? "");
  const [only, ...others] = namespaces;
  if (only === undefined) return `${kind.kind} ${name} not found in any namespace ${where(kube)}`;
  if (others.length > 0)
    return `${kind.kind} ${name} exists in several namespaces (${namespaces.join(", ")}): give namespace`;
  return { kind: kind.kind, name, namespace: only };
}

/** Event lines per link (a workload's include its troubled pods'), oldest first, routine ones left out. */
async function eventsOf(
  kube: Kube,
  links: readonly ChainLink[],
  now: number,
): Promise<Map<string, string[]>> {
  const eventKind = await kube.resolveKind("Event", "v1");
  const result = new Map<string, string[]>();
  await Promise.all(
    links.map(async (link) => {
      const object = link.object;
      if (!object) return;
      const subjects = [
        { kind: object.kind, name: object.metadata.name ?? "" },
        ...(link.health?.troubled ?? []).map((pod) => ({ kind: "Pod", name: pod.pod })),
      ];
      const lists = await Promise.all(
        subjects.map((subject) =>
          kube.list(eventKind, {
            ...(object.metadata.namespace && { namespace: object.metadata.namespace }),
            fieldSelector: `involvedObject.kind=${subject.kind},involvedObject.name=${subject.name},reason!=${ROUTINE_FLUX_REASON}`,
            limit: EVENTS_READ,
          }),
        ),
      );
      const events = byTime(lists.flatMap((list) => list.items.map(compactEvent)));
      const lines = events.map((event) => eventLine(event, now, { withObject: subjects.length > 1 }));
      if (lines.length > 0) result.set(link.id, lines);
    }),
  );
  return result;
}
