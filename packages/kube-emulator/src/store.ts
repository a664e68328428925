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

export class ObjectStore {
  readonly #collections = new Map<string, Map<string, KubeObject>>();
  /** Each collection in list order, until it next changes. */
  readonly #sorted = new Map<string, KubeObject[]>();
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
    let sorted = this.#sorted.get(collection);
    if (!sorted) {
      // Sorted once per change, not per request: paging through a long list asks for it again and again.
      sorted = [...(this.#collections.get(collection)?.values() ?? [])].sort(compareKeys);
      this.#sorted.set(collection, sorted);
    }
    return namespace === undefined
      ? [...sorted]
      : sorted.filter((object) => object.metadata.namespace === namespace);
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
    this.#sorted.delete(collection);
    this.#record({ type, collection, object: stored, revision });
    return stored;
  }

  remove(collection: string, object: KubeObject): KubeObject | undefined {
    const objects = this.#collections.get(collection);
    const key = objectKey(object.metadata.namespace ?? "", object.metadata.name ?? "");
    const existing = objects?.get(key);
    if (!objects || !existing) return undefined;
    objects.delete(key);
    this.#sorted.delete(collection);
    const revision = ++this.#revision;
    const removed = { ...existing, metadata: { ...existing.metadata, resourceVersion: String(revision) } };
    this.#record({ type: "DELETED", collection, object: removed, revision });
    return removed;
  }

  /** Drops a whole collection (its CRD went away) without per-object history. */
  dropCollection(collection: string): void {
    this.#collections.delete(collection);
    this.#sorted.delete(collection);
  }

  /**
   * Changes after `revision`, oldest first; undefined when the history no longer reaches back
   * that far (the watch must be restarted with a fresh list: 410 Gone).
   */
  changesSince(revision: number): StoreChange[] | undefined {
    const oldest = this.#history[0];
    if (revision >= this.#revision) return [];
    if (!oldest || oldest.revision > revision + 1) return undefined;
    return this.#history.filter((change) => change.revision > revision);
  }

  subscribe(listener: (change: StoreChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #record(change: StoreChange): void {
    this.#history.push(change);
    if (this.#history.length > this.#historyLimit)
      this.#history.splice(0, this.#history.length - this.#historyLimit);
    for (const listener of [...this.#listeners]) listener(change);
  }
}

function objectKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** Code-point order, so that continue tokens (which compare keys the same way) stay consistent. */
function compareKeys(a: KubeObject, b: KubeObject): number {
  const left = `${a.metadata.namespace ?? ""}\u0000${a.metadata.name ?? ""}`;
  const right = `${b.metadata.namespace ?? ""}\u0000${b.metadata.name ?? ""}`;
  return left < right ? -1 : left > right ? 1 : 0;
}
