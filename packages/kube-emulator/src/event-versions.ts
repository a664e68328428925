// core/v1 Event ⇄ events.k8s.io/v1 Event. Kubernetes keeps both in one storage (core/v1) and
// converts on the way in and out of the events.k8s.io resource. Each direction writes its output the
// way Go's JSON encoding of that type does: fields Go always writes are always present
// (`eventTime: null`, `reportingComponent: ""`, `regarding: {}`), empty `omitempty` ones are left out.
// Real events therefore survive a round trip unchanged.
import type { KubeObject } from "./types.ts";

export function toEventsV1(core: KubeObject): KubeObject {
  const event: KubeObject = { apiVersion: "events.k8s.io/v1", kind: "Event", metadata: clone(core.metadata) };
  event.eventTime = timestamp(core.eventTime);
  setPresent(event, "series", core.series);
  setNonEmpty(event, "reportingController", core.reportingComponent);
  setNonEmpty(event, "reportingInstance", core.reportingInstance);
  setNonEmpty(event, "action", core.action);
  setNonEmpty(event, "reason", core.reason);
  event.regarding = struct(core.involvedObject);
  setPresent(event, "related", core.related);
  setNonEmpty(event, "note", core.message);
  setNonEmpty(event, "type", core.type);
  event.deprecatedSource = struct(core.source);
  event.deprecatedFirstTimestamp = timestamp(core.firstTimestamp);
  event.deprecatedLastTimestamp = timestamp(core.lastTimestamp);
  setNonEmpty(event, "deprecatedCount", core.count);
  return event;
}

export function toCoreEvent(event: KubeObject): KubeObject {
  const core: KubeObject = { apiVersion: "v1", kind: "Event", metadata: clone(event.metadata) };
  core.involvedObject = struct(event.regarding);
  setNonEmpty(core, "reason", event.reason);
  setNonEmpty(core, "message", event.note);
  core.source = struct(event.deprecatedSource);
  core.firstTimestamp = timestamp(event.deprecatedFirstTimestamp);
  core.lastTimestamp = timestamp(event.deprecatedLastTimestamp);
  setNonEmpty(core, "count", event.deprecatedCount);
  setNonEmpty(core, "type", event.type);
  core.eventTime = timestamp(event.eventTime);
  setPresent(core, "series", event.series);
  setNonEmpty(core, "action", event.action);
  setPresent(core, "related", event.related);
  core.reportingComponent = typeof event.reportingController === "string" ? event.reportingController : "";
  core.reportingInstance = typeof event.reportingInstance === "string" ? event.reportingInstance : "";
  return core;
}

const clone = <T>(value: T): T => structuredClone(value);

/** An `omitempty` scalar: written unless it is the zero value. */
function setNonEmpty(target: KubeObject, field: string, value: unknown): void {
  if (value !== undefined && value !== null && value !== "" && value !== 0) target[field] = clone(value);
}

/** A Go pointer: written when set, whatever it points at. */
function setPresent(target: KubeObject, field: string, value: unknown): void {
  if (value !== undefined && value !== null) target[field] = clone(value);
}

/** metav1.Time and MicroTime encode their zero value as null. */
function timestamp(value: unknown): unknown {
  return value === undefined || value === null || value === "" ? null : value;
}

/** A struct-valued field is always encoded, as `{}` when empty. */
function struct(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? clone(value as Record<string, unknown>)
    : {};
}
