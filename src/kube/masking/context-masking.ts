// Masking for one context and one tool call: Secret objects by structure, then the free-text scan
// of every string leaf of every object and of every log read, so tools (and their grep and field
// filters) only ever see masked text. Values equal to a name the call has read (an object's name
// or namespace) are not masked: such a value is not secret, and masking it would break answers.
import { forEachInSlices } from "../time-slice.ts";
import type { KubeObject } from "../types.ts";
import { MIN_VALUE_LENGTH } from "./needles.ts";
import { maskSecretObject } from "./secret-objects.ts";
import type { SecretIndex } from "./secret-index.ts";

/**
 * Kinds whose strings are the API's own text, not data a user or controller wrote: their schemas run
 * to megabytes of documentation. They are masked by the final scan of what leaves, like any text.
 */
const SCHEMA_KINDS = new Set(["CustomResourceDefinition", "APIService"]);

/**
 * Fields whose values name objects (metadata, references, involvedObject): collected before
 * masking, never masked themselves. Only DNS-style values count, and nothing inside a Secret.
 */
const DNS_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

export class CallMasking {
  readonly #index: SecretIndex;
  readonly #signal: AbortSignal | undefined;
  readonly #names = new Set<string>();
  readonly #kept = (value: string) => this.#names.has(value) || this.#index.isName(value);

  constructor(index: SecretIndex, signal: AbortSignal | undefined) {
    this.#index = index;
    this.#signal = signal;
  }

  /** Waits (within the call's signal) until the context's Secrets are known. */
  ready(): Promise<void> {
    return this.#index.ready(this.#signal);
  }

  async text(text: string): Promise<string> {
    await this.ready();
    return this.#index.needles.mask(text, this.#kept);
  }

  /** The object as tools may see it: a Secret masked by structure, every string leaf scanned. */
  async object<T extends KubeObject>(object: T): Promise<T> {
    await this.ready();
    return this.#objectNow(object);
  }

  /** A page of objects, masked in place; a long page gives the event loop turns in between. */
  async objects<T extends KubeObject>(objects: T[]): Promise<T[]> {
    await this.ready();
    await forEachInSlices(objects, (object) => {
      this.#collectNames(object, 0);
    });
    await forEachInSlices(objects, (object, index) => {
      objects[index] = this.#maskedNow(object);
    });
    return objects;
  }

  /** Any JSON value read from the API (a raw path): Secrets inside it masked, strings scanned. */
  async json(value: unknown): Promise<unknown> {
    await this.ready();
    this.#collectNames(value, 0);
    return this.#leaves(value);
  }

  #objectNow<T extends KubeObject>(object: T): T {
    this.#collectNames(object, 0);
    return this.#maskedNow(object);
  }

  #maskedNow<T extends KubeObject>(object: T): T {
    if (SCHEMA_KINDS.has(object.kind)) return object;
    return this.#leaves(maskSecretObject(object)) as T;
  }

  /**
   * Masks in place: the objects were parsed for this call and belong to it. A Secret is replaced by
   * its masked copy, whose value maps (holding only masks) keep the digests of their values.
   */
  #leaves(node: unknown): unknown {
    if (typeof node === "string") {
      return node.length < MIN_VALUE_LENGTH || this.#index.needles.size === 0
        ? node
        : this.#index.needles.mask(node, this.#kept);
    }
    if (Array.isArray(node)) {
      for (let index = 0; index < node.length; index++) node[index] = this.#leaves(node[index]);
      return node;
    }
    if (node === null || typeof node !== "object") return node;
    const masked = maskSecretObject(node as KubeObject) as Record<string, unknown>;
    // for…in over parsed JSON (own keys only): no array of entries made per object.
    for (const key in masked) {
      const value = masked[key];
      if (typeof value === "string" ? value.length >= MIN_VALUE_LENGTH : typeof value === "object") {
        masked[key] = this.#leaves(value);
      }
    }
    return masked;
  }

  #collectNames(node: unknown, depth: number): void {
    if (depth > 8 || node === null || typeof node !== "object") return;
    if (Array.isArray(node)) {
      for (const item of node) this.#collectNames(item, depth + 1);
      return;
    }
    const record = node as Record<string, unknown>;
    const secret = record.kind === "Secret";
    if (depth > 0 && secret) return;
    for (const key in record) {
      const value = record[key];
      if (typeof value === "string") {
        if ((key === "name" || key === "namespace") && DNS_NAME.test(value)) this.#names.add(value);
      } else if (typeof value === "object" && !(secret && (key === "data" || key === "stringData"))) {
        this.#collectNames(value, depth + 1);
      }
    }
  }
}
