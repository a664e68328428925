// The full-text index over document sections: MiniSearch (BM25+ ranking, prefix and fuzzy terms)
// with our tokenizer and stemmer. Headings and titles weigh more than body text; documents enter
// and leave the index as a whole, under a key.
import MiniSearch, { type Query } from "minisearch";
import { sectionBody, type Doc, type DocSection } from "./markdown.ts";
import { type QueryWord, isSecondForm, joinedWords, normalizeTerm, queryWords, tokenize } from "./terms.ts";

export interface SectionHit {
  doc: Doc;
  section: DocSection;
  score: number;
  /**
   * How much of the query the section matches, 0 to 1: the share of the query's words it contains
   * (a word matched only as a possible typo counts half).
   */
  coverage: number;
}

interface Entry {
  id: string;
  key: string;
  doc: Doc;
  section: DocSection;
  body: string;
}

export interface SectionIndex {
  /** Indexes the sections of `doc` under `key`, once: a key already indexed is left as it is. */
  add(key: string, doc: Doc): void;
  remove(key: string): void;
  /** The best sections of the documents `accept` lets through (by key and path), best first. */
  search(query: string, accept: (key: string, doc: Doc) => boolean, limit: number): SectionHit[];
}

const FIELDS = ["title", "trail", "keywords", "body"] as const;
/** How many of the best matches are re-ranked by phrase. */
const RERANKED = 60;
/** Shortest run of query words that counts as a phrase (a two-word query counts whole). */
const MIN_PHRASE_WORDS = 3;
const BOOST = { title: 1.5, trail: 3, keywords: 0.5, body: 1 };

export function createSectionIndex(): SectionIndex {
  const entries = new Map<string, Entry>();
  const idsByKey = new Map<string, string[]>();
  const search = new MiniSearch<Entry>({
    fields: [...FIELDS],
    extractField: (entry, field) => {
      switch (field as (typeof FIELDS)[number] | "id") {
        case "id":
          return entry.id;
        case "title":
          return entry.doc.title;
        case "trail":
          return entry.section.trail.join(" ");
        case "keywords":
          // Weighed lightly: a document's keywords favour all of its sections a little.
          return entry.doc.keywords;
        case "body":
          return entry.body;
      }
    },
    tokenize,
    processTerm: normalizeTerm,
    searchOptions: {
      boost: BOOST,
      // One typo forgiven from four letters on, two from eight; shorter words must match exactly.
      fuzzy: (term) => (term.length >= 8 ? 2 : term.length >= 4 ? 1 : false),
      prefix: (term) => term.length >= 4,
      weights: { fuzzy: 0.3, prefix: 0.3 },
      boostTerm: halveWordForms,
      boostDocument: (id: string) => entries.get(id)?.doc.weight ?? 1,
    },
  });

  return {
    add(key, doc) {
      if (idsByKey.has(key)) return;
      const added: Entry[] = [];
      doc.sections.forEach((section, index) => {
        const body = sectionBody(doc, section).text;
        if (body) added.push({ id: `${key}#${index}`, key, doc, section, body });
      });
      for (const entry of added) entries.set(entry.id, entry);
      idsByKey.set(
        key,
        added.map((entry) => entry.id),
      );
      search.addAll(added);
    },
    remove(key) {
      const ids = idsByKey.get(key) ?? [];
      search.discardAll(ids);
      for (const id of ids) entries.delete(id);
      idsByKey.delete(key);
    },
    search(query, accept, limit) {
      const joined = joinedWords(query);
      const combined: Query = joined.length > 0 ? { combineWith: "OR", queries: [query, ...joined] } : query;
      const results = search.search(combined, {
        filter: (result) => {
          const entry = entries.get(result.id as string);
          return entry !== undefined && accept(entry.key, entry.doc);
        },
      });
      const words = phraseWords(query);
      const paths = fieldPaths(query);
      const asked = queryWords(query);
      const ranked = results
        .slice(0, RERANKED)
        .flatMap((result) => {
          const entry = entries.get(result.id as string);
          if (!entry) return [];
          return [
            {
              entry,
              score: result.score * phraseBonus(words, entry) * fieldPathBonus(paths, entry),
              coverage: coverage(asked, result.queryTerms, result.terms),
            },
          ];
        })
        .sort((a, b) => b.score - a.score);
      // Kinds share field types (conditions, inventory, kubeConfig): one copy of a text is enough.
      const seen = new Set<string>();
      const hits: SectionHit[] = [];
      for (const { entry, score, coverage } of ranked) {
        if (hits.length === limit) break;
        if (seen.has(entry.body)) continue;
        seen.add(entry.body);
        hits.push({ doc: entry.doc, section: entry.section, score, coverage });
      }
      return hits;
    },
  };
}

