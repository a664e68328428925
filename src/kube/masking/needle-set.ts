// The needles of a context's Secrets in one Aho–Corasick automaton: a text is scanned once, in time
// linear in its length whatever the number of needles. The automaton holds each needle's first
// PREFIX characters only (a trie of every whole needle costs seconds and tens of MiB for a few
// thousand Secrets); a prefix hit is confirmed against the needles that start with it. It is
// built again on the first scan after the Secret watch changed the set (the library's own
// incremental updates cost quadratic time). Overlapping hits are merged, so no part of a value
// survives between two replacements.
import { AhoCorasick } from "@monyone/aho-corasick";
import type { Needle } from "./needles.ts";

export const MASK = "****";
/** Every needle is at least this long (MIN_VALUE_LENGTH). */
const PREFIX = 8;

interface Automaton {
  prefixes: AhoCorasick;
  byPrefix: Map<string, string[]>;
}

interface Hit {
  begin: number;
  end: number;
  keyword: string;
}

const NO_HITS: readonly Hit[] = [];

/**
 * The needle hits of the texts of one page (or object) scanned so far: a page repeats its kinds,
 * names, namespaces and timestamps, which are then scanned once. Kept for one automaton only: a
 * change of the needle set (the Secret watch) empties it. It holds the page's own strings, so it
 * lives as long as the page's masking and no longer.
 */
export class ScanMemo {
  #automaton: Automaton | undefined;
  readonly #hits = new Map<string, readonly Hit[]>();

  hits(automaton: Automaton, text: string, scan: () => readonly Hit[]): readonly Hit[] {
    if (this.#automaton !== automaton) {
      this.#hits.clear();
      this.#automaton = automaton;
    }
    let hits = this.#hits.get(text);
    if (hits === undefined) {
      hits = scan();
      this.#hits.set(text, hits);
    }
    return hits;
  }
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
    for (const needle of this.#origins.keys()) {
      const prefix = needle.slice(0, PREFIX);
      const needles = byPrefix.get(prefix);
      if (needles) needles.push(needle);
      else byPrefix.set(prefix, [needle]);
    }
    return { prefixes: new AhoCorasick([...byPrefix.keys()]), byPrefix };
  }

  /** Where each needle occurs in the text, whatever values it stands for. */
  #scan({ prefixes, byPrefix }: Automaton, text: string): readonly Hit[] {
    const hits = prefixes
      .matchInText(text)
      .flatMap(({ begin, keyword }) =>
        (byPrefix.get(keyword) ?? [])
          .filter((needle) => text.startsWith(needle, begin))
          .map((needle) => ({ begin, end: begin + needle.length, keyword: needle })),
      );
    return hits.length === 0 ? NO_HITS : hits;
  }

  /**
   * The text with every needle replaced, except those whose values are all `kept` (names of the
   * cluster's objects). Overlapping or adjacent hits become one mask. With a `memo`, a text already
   * scanned against the same needles is not scanned again.
   */
  mask(text: string, kept: (value: string) => boolean, memo?: ScanMemo): string {
    if (this.#origins.size === 0 || text.length < 2) return text;
    const automaton = (this.#automaton ??= this.#build());
    const found = memo
      ? memo.hits(automaton, text, () => this.#scan(automaton, text))
      : this.#scan(automaton, text);
    if (found.length === 0) return text;
    const hits = found
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
