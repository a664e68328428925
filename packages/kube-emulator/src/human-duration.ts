// Kubernetes-style short durations ("45s", "3m20s", "5h", "3d2h", "2y10d"), as kube-apiserver
// renders AGE cells and kubectl prints them. The rules keep two or three significant figures:
// the coarser the unit, the later a second unit is dropped.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

/** Renders a duration in milliseconds the way k8s.io/apimachinery's HumanDuration does. */
export function humanDuration(milliseconds: number): string {
  const seconds = Math.trunc(milliseconds / SECOND);
  // A clock up to two seconds ahead of ours still counts as "now".
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 2 * 60) return `${seconds}s`;

  const minutes = Math.trunc(milliseconds / MINUTE);
  if (minutes < 10) return withRemainder(minutes, "m", seconds % 60, "s");
  if (minutes < 3 * 60) return `${minutes}m`;

  const hours = Math.trunc(milliseconds / HOUR);
  if (hours < 8) return withRemainder(hours, "h", minutes % 60, "m");
  if (hours < 48) return `${hours}h`;

  const days = Math.trunc(milliseconds / DAY);
  if (hours < 8 * 24) return withRemainder(days, "d", hours % 24, "h");
  if (days < 2 * 365) return `${days}d`;

  const years = Math.trunc(milliseconds / YEAR);
  if (days < 8 * 365) return withRemainder(years, "y", days % 365, "d");
  return `${years}y`;
}

function withRemainder(value: number, unit: string, remainder: number, remainderUnit: string): string {
  return remainder === 0 ? `${value}${unit}` : `${value}${unit}${remainder}${remainderUnit}`;
}

/**
 * The age of a timestamp at `now`, as kube-apiserver prints it: "<unknown>" when the timestamp
 * is missing or unparseable (Kubernetes' zero time), otherwise a human duration.
 */
export function ageSince(timestamp: unknown, now: Date): string {
  const time = parseTimestamp(timestamp);
  return time === undefined ? "<unknown>" : humanDuration(now.getTime() - time);
}

/** Milliseconds since the epoch of an RFC 3339 timestamp, or undefined when absent or invalid. */
export function parseTimestamp(timestamp: unknown): number | undefined {
  if (typeof timestamp !== "string" || !RFC3339.test(timestamp)) return undefined;
  const time = Date.parse(timestamp);
  return Number.isNaN(time) ? undefined : time;
}

// Date.parse alone accepts far more than Kubernetes does (e.g. "2024"), so require RFC 3339.
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
