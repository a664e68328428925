// The needles of a context's Secrets in one Aho–Corasick automaton that the Secret watch updates
// in place: a text is scanned once, in time linear in its length whatever the number of needles.
// Overlapping hits are merged, so no part of a value survives between two replacements.
import { DynamicAhoCorasick } from "@monyone/aho-corasick";
import type { Needle } from "./needles.ts";

export const MASK = "****";

export class NeedleSet {
  readonly #automaton = new DynamicAhoCorasick([]);
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
        this.#automaton.add(text);
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
        this.#automaton.delete(text);
      }
    }
  }

  /**
   * The text with every needle replaced, except those whose values are all `kept` (names of the
   * cluster's objects). Overlapping or adjacent hits become one mask.
   */
  mask(text: string, kept: (value: string) => boolean): string {
    if (this.#origins.size === 0 || text.length < 2) return text;
    const hits = this.#automaton
      .matchInText(text)
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
