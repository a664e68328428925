// How text becomes search terms, the same way for documents and queries: words split on
// punctuation and camelCase (the whole word is kept too, so "DependencyNotReady" matches both
// itself and "dependency not ready"), lower-cased, stop words dropped, Porter-stemmed.
import { stemmer } from "stemmer";

const STOP_WORDS = new Set(
  (
    "a an and are as at be been but by can could do does did for from had has have how i if in into is it " +
    "its me my of on or our so than that the their them then there these they this those to was we were " +
    "what when where which while who why will with would you your " +
    // Words questions are phrased with, which say nothing about the subject.
    "able allow also any certain each every just like may might possible should some specific such want way"
  ).split(" "),
);

/** Short names and nicknames of Flux kinds that users type instead of the kind. */
const ALIASES: Readonly<Record<string, string>> = {
  hr: "helmrelease",
  ks: "kustomization",
  gitrepo: "gitrepository",
  ocirepo: "ocirepository",
  helmrepo: "helmrepository",
  hc: "helmchart",
  ea: "externalartifact",
  imgrepo: "imagerepository",
  imagerepo: "imagerepository",
  imgpol: "imagepolicy",
  imagepol: "imagepolicy",
  iua: "imageupdateautomation",
  rset: "resourceset",
  rsip: "resourcesetinputprovider",
};

const WORD = /[\p{L}\p{N}]+/gu;
const CAMEL_PARTS = /\p{Lu}+(?!\p{Ll})\p{N}*|\p{Lu}?\p{Ll}+\p{N}*|\p{N}+/gu;
const MIXED_CASE = /\p{Lu}.*\p{Ll}|\p{Ll}.*\p{Lu}/u;

/** Words of a text; a camelCase word also yields its parts. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const [word] of text.matchAll(WORD)) {
    tokens.push(word);
    const parts = MIXED_CASE.test(word) ? word.match(CAMEL_PARTS) : null;
    if (parts && parts.length > 1) tokens.push(...parts);
  }
  return tokens;
}

/**
 * The indexed forms of a word: its stem, and the word itself when that differs (typos are forgiven
 * against whole words, and an exact word scores above another form of it); null for words that
 * carry no meaning.
 */
export function normalizeTerm(token: string): string[] | null {
  const lower = token.toLowerCase();
  let forms = knownForms.get(lower);
  if (forms === undefined) {
    // Queries keep bringing new words: start over rather than grow without end.
    if (knownForms.size >= MAX_KNOWN_WORDS) knownForms.clear();
    forms = termForms(lower);
    knownForms.set(lower, forms);
  }
  return forms;
}

/** Stemming is the slow part of indexing, and a vocabulary is small: each word is stemmed once. */
const knownForms = new Map<string, string[] | null>();
const MAX_KNOWN_WORDS = 100_000;

/** Whether `word` is the whole-word form that normalizeTerm gives after the stem `stem`. */
export function isSecondForm(stem: string, word: string): boolean {
  const forms = knownForms.get(word);
  return forms?.length === 2 && forms[0] === stem && forms[1] === word;
}

function termForms(lower: string): string[] | null {
  if (lower.length < 2 && !/\d/.test(lower)) return null;
  if (STOP_WORDS.has(lower)) return null;
  const word = ALIASES[lower] ?? lower;
  const stem = stemmer(word);
  return stem === word ? [word] : [stem, word];
}

/**
 * Adjacent query words run together ("dependency not ready" gives "dependencynotready"), so that
 * a reason or field written in camelCase is found from its words.
 */
export function joinedWords(query: string): string[] {
  const words = [...query.matchAll(WORD)].map(([word]) => word.toLowerCase());
  const joined: string[] = [];
  for (let size = 2; size <= 4; size += 1) {
    for (let start = 0; start + size <= words.length; start += 1) {
      joined.push(words.slice(start, start + size).join(""));
    }
  }
  return joined;
}

/** A word of a query that carries meaning, with the forms normalizeTerm indexes it under. */
export interface QueryWord {
  text: string;
  forms: string[];
}

/** The distinct meaningful words of a query (stop words and single letters left out). */
export function queryWords(query: string): QueryWord[] {
  const words = new Map<string, QueryWord>();
  for (const [word] of query.matchAll(WORD)) {
    const text = word.toLowerCase();
    const forms = normalizeTerm(text);
    if (forms && !words.has(text)) words.set(text, { text, forms });
  }
  return [...words.values()];
}
