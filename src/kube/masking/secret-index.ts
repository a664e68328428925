// The needles of one context's Secrets, kept by a watch: listed once (Helm release storage left out
// by a field selector, so its megabytes are never fetched), then updated from watch events; listed
// again only when the watch's resourceVersion has expired (410). A tool call waits for the first
// list within its own deadline; the list is abandoned when no call waits for it any more, so a
// stuck load never holds up the calls after it. An identity that may list Secrets only in some
// namespaces (RoleBindings per namespace) gets the same, namespace by namespace: each namespace is
// tried once (all of them when it may list namespaces, else the context's), and the ones it may read
// are listed and watched. An identity that may list Secrets nowhere can read none: nothing to mask
// then. Either is said once on stderr.
import { setTimeout as sleep } from "node:timers/promises";
import { abortable } from "../abortable.ts";
import { KubeError, type KubeObject } from "../types.ts";
import { NeedleSet } from "./needle-set.ts";
import { HELM_RELEASE_TYPE, secretNeedles, type Needle } from "./needles.ts";

export const SECRET_FIELD_SELECTOR = `type!=${HELM_RELEASE_TYPE}`;
const PAGE_SIZE = 500;
/** The API server ends each watch after this long; it is opened again from the last resourceVersion. */
const WATCH_SECONDS = 300;
const MAX_BACKOFF_MS = 30_000;
/** Namespaces whose Secrets are read at once while finding the ones this identity may read. */
const NAMESPACE_PROBES = 8;
/**
 * Namespaces watched one by one at most: each watch holds a connection of the context's pool (32).
 * An identity that may read more is kept up to date by listing them all again every POLL_MS.
 */
const MAX_NAMESPACE_WATCHES = 8;
const POLL_MS = 60_000;

export interface SecretPage {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
}

export interface WatchEvent {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  object: KubeObject & { code?: number };
}

/** How the index reads Secrets, with their values: raw requests, never the masked Kube. */
export interface SecretSource {
  context: string;
  /** The context's namespace: the one to try when the identity may not list namespaces. */
  namespace: string;
  /** Secrets of one namespace, or of all when `namespace` is undefined. */
  list(query: Record<string, string>, signal: AbortSignal, namespace?: string): Promise<SecretPage>;
  /** Streams watch events until the server ends the watch (resolves) or it fails (rejects). */
  watch(
    query: Record<string, string>,
    onEvent: (event: WatchEvent) => void,
    signal: AbortSignal,
    namespace?: string,
  ): Promise<void>;
  /** The names of every namespace; rejects with a Forbidden KubeError when the identity may not list them. */
  namespaces(signal: AbortSignal): Promise<string[]>;
}

/** What one list or watch covers: one namespace, or every namespace (undefined). */
type Scope = string | undefined;

interface Entry {
  needles: Needle[];
  names: string[];
}

export class SecretIndex {
  readonly needles = new NeedleSet();
  /** Names and namespaces of the Secrets, which may be the value of another Secret's key. */
  readonly #names = new Map<string, number>();
  readonly #entries = new Map<string, Entry>();
  readonly #source: SecretSource;
  readonly #warn: (message: string) => void;
  #ready = false;
  /** The resourceVersion each scope's watch goes on from. */
  readonly #resourceVersions = new Map<Scope, string>();
  #loading: { promise: Promise<void>; controller: AbortController; waiters: number } | undefined;
  #warned = false;
  readonly #stopped = new AbortController();

  constructor(source: SecretSource, warn: (message: string) => void) {
    this.#source = source;
    this.#warn = warn;
  }

  /** Whether `value` is the name of a Secret or of a namespace holding one. */
  isName(value: string): boolean {
    return this.#names.has(value);
  }

