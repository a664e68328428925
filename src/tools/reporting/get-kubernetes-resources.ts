// get_kubernetes_resources: any object of any kind, as compact YAML; Flux objects come with their
// recent events and what they manage, and `fields` projects objects down to a few values.
import { z } from "zod";
import {
  apiVersionArgument,
  kindArgument,
  MAX_CONTINUE_TOKEN,
  MAX_FIELD_EXPRESSION,
  MAX_FIELDS,
  MAX_LABEL,
  MAX_NAME,
  selectorArgument,
} from "../../params/bounds.ts";
import {
  KubeError,
  type Kube,
  type KubeObject,
  type ListResult,
  type ResolvedKind,
} from "../../kube/types.ts";
import { EventLists, fluxExtras, objectKey, withExtras } from "../../flux/extras.ts";
import { cleanObject, moreLine, yamlDocuments } from "../../format/objects.ts";
import { viewObject } from "../../format/object-view.ts";
import { invalidFieldExpression, ProjectionTable } from "../../format/projection.ts";
import { defineTool, toolError, type ToolResult } from "../tool.ts";
import { fieldSelectorValue } from "../../kube/request-parts.ts";
import { forEachInSlices } from "../../kube/time-slice.ts";

const DEFAULT_RESOURCE_LIMIT = 100;

export const getKubernetesResources = defineTool({
  name: "get_kubernetes_resources",
  title: "Get Kubernetes resources",
  area: "reporting",
  description:
    "Gets one object (with name) or lists objects of any kind as YAML; Flux objects include their latest events and managed objects. Use fields for small answers.",
  input: {
    apiVersion: apiVersionArgument()
      .optional()
      .describe("e.g. helm.toolkit.fluxcd.io/v2; omit for the kind's preferred version"),
    kind: kindArgument().describe("Kind as in YAML, e.g. HelmRelease, Pod"),
    name: z.string().max(MAX_NAME).optional().describe("Omit to list"),
    namespace: z.string().max(MAX_LABEL).optional().describe("Omit for all namespaces"),
    selector: selectorArgument().optional().describe("Label selector, e.g. app=web,tier!=cache"),
    fields: z
      .array(z.string().min(1).max(MAX_FIELD_EXPRESSION))
      .max(MAX_FIELDS)
      .optional()
      .describe(
        'JSONPath expressions, e.g. .status.conditions[?(@.type=="Ready")].message; answers a table, a row per object',
      ),
    limit: z
      .number()
      .int()
      .min(1)
      .max(10000)
      .default(DEFAULT_RESOURCE_LIMIT)
      .describe("Objects per page; with fields, thousands fit"),
    continue: z.string().max(MAX_CONTINUE_TOKEN).optional().describe("Token for the next page"),
  },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  writes: false,
  usesCluster: true,
  async handler(args, ctx) {
    const fields = args.fields ?? [];
    const invalid = invalidFieldExpression(fields);
    if (invalid) return toolError(invalid);
    const kube = await ctx.kube();
    const kind = await kube.resolveKind(args.kind, args.apiVersion);
    const namespace = kind.namespaced ? args.namespace : undefined;
    const request = { kube, kind, namespace, name: args.name, selector: args.selector };

    if (fields.length > 0) {
      // Projected objects are read, not shown: noise left out, nothing else copied.
      const table = new ProjectionTable(kind, fields);
      const project = (items: KubeObject[]) => table.add(items.map((item) => cleanObject(item)));
      const found = await find(request, args, project, roomLeft(table, ctx.responseLimit));
      return "answer" in found ? found.answer : answer([], table.toString(), found.more);
    }

    const budget = ctx.responseLimit * ROWS_SHARE;
    const page = await yamlPage(request, args, budget);
    if (!("documents" in page)) return page.answer;
    if (page.objects <= 1 || page.characters <= budget) {
      return answer(page.notes, page.documents.join(DOCUMENT_SEPARATOR), page.more);
    }
    // Too long for one answer: the page cut to the objects that fit. Only the list is asked for
    // again, that many objects long and their metadata only, for a continue token that points just
    // past them; the documents already made are kept. A first call is never refused for its size.
    let fitting = 0;
    for (let total = 0; fitting < page.documents.length; fitting++) {
      total += (page.documents[fitting] as string).length + DOCUMENT_SEPARATOR.length;
      if (total > budget) break;
    }
    fitting = Math.max(1, fitting);
    const cut = await find(request, { ...args, limit: fitting }, () => undefined, undefined, {
      metadataOnly: true,
    });
    const more = "more" in cut ? cut.more : "";
    return answer(page.notes, page.documents.slice(0, fitting).join(DOCUMENT_SEPARATOR), more);
  },
});

