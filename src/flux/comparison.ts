// What to compare of a Flux object between two clusters: the facts a person checks when one
// cluster behaves and the other does not (state, suspension, source and the revision it serves,
// chart version, path, interval) and a HelmRelease's inline values, flattened to paths.
import type { KubeObject } from "../kube/types.ts";
import { shortenDigests } from "./messages.ts";
import { readinessOf } from "./readiness.ts";
import { revisionsOf } from "./reconcile.ts";
import { describeRef, sourceReferenceOf } from "./sources.ts";

/** Values paths compared at most: a release's values can be thousands of lines. */
const MAX_VALUE_PATHS = 200;

export type Facts = Record<string, string>;

export function fluxFacts(object: KubeObject): Facts {
  const spec = (object.spec ?? {}) as {
    suspend?: boolean;
    interval?: string;
    path?: string;
    url?: string;
    ref?: unknown;
    version?: string;
    chart?: { spec?: { chart?: string; version?: string } };
  };
  const readiness = readinessOf(object);
  const source = sourceReferenceOf(object);
  const { current, attempted } = revisionsOf(object);
  const facts: Facts = {
    state: readiness.reason ? `${readiness.state} (${readiness.reason})` : readiness.state,
    suspended: readiness.state === "suspended" ? "yes" : "no",
  };
  if (source) facts.source = `${source.kind} ${source.namespace}/${source.name}`;
  if (spec.url) facts.url = spec.url;
  const ref = describeRef(spec.ref);
  if (ref) facts.ref = ref;
  if (spec.path) facts.path = spec.path;
  if (spec.chart?.spec?.chart)
    facts.chart = `${spec.chart.spec.chart} ${spec.chart.spec.version ?? "(any version)"}`;
  if (spec.interval) facts.interval = spec.interval;
  if (current) facts.revision = shortenDigests(current);
  if (attempted) facts.attemptedRevision = shortenDigests(attempted);
  return facts;
}

/** spec.values as `a.b[0].c` → value (scalars as YAML would print them), at most MAX_VALUE_PATHS. */
export function flatValues(object: KubeObject): Facts {
  const values = (object.spec as { values?: unknown } | undefined)?.values;
  const flat: Facts = {};
  const walk = (value: unknown, path: string) => {
    if (Object.keys(flat).length >= MAX_VALUE_PATHS) return;
    if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${path}[${index}]`));
    else if (typeof value === "object" && value !== null) {
      for (const [key, child] of Object.entries(value)) walk(child, path ? `${path}.${key}` : key);
    } else flat[path] = JSON.stringify(value);
  };
  if (values !== undefined) walk(values, "");
  return flat;
}

export interface FactDifference {
  field: string;
  left: string;
  right: string;
}

/** The fields whose values differ (a field one side lacks reads "(none)"), and those that agree. */
export function compareFacts(left: Facts, right: Facts): { differences: FactDifference[]; same: string[] } {
  const differences: FactDifference[] = [];
  const same: string[] = [];
  for (const field of new Set([...Object.keys(left), ...Object.keys(right)])) {
    const a = left[field] ?? "(none)";
    const b = right[field] ?? "(none)";
    if (a === b) same.push(`${field}: ${a}`);
    else differences.push({ field, left: a, right: b });
  }
  return { differences, same };
}