  /** Resolves once the Secrets are listed; rejects when `signal` fires first. */
  async ready(signal: AbortSignal | undefined): Promise<void> {
    if (this.#ready) return;
    if (signal?.aborted) throw signal.reason;
    let loading = this.#loading;
    if (!loading) {
      const controller = new AbortController();
      const promise = this.#load(controller.signal);
      loading = { promise, controller, waiters: 0 };
      this.#loading = loading;
      const current = loading;
      promise.then(
        () => {
          if (this.#loading === current) this.#loading = undefined;
        },
        () => {
          if (this.#loading === current) this.#loading = undefined;
        },
      );
    }
    loading.waiters++;
    try {
      await abortable(loading.promise, signal);
    } finally {
      loading.waiters--;
      // Nobody waits for this load any more: the next call starts a fresh one.
      if (loading.waiters === 0 && !this.#ready) {
        loading.controller.abort();
        if (this.#loading === loading) this.#loading = undefined;
      }
    }
  }

  /** Ends the watch. */
  stop(): void {
    this.#stopped.abort();
  }

  async #load(signal: AbortSignal): Promise<void> {
    try {
      await this.#relist(undefined, signal);
    } catch (error) {
      if (!refused(error)) throw error;
      const namespaces = await this.#readableNamespaces(signal);
      this.#warnOnce(
        namespaces.length === 0
          ? `context ${this.#source.context}: this identity may not list Secrets (${error.message}); it cannot read their values either, so there is nothing to mask in free text`
          : `context ${this.#source.context}: this identity may list Secrets only in some namespaces; masking the values of those it may read: ${namespaces.join(", ")}`,
      );
      this.#ready = true;
      if (namespaces.length > MAX_NAMESPACE_WATCHES) void this.#pollLoop(namespaces);
      else for (const namespace of namespaces) void this.#watchLoop(namespace);
      return;
    }
    this.#ready = true;
    void this.#watchLoop(undefined);
  }

  #warnOnce(message: string): void {
    if (this.#warned) return;
    this.#warned = true;
    this.#warn(message);
  }

  /**
   * The namespaces whose Secrets this identity may list, listed into the index on the way: every
   * namespace when it may list namespaces, else the context's, NAMESPACE_PROBES at a time.
   */
  async #readableNamespaces(signal: AbortSignal): Promise<string[]> {
    let candidates: string[];
    try {
      candidates = await this.#source.namespaces(signal);
    } catch (error) {
      if (!refused(error)) throw error;
      candidates = [this.#source.namespace];
    }
    const readable: string[] = [];
    let next = 0;
    const probe = async () => {
      while (next < candidates.length) {
        const namespace = candidates[next++] as string;
        try {
          await this.#relist(namespace, signal);
          readable.push(namespace);
        } catch (error) {
          // A namespace name the API cannot take (a context's, from the kubeconfig) has nothing to read either.
          if (!refused(error) && !(error instanceof KubeError && error.reason === "BadRequest")) throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(NAMESPACE_PROBES, candidates.length) }, probe));
    return readable.sort();
  }

  /** Lists the scope's Secrets (Helm storage left out) and replaces its entries with what it found. */
  async #relist(scope: Scope, signal: AbortSignal): Promise<void> {
    const found = new Map<string, KubeObject>();
    let token: string | undefined;
    let resourceVersion: string;
    do {
      const page = await this.#source.list(
        {
          fieldSelector: SECRET_FIELD_SELECTOR,
          limit: String(PAGE_SIZE),
          ...(token !== undefined && { continue: token }),
        },
        signal,
        scope,
      );
      for (const secret of page.items) found.set(keyOf(secret), secret);
      resourceVersion = page.resourceVersion;
      token = page.continue || undefined;
    } while (token !== undefined);
    for (const key of [...this.#entries.keys()]) {
      if (inScope(key, scope) && !found.has(key)) this.#drop(key);
    }
    for (const [key, secret] of found) this.#put(key, secret);
    this.#resourceVersions.set(scope, resourceVersion);
  }

  async #watchLoop(scope: Scope): Promise<void> {
    const signal = this.#stopped.signal;
    let failures = 0;
    while (!signal.aborted) {
      try {
        let expired = false;
        await this.#source.watch(
          {
            watch: "1",
            fieldSelector: SECRET_FIELD_SELECTOR,
            resourceVersion: this.#resourceVersions.get(scope) ?? "",
            allowWatchBookmarks: "true",
            timeoutSeconds: String(WATCH_SECONDS),
          },
          (event) => {
            if (event.type === "ERROR") {
              expired = event.object.code === 410;
              if (!expired) throw new Error(`watch error ${String(event.object.code)}`);
              return;
            }
            this.#apply(scope, event);
          },
          signal,
          scope,
        );
        if (expired) await this.#relist(scope, signal);
        failures = 0;
      } catch {
        if (signal.aborted) return;
        failures++;
        const wait = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(failures, 6));
        try {
          await sleep(wait, undefined, { signal, ref: false });
          // After a gap, the watch may have missed changes that its history no longer holds.
          if (failures > 1) await this.#relist(scope, signal);
        } catch {
          if (signal.aborted) return;
        }
      }
    }
  }

  /** More namespaces than watches to spare: each listed again every POLL_MS, one at a time. */
  async #pollLoop(namespaces: readonly string[]): Promise<void> {
    const signal = this.#stopped.signal;
    while (!signal.aborted) {
      try {
        await sleep(POLL_MS, undefined, { signal, ref: false });
        for (const namespace of namespaces) {
          try {
            await this.#relist(namespace, signal);
          } catch {
            // Kept as it was until the next round: the namespace's RoleBinding may be gone, or the API away.
            if (signal.aborted) return;
          }
        }
      } catch {
        return;
      }
    }
  }

  #apply(scope: Scope, event: WatchEvent): void {
    const version = event.object.metadata?.resourceVersion;
    if (version) this.#resourceVersions.set(scope, version);
    if (event.type === "BOOKMARK") return;
    const key = keyOf(event.object);
    if (event.type === "DELETED") this.#drop(key);
    else this.#put(key, event.object);
  }

  #put(key: string, secret: KubeObject): void {
    this.#drop(key);
    const entry: Entry = {
      needles: secretNeedles(secret),
      names: [secret.metadata.name ?? "", secret.metadata.namespace ?? ""].filter(Boolean),
    };
    this.needles.add(entry.needles);
    for (const name of entry.names) this.#names.set(name, (this.#names.get(name) ?? 0) + 1);
    this.#entries.set(key, entry);
  }

  #drop(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.needles.remove(entry.needles);
    for (const name of entry.names) {
      const count = this.#names.get(name) ?? 0;
      if (count > 1) this.#names.set(name, count - 1);
      else this.#names.delete(name);
    }
    this.#entries.delete(key);
  }
}

/** Whether the API refused the identity (403, or 401 for a token it does not accept). */
function refused(error: unknown): error is KubeError {
  return error instanceof KubeError && (error.reason === "Forbidden" || error.reason === "Unauthorized");
}

function inScope(key: string, scope: Scope): boolean {
  return scope === undefined || key.startsWith(`${scope}/`);
}

function keyOf(secret: KubeObject): string {
  return `${secret.metadata?.namespace ?? ""}/${secret.metadata?.name ?? ""}`;
}
