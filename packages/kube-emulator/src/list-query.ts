// List options: label and field selectors, and `limit` + `continue` paging.
import { ApiError, badRequest } from "./api-error.ts";
import type { ResourceType } from "./resources/resource-type.ts";
import { parseFieldSelector, parseLabelSelector, SelectorError, type ObjectPredicate } from "./selectors.ts";
import type { KubeObject } from "./types.ts";

export interface ListQuery {
  matches: ObjectPredicate;
  /** False when no selector was given: every object matches. */
  selective: boolean;
  limit?: number;
  continueAfter?: string;
}

/**
 * `view` turns a stored object into what the client sees (events.k8s.io Events are stored as core
 * Events): selectors are written against that view.
 */
export function parseListQuery(
  query: URLSearchParams,
  type: ResourceType,
  view: (object: KubeObject) => KubeObject = (object) => object,
): ListQuery {
  const predicates: ObjectPredicate[] = [];
  try {
    const labelSelector = query.get("labelSelector");
    if (labelSelector) predicates.push(parseLabelSelector(labelSelector));
    const fieldSelector = query.get("fieldSelector");
    if (fieldSelector)
      predicates.push(
        parseFieldSelector(
          fieldSelector,
          type.kind,
          type.group,
          type.crdName === undefined ? undefined : { clusterScoped: !type.namespaced },
        ),
      );
  } catch (error) {
    if (error instanceof SelectorError) throw badRequest(error.message);
    throw error;
  }
  const limitText = query.get("limit");
  const limit = limitText ? Number(limitText) : undefined;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
    throw badRequest(`invalid limit "${limitText}"`);
  }
  const token = query.get("continue");
  return {
    matches: (object) => {
      if (predicates.length === 0) return true;
      const seen = view(object);
      return predicates.every((predicate) => predicate(seen));
    },
    selective: predicates.length > 0,
    ...(limit && { limit }),
    ...(token && { continueAfter: decodeContinue(token) }),
  };
}

export interface Page {
  items: KubeObject[];
  continueToken?: string;
  remainingItemCount?: number;
}

/** One page of the matching objects; `objects` is sorted by namespace and name. */
export function paginate(objects: KubeObject[], query: ListQuery): Page {
  const start = query.continueAfter === undefined ? 0 : firstAfter(objects, query.continueAfter);
  // Without a selector a page is a slice: no walk over the rest of the collection per page (an API
  // server reads a page from its start key; the rest is only counted).
  const matching = query.selective
    ? objects.slice(start).filter(query.matches)
    : objects.slice(start, query.limit === undefined ? undefined : start + query.limit + 1);
  if (query.limit === undefined || matching.length <= query.limit) return { items: matching };
  const items = matching.slice(0, query.limit);
  const last = items[items.length - 1] as KubeObject;
  return {
    items,
    continueToken: Buffer.from(JSON.stringify({ after: keyOf(last) })).toString("base64url"),
    remainingItemCount: (query.selective ? matching.length : objects.length - start) - items.length,
  };
}

/** Index of the first object whose key sorts after `key` (binary search: `objects` is sorted). */
function firstAfter(objects: readonly KubeObject[], key: string): number {
  let low = 0;
  let high = objects.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (keyOf(objects[middle] as KubeObject) > key) high = middle;
    else low = middle + 1;
  }
  return low;
}

function keyOf(object: KubeObject): string {
  return `${object.metadata.namespace ?? ""}\u0000${object.metadata.name ?? ""}`;
}

function decodeContinue(token: string): string {
  try {
    const decoded = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { after?: unknown };
    if (typeof decoded.after === "string") return decoded.after;
  } catch {
    // Falls through to the error below: the token was not one of ours.
  }
  throw new ApiError(400, "BadRequest", "continue key is not valid: incorrect encoded start resourceVersion");
}
