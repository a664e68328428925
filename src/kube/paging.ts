// A whole collection read a page at a time, as kubectl does (--chunk-size, 500 by default): a caller
// that keeps only some of the objects, or stops at the one it looks for, holds one page at a time
// instead of a collection that runs to tens of thousands of objects on a big fleet, and the event
// loop gets a turn between pages.
import type { Kube, KubeObject, ListOptions, ResolvedKind } from "./types.ts";

export const PAGE_SIZE = 500;

/** The pages of the list, each asked for when the previous one is done with. */
export async function* listPages(
  kube: Kube,
  kind: ResolvedKind,
  options: Omit<ListOptions, "limit" | "continue"> = {},
  pageSize = PAGE_SIZE,
): AsyncGenerator<KubeObject[]> {
  let token: string | undefined;
  do {
    const page = await kube.list(kind, {
      ...options,
      limit: pageSize,
      ...(token !== undefined && { continue: token }),
    });
    yield page.items;
    token = page.continue;
  } while (token !== undefined);
}
