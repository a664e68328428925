// Merges an applied configuration over the live object the way server-side apply does: maps
// merge, keyed and set lists merge item by item, everything else (scalars, atomic lists and maps)
// is replaced. Untracked fields (identity, server-set metadata, out-of-scope status) keep their
// live values.
import type { KubeObject } from "../types.ts";
import { canonicalJson, cloneJson, isJsonObject, type JsonObject } from "./json-value.ts";
import { effectiveListType, isAtomicMap, itemKeyOf } from "./list-types.ts";
import { isTracked, type TrackingScope } from "./object-fields.ts";

export function mergeAppliedObject(
  live: KubeObject | undefined,
  applied: KubeObject,
  scope: TrackingScope,
): KubeObject {
  const result: JsonObject = live
    ? { ...cloneJson(live), apiVersion: applied.apiVersion, kind: applied.kind }
    : { apiVersion: applied.apiVersion, kind: applied.kind, metadata: identityOf(applied) };
  for (const [name, value] of Object.entries(applied)) {
    if (name === "metadata" && isJsonObject(value)) {
      if (isTracked(scope, "metadata")) result.metadata = mergeMetadata(result.metadata, value, scope);
    } else if (isTracked(scope, name)) {
      setOrDelete(result, name, value, [name], scope.builtIn);
    }
  }
  return result as KubeObject;
}

/** What a create through apply takes from the configuration besides the tracked fields. */
function identityOf(applied: KubeObject): JsonObject {
  const identity: JsonObject = {};
  for (const name of ["name", "namespace"]) {
    if (applied.metadata[name] !== undefined) identity[name] = applied.metadata[name];
  }
  return identity;
}

function mergeMetadata(live: unknown, applied: JsonObject, scope: TrackingScope): JsonObject {
  const result: JsonObject = isJsonObject(live) ? live : {};
  for (const [name, value] of Object.entries(applied)) {
    if (isTracked(scope, "metadata", name)) {
      setOrDelete(result, name, value, ["metadata", name], scope.builtIn);
    }
  }
  return result;
}

/** An applied null clears the field (a typed Kubernetes object cannot hold null either). */
function setOrDelete(
  target: JsonObject,
  name: string,
  applied: unknown,
  fieldPath: readonly string[],
  builtIn: boolean,
) {
  if (applied === null) delete target[name];
  else target[name] = mergeValue(target[name], applied, fieldPath, builtIn);
}

function mergeValue(
  live: unknown,
  applied: unknown,
  fieldPath: readonly string[],
  builtIn: boolean,
): unknown {
  if (Array.isArray(applied)) {
    const liveItems = Array.isArray(live) ? live : [];
    const listType = effectiveListType(fieldPath, [...liveItems, ...applied], builtIn);
    if (listType.kind === "map") {
      const identity = (item: unknown) => canonicalJson(itemKeyOf(listType, item));
      return interleave(liveItems, applied, identity, (liveItem, appliedItem) =>
        mergeValue(liveItem, appliedItem, fieldPath, builtIn),
      );
    }
    if (listType.kind === "set") {
      return interleave(liveItems, applied, canonicalJson, (_, item) => cloneJson(item));
    }
    return cloneJson(applied);
  }
  if (isJsonObject(applied) && !isAtomicMap(fieldPath, builtIn)) {
    const result: JsonObject = isJsonObject(live) ? cloneJson(live) : {};
    for (const [name, value] of Object.entries(applied)) {
      setOrDelete(result, name, value, [...fieldPath, name], builtIn);
    }
    return result;
  }
  return cloneJson(applied);
}

/**
 * Merged list order: applied items in applied order, live-only items kept where they were
 * relative to the applied items around them.
 */
function interleave(
  live: readonly unknown[],
  applied: readonly unknown[],
  identity: (item: unknown) => string,
  mergeItem: (liveItem: unknown, appliedItem: unknown) => unknown,
): unknown[] {
  const liveIndex = new Map(live.map((item, index) => [identity(item), index]));
  const appliedIds = new Set(applied.map(identity));
  const result: unknown[] = [];
  let nextLive = 0;
  const keepLiveOnlyItemsBefore = (end: number) => {
    for (; nextLive < end; nextLive++) {
      const item = live[nextLive];
      if (!appliedIds.has(identity(item))) result.push(cloneJson(item));
    }
  };
  for (const item of applied) {
    const index = liveIndex.get(identity(item));
    if (index !== undefined) keepLiveOnlyItemsBefore(index + 1);
    result.push(mergeItem(index === undefined ? undefined : live[index], item));
  }
  keepLiveOnlyItemsBefore(live.length);
  return result;
}
