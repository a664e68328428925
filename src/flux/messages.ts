// Condition messages and revisions made short the way `flux get` prints them: one line, and hex
// digests cut to 8 characters (`main@sha1:3f9c2d7e`), which still tell revisions apart.

const DIGEST = /\b(sha1|sha256|sha384|sha512):([0-9a-f]{8})[0-9a-f]+/g;

export function shortenDigests(text: string): string {
  return text.replace(DIGEST, "$1:$2");
}

/** What stands for the part of a message left out. */
export const ELLIPSIS = " … ";
/** Where an answer with shortened messages says the whole ones are. */
export const SHORTENED_NOTE =
  "messages with … are shortened; get_kubernetes_resources with the object's apiVersion, kind, name and namespace shows them whole (status.conditions)";
/** Where a message may be cut: after a sentence or a field (". ", "; ", ": ", ", "), or a line. */
const BOUNDARY = /(?<=[.;:,!?)\]])\s+/;

/**
 * One line of at most `max` characters, whitespace runs collapsed, digests shortened. A long one
 * keeps its start and its end (Go errors wrap: the context comes first and the root cause last) and
 * drops whole sentences or fields in between, so no name, path or value is cut in two; a piece too
 * long to keep whole is cut at a space.
 */
export function oneLine(text: string, max: number): string {
  const line = shortenDigests(text.replace(/\s+/g, " ").trim());
  if (line.length <= max) return line;
  const pieces = line.split(BOUNDARY);
  const room = max - ELLIPSIS.length;
  const headRoom = Math.ceil(room * 0.6);
  let head = "";
  let first = 0;
  while (first < pieces.length) {
    const next = head === "" ? (pieces[first] as string) : `${head} ${pieces[first] as string}`;
    if (next.length > headRoom) break;
    head = next;
    first++;
  }
  if (head === "") head = cutAtSpace(pieces[0] as string, headRoom, "head");
  let tail = "";
  for (let last = pieces.length - 1; last >= first; last--) {
    const next = tail === "" ? (pieces[last] as string) : `${pieces[last] as string} ${tail}`;
    if (head.length + next.length > room) break;
    tail = next;
  }
  if (tail === "") tail = cutAtSpace(pieces.at(-1) as string, room - head.length, "tail");
  return `${head}${ELLIPSIS}${tail}`.trim();
}

/** At most `length` characters of the text's end or start, cut at a space (at worst, mid-word). */
function cutAtSpace(text: string, length: number, keep: "head" | "tail"): string {
  if (text.length <= length) return text;
  if (keep === "head") {
    const cut = text.slice(0, length);
    const space = cut.lastIndexOf(" ");
    return space > length / 2 ? cut.slice(0, space) : cut;
  }
  const cut = text.slice(text.length - length);
  const space = cut.indexOf(" ");
  return space >= 0 && space < length / 2 ? cut.slice(space + 1) : cut;
}
