// The needles of a context's Secrets in one Aho–Corasick automaton: a text is scanned once, in time
// linear in its length whatever the number of needles. The automaton holds each needle's first
// PREFIX characters only (a trie of every whole needle costs seconds and tens of MiB for a few
// thousand Secrets); a prefix hit is confirmed against the needles that start with it. It is
// built again on the first scan after the Secret watch changed the set (the library's own
// incremental updates cost quadratic time). Overlapping hits are merged, so no part of a value
// survives between two replacements. Not the library's double-array variant (`/fast`): it scans
// about 2.5× faster but builds in more than linear time (20,000 needles: 1 s against 0.18 s; 50,000:
// 4.5 s against 0.7 s), a block of the event loop at every rebuild.
import { AhoCorasick } from "@monyone/aho-corasick";
import type { Needle } from "./needles.ts";

export const MASK = "****";
/** Every needle is at least this long (MIN_VALUE_LENGTH). */
const PREFIX = 8;

export class NeedleSet {
  #automaton: { prefixes: AhoCorasick; byPrefix: Map<string, string[]> } | undefined;
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

  #build(): { prefixes: AhoCorasick; byPrefix: Map<string, string[]> } {
    const byPrefix = new Map<string, string[]>();
    for (const needle of this.#origins.keys()) {
      const prefix = needle.slice(0, PREFIX);
      const needles = byPrefix.get(prefix);
      if (needles) needles.push(needle);
      else byPrefix.set(prefix, [needle]);
    }
    return { prefixes: new AhoCorasick([...byPrefix.keys()]), byPrefix };
  }

  /**
   * The text with every needle replaced, except those whose values are all `kept` (names of the
   * cluster's objects). Overlapping or adjacent hits become one mask.
   */
  mask(text: string, kept: (value: string) => boolean): string {
    if (this.#origins.size === 0 || text.length < 2) return text;
    this.#automaton ??= this.#build();
    const { prefixes, byPrefix } = this.#automaton;
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
