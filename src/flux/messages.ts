// Condition messages and revisions made short the way `flux get` prints them: one line, and hex
// digests cut to 8 characters (`main@sha1:3f9c2d7e`), which still tell revisions apart.

const DIGEST = /\b(sha1|sha256|sha384|sha512):([0-9a-f]{8})[0-9a-f]+/g;

export function shortenDigests(text: string): string {
  return text.replace(DIGEST, "$1:$2");
}

/**
 * One line of at most `max` characters, whitespace runs collapsed, digests shortened. A long one
 * keeps its start and its end: Go errors wrap, so the context comes first and the root cause last.
 */
export function oneLine(text: string, max: number): string {
  const line = shortenDigests(text.replace(/\s+/g, " ").trim());
  if (line.length <= max) return line;
  const tail = Math.floor((max - 3) / 3);
  const head = max - 3 - tail;
  return `${line.slice(0, head).trimEnd()} … ${line.slice(line.length - tail).trimStart()}`;
}
