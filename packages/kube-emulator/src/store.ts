// The objects of one cluster, with the resourceVersion clock and the change history that watches
// resume from. It keeps no Kubernetes semantics beyond that: cluster.ts decides what a write means.
import type { KubeObject } from "./types.ts";

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

export interface StoreChange {
  type: WatchEventType;
  /** Collection key, see collectionKey(). */
  collection: string;
  object: KubeObject;
  revision: number;
}

const DEFAULT_HISTORY_LIMIT = 10_000;
/** The history is trimmed once it is this much over its limit: one splice per batch, not per write. */
const HISTORY_TRIM_BATCH = 4096;

export class ObjectStore {
  readonly #collections = new Map<string, Map<string, KubeObject>>();
  /** Each collection in list order, kept in order as objects come and go once it was asked for. */
  readonly #sorted = new Map<string, SortedEntry[]>();
  /** A namespace's part of a collection in list order, until that namespace next changes. */
  readonly #byNamespace = new Map<string, Map<string, KubeObject[]>>();
  readonly #history: StoreChange[] = [];
  readonly #listeners = new Set<(change: StoreChange) => void>();
  readonly #historyLimit: number;
  #revision = 1;

  constructor(historyLimit = DEFAULT_HISTORY_LIMIT) {
    this.#historyLimit = historyLimit;
  }

  /** The latest resourceVersion handed out. */
  revision(): number {
    return this.#revision;
  }

  get(collection: string, namespace: string, name: string): KubeObject | undefined {
    return this.#collections.get(collection)?.get(objectKey(namespace, name));
  }

  /** Objects sorted by namespace, then name, as kube-apiserver lists them. */
  list(collection: string, namespace?: string): KubeObject[] {
    if (namespace === undefined) return this.#sortedEntries(collection).map((entry) => entry.object);
    let namespaces = this.#byNamespace.get(collection);
    if (!namespaces) {
      namespaces = new Map();
      this.#byNamespace.set(collection, namespaces);
    }
    let objects = namespaces.get(namespace);
    if (!objects) {
      // A namespace's objects sit together in the sorted list: found by bisection, not by a scan.
      const sorted = this.#sortedEntries(collection);
      const prefix = `${namespace}\u0000`;
      objects = [];
      for (let index = lowerBound(sorted, prefix); index < sorted.length; index++) {
        const entry = sorted[index] as SortedEntry;
        if (!entry.key.startsWith(prefix)) break;
        objects.push(entry.object);
      }
      namespaces.set(namespace, objects);
    }
    return [...objects];
  }

  /** Sorted once, with each object's sort key made once (not at every comparison), then kept in order. */
  #sortedEntries(collection: string): SortedEntry[] {
    let sorted = this.#sorted.get(collection);
    if (!sorted) {
      sorted = [...(this.#collections.get(collection)?.values() ?? [])]
        .map((object) => ({ key: sortKey(object), object }))
        .sort((a, b) => compareKeys(a.key, b.key));
      this.#sorted.set(collection, sorted);
    }
    return sorted;
  }

  /** Keeps the sorted list (when there is one) in order, and forgets the namespace's own list. */
  #placeSorted(collection: string, object: KubeObject, change: "put" | "remove"): void {
    this.#byNamespace.get(collection)?.delete(object.metadata.namespace ?? "");
    const sorted = this.#sorted.get(collection);
    if (!sorted) return;
    const key = sortKey(object);
    const low = lowerBound(sorted, key);
    const found = sorted[low]?.key === key;
    if (change === "remove") {
      if (found) sorted.splice(low, 1);
    } else if (found) {
      sorted[low] = { key, object };
    } else {
      sorted.splice(low, 0, { key, object });
    }
  }

  count(collection: string): number {
    return this.#collections.get(collection)?.size ?? 0;
  }

  /** Stores the object under a new resourceVersion and returns what was stored. */
  put(collection: string, object: KubeObject): KubeObject {
    const revision = ++this.#revision;
    const stored: KubeObject = {
      ...object,
      metadata: { ...object.metadata, resourceVersion: String(revision) },
    };
    const objects = this.#collections.get(collection) ?? new Map<string, KubeObject>();
    const key = objectKey(stored.metadata.namespace ?? "", stored.metadata.name ?? "");
    const type = objects.has(key) ? "MODIFIED" : "ADDED";
    objects.set(key, stored);
    this.#collections.set(collection, objects);
    this.#placeSorted(collection, stored, "put");
    this.#record({ type, collection, object: stored, revision });
    return stored;
  }

  remove(collection: string, object: KubeObject): KubeObject | undefined {
    const objects = this.#collections.get(collection);
    const key = objectKey(object.metadata.namespace ?? "", object.metadata.name ?? "");
    const existing = objects?.get(key);
    if (!objects || !existing) return undefined;
    objects.delete(key);
    this.#placeSorted(collection, existing, "remove");
    const revision = ++this.#revision;
    const removed = { ...existing, metadata: { ...existing.metadata, resourceVersion: String(revision) } };
    this.#record({ type: "DELETED", collection, object: removed, revision });
    return removed;
  }

  /** Drops a whole collection (its CRD went away) without per-object history. */
  dropCollection(collection: string): void {
    this.#collections.delete(collection);
    this.#sorted.delete(collection);
    this.#byNamespace.delete(collection);
  }

  /**
   * Changes after `revision`, oldest first; undefined when the history no longer reaches back
   * that far (the watch must be restarted with a fresh list: 410 Gone).
   */
  changesSince(revision: number): StoreChange[] | undefined {
    const oldest = this.#history[0];
    if (revision >= this.#revision) return [];
    if (!oldest || oldest.revision > revision + 1) return undefined;
    // Revisions only grow along the history: the first newer change is found by bisection.
    let low = 0;
    let high = this.#history.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.#history[middle] as StoreChange).revision <= revision) low = middle + 1;
      else high = middle;
    }
    return this.#history.slice(low);
  }

  subscribe(listener: (change: StoreChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #record(change: StoreChange): void {
    this.#history.push(change);
    if (this.#history.length > this.#historyLimit + HISTORY_TRIM_BATCH)
      this.#history.splice(0, this.#history.length - this.#historyLimit);
    for (const listener of [...this.#listeners]) listener(change);
  }
}

function objectKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

interface SortedEntry {
  key: string;
  object: KubeObject;
}

function sortKey(object: KubeObject): string {
  return `${object.metadata.namespace ?? ""}\u0000${object.metadata.name ?? ""}`;
}

/** The index of the first entry whose key is not below `key`. */
function lowerBound(sorted: SortedEntry[], key: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareKeys((sorted[middle] as SortedEntry).key, key) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Code-point order, so that continue tokens (which compare keys the same way) stay consistent. */
function compareKeys(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