/**
 * The share of the asked words a result matched: a word counts when one of its indexed forms, or a
 * run of words containing it ("dependencynotready"), matched exactly or as a prefix; half when it
 * matched only as a possible typo.
 */
function coverage(
  asked: readonly QueryWord[],
  queryTerms: readonly string[],
  docTerms: readonly string[],
): number {
  if (asked.length === 0) return 0;
  const matched = new Set(queryTerms);
  const found = new Set(docTerms);
  let total = 0;
  for (const word of asked) {
    const forms = word.forms.filter((form) => matched.has(form));
    const joined = [...matched].some((term) => term.length > word.text.length && term.includes(word.text));
    if (forms.length === 0 && !joined) continue;
    const exact =
      joined || forms.some((form) => found.has(form) || docTerms.some((term) => term.startsWith(form)));
    total += exact ? 1 : 0.5;
  }
  return total / asked.length;
}

function phraseWords(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * Pasted error messages and exact wording rank first: a section containing the longest run of the
 * query's words in order gets up to twice its score.
 */
function phraseBonus(words: readonly string[], entry: Entry): number {
  const shortest = Math.min(MIN_PHRASE_WORDS, words.length);
  if (shortest < 2) return 1;
  const text = ` ${phraseWords(`${entry.section.trail.join(" ")} ${entry.body}`).join(" ")} `;
  for (let size = words.length; size >= shortest; size -= 1) {
    for (let start = 0; start + size <= words.length; start += 1) {
      if (text.includes(` ${words.slice(start, start + size).join(" ")} `)) return 1 + size / words.length;
    }
  }
  return 1;
}

/** Dotted field paths in a query, e.g. `spec.install.remediation.retries`, without list markers. */
function fieldPaths(query: string): string[] {
  return (query.match(/[A-Za-z]\w*(?:\[\])?(?:\.[A-Za-z]\w*(?:\[\])?)+/g) ?? []).map(fieldPath);
}

function fieldPath(text: string): string {
  return text.toLowerCase().replace(/\[\]|\.\*/g, "");
}

/**
 * A schema section named by a field path asked for, or by one of its parents, ranks up: the deeper
 * the match, the more (the section of `spec.install.remediation` answers `…remediation.retries`).
 */
function fieldPathBonus(paths: readonly string[], entry: Entry): number {
  const heading = entry.section.trail.at(-1);
  if (paths.length === 0 || heading === undefined) return 1;
  const section = fieldPath(heading);
  let best = 1;
  for (const path of paths) {
    if (path === section || path.startsWith(`${section}.`)) {
      const depth = section.split(".").length / path.split(".").length;
      best = Math.max(best, 1 + 2 * depth * depth);
    }
  }
  return best;
}

/**
 * A query word indexed in two forms (stem and word) would otherwise count twice as much as a word
 * whose stem is itself: each form counts half.
 */
function halveWordForms(term: string, index: number, terms: string[]): number {
  const next = terms[index + 1];
  const previous = terms[index - 1];
  const paired =
    (next !== undefined && isSecondForm(term, next)) ||
    (previous !== undefined && isSecondForm(previous, term));
  return paired ? 0.5 : 1;
}
