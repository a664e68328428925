// A Flux object's readiness in a few words, shared by get_flux_instance and trace_kubernetes_resource:
// "failing (BuildFailed) for 19m", "suspended, last Ready True (UpgradeSucceeded) 3d ago".
import { oneLine, shortenDigests } from "./messages.ts";
import type { Readiness } from "./readiness.ts";
import { revisionsOf } from "./reconcile.ts";
import type { KubeObject } from "../kube/types.ts";
import { formatAge } from "../format/durations.ts";

export function statusText(readiness: Readiness, now: number): string {
  const reason = readiness.reason ? ` (${readiness.reason})` : "";
  const age = ageOf(readiness.since, now);
  switch (readiness.state) {
    case "static":
      return "static (no status to report)";
    case "pending":
      return "pending: waiting to be reconciled";
    case "suspended":
      return readiness.ready
        ? `suspended, last Ready ${readiness.ready}${reason}${age ? ` ${age} ago` : ""}`
        : "suspended";
    case "ready":
      return `ready${reason}`;
    default:
      return `${readiness.state}${reason}${age ? ` for ${age}` : ""}`;
  }
}

/** Why it is not ready, on one line: the message, then the failing condition behind a summary. */
export function problemText(readiness: Readiness, max: number): string | undefined {
  if (readiness.state === "ready" || readiness.state === "static" || !readiness.message) return undefined;
  const cause = readiness.cause ? ` — ${readiness.cause}` : "";
  return oneLine(`${readiness.message}${cause}`, max);
}

/** What the object runs and, when the last attempt tried something else, what that was. */
export function revisionFields(object: KubeObject): {
  lastAppliedRevision?: string;
  lastAttemptedRevision?: string;
} {
  const { current, attempted } = revisionsOf(object);
  return {
    ...(current && { lastAppliedRevision: shortenDigests(current) }),
    ...(attempted && { lastAttemptedRevision: shortenDigests(attempted) }),
  };
}

/** `Kind namespace/name`, or `Kind name` when cluster-scoped. */
export function objectName(object: {
  kind: string;
  metadata: { name?: string; namespace?: string };
}): string {
  const { name = "", namespace } = object.metadata;
  return `${object.kind} ${namespace ? `${namespace}/${name}` : name}`;
}

function ageOf(time: string | undefined, now: number): string | undefined {
  const parsed = time ? Date.parse(time) : NaN;
  return Number.isNaN(parsed) ? undefined : formatAge(now - parsed);
}
