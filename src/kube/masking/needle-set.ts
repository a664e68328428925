// The needles of a context's Secrets in one Aho–Corasick automaton: a text is scanned once, in time
// linear in its length whatever the number of needles. The automaton holds each needle's first
// PREFIX characters only (a trie of every whole needle costs seconds and tens of MiB for a few
// thousand Secrets); a prefix hit is confirmed against the needles that start with it. It is
// built again on the first scan after the Secret watch changed the set (the library's own
// incremental updates cost quadratic time). Overlapping hits are merged, so no part of a value
// survives between two replacements. Not the library's double-array variant (`/fast`): it scans
// about 2.5× faster but builds in more than linear time (20,000 needles: 1 s against 0.18 s; 50,000:
// 4.5 s against 0.7 s), a block of the event loop at every rebuild.
//
// In front of it, a filter answers for most texts that no needle can be in them: a bit per hash of
// each prefix, and a rolling hash over the text's windows of PREFIX characters. An occurrence of a
// needle starts with a window whose bit is set, so a text with no such window is returned as it is,
// for a few integer operations a character instead of the automaton's map lookups (the scan of every
// string leaf of every object read was a fifth of the server's CPU under load). A text with such a
// window (a needle, or a hash collision) is scanned by the automaton as before.
import { AhoCorasick } from "@monyone/aho-corasick";
import type { Needle } from "./needles.ts";

export const MASK = "****";
/** Every needle is at least this long (MIN_VALUE_LENGTH). */
const PREFIX = 8;

interface Automaton {
  prefixes: AhoCorasick;
  byPrefix: Map<string, string[]>;
  /** Absent when a needle is shorter than PREFIX: its occurrences need not start with a whole window. */
  filter: WindowFilter | undefined;
}

export class NeedleSet {
  #automaton: Automaton | undefined;
  /** needle → the values it stands for, each with how many Secret entries hold it. */
  readonly #origins = new Map<string, Map<string, number>>();

  get size(): number {
    return this.#origins.size;
  }

  add(needles: readonly Needle[]): void {
    for (const { text, origin } of needles) {
      let origins = this.#origins.get(text);
      if (!origins) {
        origins = new Map();
        this.#origins.set(text, origins);
        this.#automaton = undefined;
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
        this.#automaton = undefined;
      }
    }
  }

  #build(): Automaton {
    const byPrefix = new Map<string, string[]>();
    let shortest = Infinity;
    for (const needle of this.#origins.keys()) {
      shortest = Math.min(shortest, needle.length);
      const prefix = needle.slice(0, PREFIX);
      const needles = byPrefix.get(prefix);
      if (needles) needles.push(needle);
      else byPrefix.set(prefix, [needle]);
    }
    const prefixes = [...byPrefix.keys()];
    return {
      prefixes: new AhoCorasick(prefixes),
      byPrefix,
      filter: shortest >= PREFIX ? new WindowFilter(prefixes) : undefined,
    };
  }

  /**
   * The text with every needle replaced, except those whose values are all `kept` (names of the
   * cluster's objects). Overlapping or adjacent hits become one mask.
   */
  mask(text: string, kept: (value: string) => boolean): string {
    if (this.#origins.size === 0 || text.length < 2) return text;
    this.#automaton ??= this.#build();
    const { prefixes, byPrefix, filter } = this.#automaton;
    if (filter && !filter.mayHoldNeedle(text)) return text;
    const hits = prefixes
      .matchInText(text)
      .flatMap(({ begin, keyword }) =>
        (byPrefix.get(keyword) ?? [])
          .filter((needle) => text.startsWith(needle, begin))
          .map((needle) => ({ begin, end: begin + needle.length, keyword: needle })),
      )
      .filter(({ keyword }) => {
        const origins = this.#origins.get(keyword);
        return origins !== undefined && [...origins.keys()].some((origin) => !kept(origin));
      })
      .sort((a, b) => a.begin - b.begin);
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
}

/** Multiplier of the polynomial hash of a window (odd, so no character's contribution vanishes). */
const BASE = 0x01000193;
/** BASE to the power PREFIX - 1: a window's first character's weight, taken out when the window moves. */
const FIRST_WEIGHT = Array.from({ length: PREFIX - 1 }).reduce<number>((power) => Math.imul(power, BASE), 1);
/** About a thousand bits a prefix keeps a window's chance of a false hit near 1/1000. */
const BITS_PER_PREFIX = 1024;
const MIN_BITS_LOG2 = 16;
/** 4 MiB of bits at most (reached past 32,000 distinct prefixes). */
const MAX_BITS_LOG2 = 25;

/** The bits of the hashes of the needles' prefixes; see the top of this file. */
class WindowFilter {
  readonly #bits: Uint32Array;
  readonly #shift: number;

  constructor(prefixes: readonly string[]) {
    const wanted = Math.ceil(Math.log2(Math.max(1, prefixes.length * BITS_PER_PREFIX)));
    const bitsLog2 = Math.min(MAX_BITS_LOG2, Math.max(MIN_BITS_LOG2, wanted));
    this.#bits = new Uint32Array(2 ** (bitsLog2 - 5));
    this.#shift = 32 - bitsLog2;
    for (const prefix of prefixes) {
      let hash = 0;
      for (let index = 0; index < PREFIX; index++) hash = Math.imul(hash, BASE) + prefix.charCodeAt(index);
      const bit = this.#bit(hash);
      this.#bits[bit >>> 5] = (this.#bits[bit >>> 5] ?? 0) | (1 << (bit & 31));
    }
  }

  /** False when no window of the text hashes to a prefix's bit: then no needle is in it. */
  mayHoldNeedle(text: string): boolean {
    let hash = 0;
    for (let index = 0; index < text.length; index++) {
      const leaving = index < PREFIX ? 0 : Math.imul(text.charCodeAt(index - PREFIX), FIRST_WEIGHT);
      hash = Math.imul(hash - leaving, BASE) + text.charCodeAt(index);
      if (index >= PREFIX - 1 && this.#isSet(this.#bit(hash))) return true;
    }
    return false;
  }

  #isSet(bit: number): boolean {
    return ((this.#bits[bit >>> 5] ?? 0) & (1 << (bit & 31))) !== 0;
  }

  /** The hash's bit: its product with a golden-ratio constant, whose high bits are well mixed. */
  #bit(hash: number): number {
    return Math.imul(hash, 0x9e3779b1) >>> this.#shift;
  }
}
