// Suggestions for a document path that does not exist: the known paths sharing the most segments
// with it (a segment a typo or two away counts), then the fewest edits away.

/** Segments this long may differ by two edits and still count as the same. */
const FUZZY_SEGMENT_LENGTH = 5;

export function closestPaths(wanted: string, known: readonly string[], count: number): string[] {
  const target = wanted.toLowerCase();
  const segments = target.split("/").filter(Boolean);
  return known
    .map((path) => {
      const lower = path.toLowerCase();
      const pathSegments = lower.split("/");
      const shared = segments.filter((segment) =>
        pathSegments.some((candidate) => sameSegment(segment, candidate)),
      ).length;
      return { path, shared, edits: editDistance(target, lower) };
    })
    .sort((a, b) => b.shared - a.shared || a.edits - b.edits || a.path.localeCompare(b.path))
    .slice(0, count)
    .map((candidate) => candidate.path);
}

function sameSegment(wanted: string, candidate: string): boolean {
  if (wanted === candidate) return true;
  return wanted.length >= FUZZY_SEGMENT_LENGTH && editDistance(wanted, candidate) <= 2;
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      row.push(Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, substitution));
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}
