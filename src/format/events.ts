// Core Events in the fewest tokens that keep the facts: one line each, "age type reason object:
// message (xN)", oldest first so the latest word is the last line a model reads.
import type { KubeObject } from "../kube/types.ts";
import { formatAge } from "./durations.ts";

export interface CompactEvent {
  /** When it last happened (ms since the epoch); NaN when the event carries no time. */
  time: number;
  type: string;
  reason: string;
  message: string;
  count: number;
  object: ObjectRef;
}

export interface ObjectRef {
  apiVersion?: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** The reason Flux gives every successful run: noise when looking for what went wrong. */
export const ROUTINE_FLUX_REASON = "ReconciliationSucceeded";

export function compactEvent(event: KubeObject): CompactEvent {
  const involved = record(event.involvedObject);
  const series = record(event.series);
  const apiVersion = text(involved.apiVersion);
  const namespace = text(involved.namespace);
  return {
    time: eventTime(event, series),
    type: text(event.type) ?? "Normal",
    reason: text(event.reason) ?? "",
    message: (text(event.message) ?? "").trim(),
    count: Math.max(number(series.count) ?? 0, number(event.count) ?? 1, 1),
    object: {
      ...(apiVersion && { apiVersion }),
      kind: text(involved.kind) ?? "",
      ...(namespace && { namespace }),
      name: text(involved.name) ?? "",
    },
  };
}

/** Oldest first; events without a time go first, in their original order. */
export function byTime(events: CompactEvent[]): CompactEvent[] {
  const timed = (event: CompactEvent) => (Number.isNaN(event.time) ? -Infinity : event.time);
  return [...events].sort((a, b) => timed(a) - timed(b));
}

/** `Kind/namespace/name`, or `Kind/name` for a cluster-scoped object: the form Flux messages use. */
export function formatRef(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
}

/**
 * `5m Warning HealthCheckFailed Kustomization/flux-system/apps: message (x3)`; without the object
 * when the caller says which object every line is about. Continuation lines of a message are indented.
 */
export function eventLine(event: CompactEvent, now: number, options: { withObject: boolean }): string {
  const age = Number.isNaN(event.time) ? "?" : formatAge(now - event.time);
  const object = options.withObject ? ` ${formatRef(event.object)}` : "";
  const count = event.count > 1 ? ` (x${event.count})` : "";
  const message = event.message.replace(/\s*\n\s*/g, "\n    ");
  return `${age} ${event.type} ${event.reason}${object}: ${message}${count}`;
}

// Newest known time: a series' last observation, else lastTimestamp, else eventTime, else creation.
function eventTime(event: KubeObject, series: Record<string, unknown>): number {
  const candidates = [
    series.lastObservedTime,
    event.lastTimestamp,
    event.eventTime,
    event.metadata.creationTimestamp,
    event.firstTimestamp,
  ];
  for (const candidate of candidates) {
    const time = typeof candidate === "string" ? Date.parse(candidate) : NaN;
    if (!Number.isNaN(time)) return time;
  }
  return NaN;
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function number(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}
