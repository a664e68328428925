// The needles of one context's Secrets, kept by a watch: listed once (Helm release storage left out
// by a field selector, so its megabytes are never fetched), then updated from watch events; listed
// again only when the watch's resourceVersion has expired (410). A tool call waits for the first
// list within its own deadline; the list is abandoned when no call waits for it any more, so a
// stuck load never holds up the calls after it. An identity that may not list Secrets can read
// none: nothing to mask then, said once on stderr.
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
  list(query: Record<string, string>, signal: AbortSignal): Promise<SecretPage>;
  /** Streams watch events until the server ends the watch (resolves) or it fails (rejects). */
  watch(
    query: Record<string, string>,
    onEvent: (event: WatchEvent) => void,
    signal: AbortSignal,
  ): Promise<void>;
}

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
  #resourceVersion = "";
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
      await this.#relist(signal);
    } catch (error) {
      if (
        !(error instanceof KubeError) ||
        (error.reason !== "Forbidden" && error.reason !== "Unauthorized")
      ) {
        throw error;
      }
      if (!this.#warned) {
        this.#warned = true;
        this.#warn(
          `context ${this.#source.context}: this identity may not list Secrets (${error.message}); it cannot read their values either, so there is nothing to mask in free text`,
        );
      }
      this.#ready = true;
      return;
    }
    this.#ready = true;
    void this.#watchLoop();
  }

  /** Lists every Secret (Helm storage left out) and replaces the entries with what it found. */
  async #relist(signal: AbortSignal): Promise<void> {
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
      );
      for (const secret of page.items) found.set(keyOf(secret), secret);
      resourceVersion = page.resourceVersion;
      token = page.continue || undefined;
    } while (token !== undefined);
    for (const key of [...this.#entries.keys()]) if (!found.has(key)) this.#drop(key);
    for (const [key, secret] of found) this.#put(key, secret);
    this.#resourceVersion = resourceVersion;
  }

  async #watchLoop(): Promise<void> {
    const signal = this.#stopped.signal;
    let failures = 0;
    while (!signal.aborted) {
      try {
        let expired = false;
        await this.#source.watch(
          {
            watch: "1",
            fieldSelector: SECRET_FIELD_SELECTOR,
            resourceVersion: this.#resourceVersion,
            allowWatchBookmarks: "true",
            timeoutSeconds: String(WATCH_SECONDS),
          },
          (event) => {
            if (event.type === "ERROR") {
              expired = event.object.code === 410;
              if (!expired) throw new Error(`watch error ${String(event.object.code)}`);
              return;
            }
            this.#apply(event);
          },
          signal,
        );
        if (expired) await this.#relist(signal);
        failures = 0;
      } catch {
        if (signal.aborted) return;
        failures++;
        const wait = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(failures, 6));
        try {
          await sleep(wait, undefined, { signal, ref: false });
          // After a gap, the watch may have missed changes that its history no longer holds.
          if (failures > 1) await this.#relist(signal);
        } catch {
          if (signal.aborted) return;
        }
      }
    }
  }

  #apply(event: WatchEvent): void {
    const version = event.object.metadata?.resourceVersion;
    if (version) this.#resourceVersion = version;
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

function keyOf(secret: KubeObject): string {
  return `${secret.metadata?.namespace ?? ""}/${secret.metadata?.name ?? ""}`;
}
