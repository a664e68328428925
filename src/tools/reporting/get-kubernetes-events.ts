// get_kubernetes_events: a timeline of core Events, one line each, newest last, filtered by object,
// type, age and a pattern.
import { z } from "zod";
import { apiVersionArgument, durationArgument, MAX_KIND, MAX_LABEL, MAX_NAME } from "../../params/bounds.ts";
import { groupOf } from "../../flux/kinds.ts";
import type { Kube, ListOptions, ResolvedKind } from "../../kube/types.ts";
import { parseDuration } from "../../params/duration.ts";
import { byTime, compactEvent, eventLine, formatRef, type CompactEvent } from "../../format/events.ts";
import { compileGrep } from "../../params/grep-pattern.ts";
import { defineTool, toolError } from "../tool.ts";
import { fieldSelectorValue } from "../../kube/request-parts.ts";

const DEFAULT_EVENT_LIMIT = 100;
/** Events are read in pages of this size, so a busy cluster's events never arrive in one response. */
const PAGE_SIZE = 500;

export const getKubernetesEvents = defineTool({
  name: "get_kubernetes_events",
  title: "Get Kubernetes events",
  area: "reporting",
  description:
    "Recent events, one line each, newest last. Use it for what happened lately to an object or namespace: failed reconciliations, health checks, crash loops.",
  input: {
    apiVersion: apiVersionArgument().optional().describe("Of the object; needs kind"),
    kind: z.string().max(MAX_KIND).optional().describe("Kind of the object, e.g. HelmRelease"),
    name: z.string().max(MAX_NAME).optional().describe("Name of the object"),
    namespace: z.string().max(MAX_LABEL).optional().describe("Omit for all namespaces"),
    type: z.enum(["Normal", "Warning"]).optional().describe("Only this type"),
    since: durationArgument().optional().describe("Newer than, e.g. 30m"),
    grep: z.string().optional().describe("Case-insensitive regex on reason, message, object"),
    limit: z.number().int().min(1).max(1000).default(DEFAULT_EVENT_LIMIT).describe("Newest events shown"),
  },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  writes: false,
  usesCluster: true,
  async handler(args, ctx) {
    if (args.apiVersion && !args.kind) return toolError("apiVersion narrows a kind: give kind as well");
    const sinceMs = args.since === undefined ? undefined : parseDuration(args.since);
    const compiled = args.grep === undefined ? undefined : compileGrep(args.grep);
    if (compiled && "error" in compiled) return toolError(compiled.error);
    const pattern = compiled;

    const kube = await ctx.kube();
    const about = args.kind ? await kube.resolveKind(args.kind, args.apiVersion) : undefined;
    const now = Date.now();
    const fieldSelector = [
      about && `involvedObject.kind=${about.kind}`,
      args.name && `involvedObject.name=${fieldSelectorValue(args.name)}`,
      args.type && `type=${args.type}`,
    ]
      .filter(Boolean)
      .join(",");
    const events = (await listEvents(kube, { namespace: args.namespace, fieldSelector })).filter(
      (event) =>
        sameGroup(event, about) &&
        (sinceMs === undefined || event.time >= now - sinceMs) &&
        (!pattern || pattern.test(`${event.reason}\n${event.message}\n${formatRef(event.object)}`)),
    );

    const filters = describeFilters(args);
    const context = ` context ${kube.context}`;
    const scope = args.namespace ? ` in namespace ${args.namespace} of${context}` : ` in${context}`;
    if (events.length === 0) {
      const object =
        args.kind || args.name ? ` for ${args.kind ?? "objects"}${args.name ? ` ${args.name}` : ""}` : "";
      return {
        text: `No events found${object}${scope}${filters} (Kubernetes keeps events for about an hour)`,
      };
    }

    const timeline = byTime(mergeRepeats(events));
    const shown = timeline.slice(-args.limit);
    const objects = new Set(shown.map((event) => formatRef(event.object)));
    // Every line about the same object: it is named once, here, instead of on each line.
    const single = objects.size === 1 ? [...objects][0] : undefined;
    const subject = single ?? (args.namespace ? `namespace ${args.namespace}` : undefined);
    const warnings = timeline.filter((event) => event.type === "Warning").length;
    const omitted = timeline.length - shown.length;
    const header = [
      // What the events are about first: "# Kustomization/flux-system/apps in staging: 2 events (1 Warning)".
      subject ? `# ${subject} in ${kube.context}: ` : `# context ${kube.context}: `,
      `${timeline.length} ${timeline.length === 1 ? "event" : "events"}`,
      // The lines say each one's type and the order shows on its own: worth words only for a mix.
      warnings > 0 && warnings < timeline.length ? ` (${warnings} Warning)` : "",
      filters,
      shown.length > 1 ? ", newest last" : "",
      omitted > 0 ? `; ${omitted} older not shown: narrow with since, type or grep, or raise limit` : "",
    ].join("");
    const lines = shown.map((event) => eventLine(event, now, { withObject: single === undefined }));
    return { text: [header, ...lines].join("\n") + "\n" };
  },
});

async function listEvents(
  kube: Kube,
  options: { namespace: string | undefined; fieldSelector: string },
): Promise<CompactEvent[]> {
  const eventKind = await kube.resolveKind("Event", "v1");
  const query: ListOptions = {
    ...(options.namespace && { namespace: options.namespace }),
    ...(options.fieldSelector && { fieldSelector: options.fieldSelector }),
    limit: PAGE_SIZE,
  };
  const events: CompactEvent[] = [];
  let continueToken: string | undefined;
  do {
    const page = await kube.list(eventKind, { ...query, ...(continueToken && { continue: continueToken }) });
    events.push(...page.items.map(compactEvent));
    continueToken = page.continue;
  } while (continueToken);
  return events;
}

/** A kind name can exist in several groups (Kustomization): keep the events of the one asked for. */
function sameGroup(event: CompactEvent, about: ResolvedKind | undefined): boolean {
  return !about || !event.object.apiVersion || groupOf(event.object.apiVersion) === about.group;
}

/** The same thing happening again is one line with a count, at the time it last happened. */
function mergeRepeats(events: CompactEvent[]): CompactEvent[] {
  const merged = new Map<string, CompactEvent>();
  for (const event of events) {
    const key = [formatRef(event.object), event.type, event.reason, event.message].join("\n");
    const seen = merged.get(key);
    if (!seen) merged.set(key, { ...event });
    else {
      seen.count += event.count;
      if (!(seen.time >= event.time)) seen.time = event.time;
    }
  }
  return [...merged.values()];
}

function describeFilters(args: { type?: string; since?: string; grep?: string }): string {
  const filters = [
    args.type && `type ${args.type}`,
    args.since && `since ${args.since}`,
    args.grep && `grep ${JSON.stringify(args.grep)}`,
  ].filter(Boolean);
  return filters.length > 0 ? ` with ${filters.join(", ")}` : "";
}
