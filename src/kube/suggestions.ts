// "Did you mean" candidates for a name nobody serves: the known names closest to what was typed.

/** Kind, resource and short names are DNS labels: at most this long, letters, digits and dashes. */
const PLAUSIBLE_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/i;

/**
 * Known names close to `typed` (case-insensitive), closest first. Only for input that could be such
 * a name: the edit distance costs the product of both lengths, for every known name.
 */
export function closeNames(typed: string, known: readonly string[]): string[] {
  if (!PLAUSIBLE_NAME.test(typed)) return [];
  const wanted = typed.toLowerCase();
  const limit = Math.max(1, Math.floor(wanted.length / 3));
  const scored = [...new Set(known)].flatMap((name) => {
    const lower = name.toLowerCase();
    const distance = lower.startsWith(wanted) || wanted.startsWith(lower) ? 0.5 : editDistance(wanted, lower);
    return distance <= limit && lower.length > 1 ? [{ name, distance }] : [];
  });
  return scored.sort((a, b) => a.distance - b.distance).map(({ name }) => name);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] as number;
}
