// The order in which Kubernetes prefers API versions.

const versionPattern = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/**
 * Kubernetes version priority: GA before beta before alpha, higher numbers first, and versions
 * that do not look like Kubernetes versions last, alphabetically.
 */
export function compareVersionNames(a: string, b: string): number {
  const rank = (version: string): [number, number, number] | undefined => {
    const match = versionPattern.exec(version);
    if (!match) return undefined;
    const stability = match[2] === undefined ? 3 : match[2] === "beta" ? 2 : 1;
    return [stability, Number(match[1]), Number(match[3] ?? 0)];
  };
  const left = rank(a);
  const right = rank(b);
  if (!left || !right) return left ? -1 : right ? 1 : a.localeCompare(b);
  for (let index = 0; index < 3; index++) {
    const difference = (right[index] as number) - (left[index] as number);
    if (difference !== 0) return difference;
  }
  return 0;
}
