// Tools keep accepting the reference's older parameter names beside the current ones; a call that
// gives both with different values is refused rather than guessed at.

/** A parameter's current name and value, and its older name and value. */
export type RenamedParameter = readonly [
  name: string,
  value: unknown,
  olderName: string,
  olderValue: unknown,
];

/** The one-line complaint when a parameter and its older name disagree, else undefined. */
export function disagreeingNames(parameters: readonly RenamedParameter[]): string | undefined {
  for (const [name, value, olderName, olderValue] of parameters) {
    if (value !== undefined && olderValue !== undefined && value !== olderValue) {
      return `${name} ${JSON.stringify(value)} and ${olderName} ${JSON.stringify(olderValue)} disagree: give only ${name}`;
    }
  }
  return undefined;
}
