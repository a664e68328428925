// Ages as tools print them ("5m", "3h12m"); durations as tools take them are in ../params/duration.ts.

/**
 * How long ago, in the fewest characters that still order events: seconds up to 2 minutes, minutes
 * up to 2 hours, hours and minutes up to 10 hours, then hours up to 2 days, then days.
 */
export function formatAge(milliseconds: number): string {
  const seconds = Math.max(0, Math.floor(milliseconds / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 10) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}
