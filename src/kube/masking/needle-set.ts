// The needles of a context's Secrets, found in a text in one pass, in time linear in its length
// whatever the number of needles. A rolling hash of every PREFIX-character window of the text is
// looked up in a bit filter of the needles' first PREFIX characters (Rabin–Karp); a window that
// passes is confirmed by its exact prefix and then against the needles that start with it, so the
// filter only decides where to look, never what is masked. (An Aho–Corasick automaton did the same
// at a fifth of the speed: its Map per trie node costs several lookups per character, and the scan
// runs over every string the API returns.) The filter is built again on the first scan after the
// Secret watch changed the set. Overlapping hits are merged, so no part of a value survives
// between two replacements.
import type { Needle } from "./needles.ts";

export const MASK = "****";
/** Every needle is at least this long (MIN_VALUE_LENGTH). */
const PREFIX = 8;
/** The rolling hash: h = Σ code(i) × BASE^(PREFIX-1-i), modulo 2^32. */
const BASE = 0x01000193;
/** BASE^(PREFIX-1) modulo 2^32: the weight of the character leaving the window. */
const LEAVING_WEIGHT = power(BASE, PREFIX - 1);
/** The filter has 2^FILTER_BITS bits (128 KiB), addressed by the hash's top bits. */
const FILTER_BITS = 20;

interface Finder {
  /** Bit per hash slot: some needle prefix hashes there. */
  filter: Uint32Array;
  byPrefix: Map<string, string[]>;
}

export class NeedleSet {
  #finder: Finder | undefined;
  /** needle → the values it stands for, each with how many Secret entries hold it. */
  readonly #origins = new Map<string, Map<string, number>>();

  get size(): number {
    return this.#origins.size;
  }

  add(needles: readonly Needle[]): void {
    for (const { text, origin } of needles) {
      if (text.length < PREFIX) throw new Error(`a needle is shorter than ${PREFIX} characters`);
      let origins = this.#origins.get(text);
      if (!origins) {
        origins = new Map();
        this.#origins.set(text, origins);
        this.#finder = undefined;
      }
      origins.set(origin, (origins.get(origin) ?? 0) + 1);
    }
  }

  remove(needles: readonly Needle[]): void {
    for (const { text, origin } of needles) {
      const origins = this.#origins.get(text);
      const count = origins?.get(origin);
      if (!origins || count === undefined) continue;
      if (count > 1) origins.set(origin, count - 1);
      else origins.delete(origin);
      if (origins.size === 0) {
        this.#origins.delete(text);
        this.#finder = undefined;
      }
    }
  }

  #build(): Finder {
    const byPrefix = new Map<string, string[]>();
    const filter = new Uint32Array(2 ** FILTER_BITS / 32);
    for (const needle of this.#origins.keys()) {
      const prefix = needle.slice(0, PREFIX);
      const needles = byPrefix.get(prefix);
      if (needles) needles.push(needle);
      else byPrefix.set(prefix, [needle]);
      let hash = 0;
      for (let index = 0; index < PREFIX; index++)
        hash = (Math.imul(hash, BASE) + prefix.charCodeAt(index)) | 0;
      const slot = hash >>> (32 - FILTER_BITS);
      filter[slot >>> 5] = (filter[slot >>> 5] as number) | (1 << (slot & 31));
    }
    return { filter, byPrefix };
  }

  /**
   * The text with every needle replaced, except those whose values are all `kept` (names of the
   * cluster's objects). Overlapping or adjacent hits become one mask.
   */
  mask(text: string, kept: (value: string) => boolean): string {
    if (this.#origins.size === 0 || text.length < PREFIX) return text;
    const { filter, byPrefix } = (this.#finder ??= this.#build());
    // In order of their start: found window by window, left to right.
    const hits: { begin: number; end: number }[] = [];
    let hash = 0;
    for (let index = 0; index < PREFIX - 1; index++)
      hash = (Math.imul(hash, BASE) + text.charCodeAt(index)) | 0;
    for (let last = PREFIX - 1; last < text.length; last++) {
      hash = (Math.imul(hash, BASE) + text.charCodeAt(last)) | 0;
      const begin = last - PREFIX + 1;
      const slot = hash >>> (32 - FILTER_BITS);
      if (((filter[slot >>> 5] as number) & (1 << (slot & 31))) !== 0) {
        for (const needle of byPrefix.get(text.slice(begin, last + 1)) ?? []) {
          if (text.startsWith(needle, begin) && this.#masked(needle, kept)) {
            hits.push({ begin, end: begin + needle.length });
          }
        }
      }
      hash = (hash - Math.imul(text.charCodeAt(begin), LEAVING_WEIGHT)) | 0;
    }
    if (hits.length === 0) return text;
    let output = "";
    let copied = 0;
    let start = -1;
    let end = -1;
    for (const hit of hits) {
      if (hit.begin <= end) {
        end = Math.max(end, hit.end);
        continue;
      }
      if (start >= 0) output += text.slice(copied, start) + MASK;
      if (start >= 0) copied = end;
      start = hit.begin;
      end = hit.end;
    }
    output += text.slice(copied, start) + MASK + text.slice(end);
    return output;
  }

  /** Whether one of the values the needle stands for is not a name the call has read. */
  #masked(needle: string, kept: (value: string) => boolean): boolean {
    const origins = this.#origins.get(needle);
    return origins !== undefined && [...origins.keys()].some((origin) => !kept(origin));
  }
}

/** base^exponent modulo 2^32, as the hash computes it. */
function power(base: number, exponent: number): number {
  let result = 1;
  for (let index = 0; index < exponent; index++) result = Math.imul(result, base);
  return result;
}
