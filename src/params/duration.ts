// Durations as tool arguments take them: Go's time.ParseDuration syntax ("30s", "5m", "1h30m",
// "1.5h", "500ms"), which the reference's `since` arguments use, plus "d" for days because models
// often write "2d". The tool argument that takes one is durationArgument, in bounds.ts.
const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const TERM = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d)/y;

/** Milliseconds (negative with a leading "-"), or undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const sign = text.startsWith("-") ? -1 : 1;
  const body = text.startsWith("-") || text.startsWith("+") ? text.slice(1) : text;
  if (body === "0") return 0;
  let total = 0;
  let index = 0;
  while (index < body.length) {
    TERM.lastIndex = index;
    const match = TERM.exec(body);
    if (!match) return undefined;
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ""] ?? 0);
    index = TERM.lastIndex;
  }
  return index === 0 ? undefined : sign * total;
}

/** Whole seconds, rounded up, of a positive duration: what Kubernetes' sinceSeconds options take. */
export function durationSeconds(text: string): number | undefined {
  const milliseconds = parseDuration(text);
  return milliseconds === undefined || milliseconds <= 0 ? undefined : Math.ceil(milliseconds / 1000);
}