const DOCUMENT_SEPARATOR = "---\n";

/**
 * One page as YAML documents (Flux objects with their extras), or the answer when it holds none.
 * Documents are made until they pass `budget` characters: those after would be cut from the answer.
 */
async function yamlPage(
  request: Request,
  args: Parameters<typeof find>[1],
  budget: number,
): Promise<
  | { answer: ToolResult }
  | { documents: string[]; objects: number; characters: number; notes: string[]; more: string }
> {
  const { kube, kind } = request;
  // apiVersion and kind go first, where YAML readers expect them.
  const typedFirst = (item: KubeObject) =>
    Object.assign({ apiVersion: kind.apiVersion, kind: kind.kind }, item);
  const objects: KubeObject[] = [];
  const found = await find(request, args, (items) =>
    objects.push(...items.map((item) => viewObject(typedFirst(item)))),
  );
  if ("answer" in found) return found;
  const now = Date.now();
  const documents: string[] = [];
  const notes = new Set<string>();
  let characters = 0;
  const eventLists = new EventLists();
  // Extras (events, a HelmRelease's Helm storage) are read for the objects the answer has room
  // for, not for every object of the page: first a few, then as many as the documents so far say
  // still fit, with some to spare.
  for (let next = 0; next < objects.length && characters <= budget;) {
    const room =
      documents.length === 0
        ? FIRST_EXTRAS
        : Math.ceil(((budget - characters) / (characters / documents.length)) * EXTRAS_SPARE) + 1;
    const chunk = objects.slice(next, next + room);
    next += chunk.length;
    const { extras, notes: chunkNotes } = await fluxExtras(kube, kind, chunk, now, eventLists);
    for (const note of chunkNotes) notes.add(note);
    await forEachInSlices(chunk, (object) => {
      if (characters > budget) return;
      const document = yamlDocuments([withExtras(object, extras.get(objectKey(object)))]);
      documents.push(document);
      characters += document.length + DOCUMENT_SEPARATOR.length;
    });
  }
  // As long as the documents joined: no separator after the last.
  characters -= documents.length > 0 ? DOCUMENT_SEPARATOR.length : 0;
  return { documents, objects: objects.length, characters, notes: [...notes], more: found.more };
}

/** Objects whose extras are read first, before the documents say how many fit. */
const FIRST_EXTRAS = 20;
/** Extras are read for this many times the objects the documents so far say still fit. */
const EXTRAS_SPARE = 1.2;

/** The API is asked for at most this many objects at a time, however many the answer lists. */
const API_PAGE_SIZE = 500;

/** Of --response-limit, what rows may fill; the rest is for the header, the last line and misjudged rows. */
const ROWS_SHARE = 0.9;

/** How many more objects an answer has room for. */
type Room = () => number;

/**
 * How many more rows the table has room for within the response limit, judged by the rows so far:
 * a long list then ends where the limit would, with its continue token, instead of being refused.
 */
function roomLeft(table: ProjectionTable, responseLimit: number): Room {
  return () => {
    if (table.rowCount === 0 || !Number.isFinite(responseLimit)) return Infinity;
    const perRow = table.rowCharacters / table.rowCount;
    return Math.max(0, Math.floor((responseLimit * ROWS_SHARE - table.rowCharacters) / perRow));
  };
}

interface Request {
  kube: Kube;
  kind: ResolvedKind;
  namespace: string | undefined;
  name: string | undefined;
  selector: string | undefined;
}

