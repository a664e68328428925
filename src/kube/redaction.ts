// Replaces Secret values wherever they appear in a text. One left-to-right pass with a rolling hash
// over a fixed-width window finds candidate positions in time linear in the text, whatever the
// number of values; the longest value matching at a position wins.

export const REDACTED = "****";

interface Matcher {
  width: number;
  /** Values by the hash of their first `width` characters, longest first. */
  byPrefixHash: Map<number, string[]>;
  /** Which hashes (masked) occur at all: most positions are ruled out without a Map lookup. */
  candidateHashes: Uint8Array;
  /** The size of the set it was built from: a set that changed gets a new matcher. */
  size: number;
}

const BASE = 31;
const WINDOW = 8;
const FILTER_BITS = 18;
const FILTER_MASK = (1 << FILTER_BITS) - 1;
const matchers = new WeakMap<ReadonlySet<string>, Matcher>();

export function redactSecretValues(text: string, values: ReadonlySet<string>): string {
  if (values.size === 0 || text === "") return text;
  let matcher = matchers.get(values);
  if (matcher?.size !== values.size) {
    matcher = buildMatcher(values);
    matchers.set(values, matcher);
  }
  const { width, byPrefixHash, candidateHashes } = matcher;
  if (width === 0 || text.length < width) return text;

  // BASE^(width-1), to drop the character leaving the window.
  let highPower = 1;
  for (let index = 1; index < width; index++) highPower = Math.imul(highPower, BASE);
  let hash = hashOf(text, 0, width);
  let output = "";
  let copiedUpTo = 0;
  let position = 0;
  while (position + width <= text.length) {
    const match =
      candidateHashes[hash & FILTER_MASK] === 1
        ? byPrefixHash.get(hash)?.find((value) => text.startsWith(value, position))
        : undefined;
    if (match !== undefined) {
      output += text.slice(copiedUpTo, position) + REDACTED;
      position += match.length;
      copiedUpTo = position;
      if (position + width <= text.length) hash = hashOf(text, position, width);
      continue;
    }
    if (position + width < text.length) {
      hash =
        (Math.imul(hash - Math.imul(text.charCodeAt(position), highPower), BASE) +
          text.charCodeAt(position + width)) |
        0;
    }
    position++;
  }
  return copiedUpTo === 0 ? text : output + text.slice(copiedUpTo);
}

function buildMatcher(values: ReadonlySet<string>): Matcher {
  const present = [...values].filter((value) => value.length > 0);
  const width = Math.min(WINDOW, ...present.map((value) => value.length));
  const byPrefixHash = new Map<number, string[]>();
  const filter = new Uint8Array(1 << FILTER_BITS);
  for (const value of present.sort((a, b) => b.length - a.length)) {
    const hash = hashOf(value, 0, width);
    filter[hash & FILTER_MASK] = 1;
    const bucket = byPrefixHash.get(hash);
    if (bucket) bucket.push(value);
    else byPrefixHash.set(hash, [value]);
  }
  return {
    width: present.length === 0 ? 0 : width,
    byPrefixHash,
    candidateHashes: filter,
    size: values.size,
  };
}

function hashOf(text: string, start: number, width: number): number {
  let hash = 0;
  for (let index = start; index < start + width; index++)
    hash = (Math.imul(hash, BASE) + text.charCodeAt(index)) | 0;
  return hash;
}