type Found = { more: string } | { answer: ToolResult };

/** The object named, or the pages of the list, handed to `use` as they arrive. */
async function find(
  request: Request,
  args: {
    name?: string | undefined;
    selector?: string | undefined;
    limit: number;
    continue?: string | undefined;
  },
  use: (items: KubeObject[]) => void,
  room: Room = () => Infinity,
  { metadataOnly = false } = {},
): Promise<Found> {
  const { kind, namespace } = request;
  if (args.name && !args.selector && (namespace || !kind.namespaced)) {
    return getOne(request, args.name, use);
  }
  return listWithinRoom(
    request,
    { limit: args.limit, continueToken: args.continue, room, metadataOnly },
    use,
  );
}

async function getOne(
  { kube, kind, namespace }: Request,
  name: string,
  use: (items: KubeObject[]) => void,
): Promise<Found> {
  try {
    use([await kube.get(kind, name, namespace)]);
    return { more: "" };
  } catch (error) {
    if (error instanceof KubeError && error.reason === "NotFound") {
      const where = namespace ? `${namespace}/${name}` : name;
      return { answer: toolError(`${kind.kind} ${where} not found in context ${kube.context}`) };
    }
    throw error;
  }
}

/**
 * Up to `limit` objects, and no more than `room` says the answer has room for, fetched
 * API_PAGE_SIZE at a time: only one page of whole objects is held at once.
 */
async function listWithinRoom(
  request: Request,
  paging: { limit: number; continueToken: string | undefined; room: Room; metadataOnly: boolean },
  use: (items: KubeObject[]) => void,
): Promise<Found> {
  const { kube, kind, namespace, name, selector } = request;
  const { limit, room } = paging;
  let count = 0;
  let token = paging.continueToken;
  for (;;) {
    const size = Math.min(limit - count, API_PAGE_SIZE, room());
    const page: ListResult = await kube.list(kind, {
      ...(namespace && { namespace }),
      ...(selector && { labelSelector: selector }),
      ...(name && { fieldSelector: `metadata.name=${fieldSelectorValue(name)}` }),
      limit: size,
      ...(token && { continue: token }),
      ...(paging.metadataOnly && { metadataOnly: true }),
    });
    count += page.items.length;
    use(page.items);
    if (!page.continue || count >= limit || room() < minimumFollowUp(count)) {
      if (count > 0) return { more: moreLine(count, page.remainingItemCount, page.continue) };
      break;
    }
    token = page.continue;
  }
  if (name) {
    const where = namespace ? `${namespace}/${name}` : kind.namespaced ? `${name} in any namespace` : name;
    const matching = selector ? ` matching selector ${selector}` : "";
    return { answer: toolError(`${kind.kind} ${where}${matching} not found in context ${kube.context}`) };
  }
  return { answer: { text: emptyAnswer(request) } };
}

/**
 * The fewest rows worth another request once `count` are in: a round trip (and on a large
 * collection, the API server's seek past the continue token) for a sliver of the answer costs more
 * than it brings; the continue token then points just past the rows shown, so nothing is lost.
 */
function minimumFollowUp(count: number): number {
  return Math.max(1, Math.ceil(count * MINIMUM_FOLLOW_UP_SHARE));
}

/** A follow-up request is sent for at least this share of the rows already in the answer. */
const MINIMUM_FOLLOW_UP_SHARE = 0.02;

/** "No HelmRelease objects found in namespace apps of context staging" — not an error. */
function emptyAnswer({ kube, kind, namespace, selector }: Request): string {
  const matching = selector ? ` matching selector ${selector}` : "";
  const where = namespace ? `in namespace ${namespace} of` : kind.namespaced ? "in any namespace of" : "in";
  return `No ${kind.kind} objects${matching} found ${where} context ${kube.context}`;
}

function answer(notes: string[], body: string, more: string): ToolResult {
  const head = notes.map((note) => `# ${note}\n`).join("");
  return { text: head + body + (more ? `${more}\n` : "") };
}
