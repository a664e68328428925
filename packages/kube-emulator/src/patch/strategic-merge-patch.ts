// Strategic merge patch (application/strategic-merge-patch+json), kubectl's default patch for
// built-in kinds. Kubernetes drives it from Go struct tags; we approximate them with the field
// names in list-types.ts: merge-patch semantics, except keyed lists merge item by item, primitive
// "merge" lists (finalizers) merge as sets, and the $-directives below steer the merge.
import { isBuiltInGroup } from "../resources/builtin-groups.ts";
import { canonicalJson, cloneJson, isJsonObject, jsonEqual, type JsonObject } from "./json-value.ts";
import { declaredListType } from "./list-types.ts";
import { INVALID_REQUEST_MESSAGE, PatchError } from "./patch-error.ts";

/** Custom resources have no Go types to read merge keys from, so Kubernetes answers them 415. */
export function isStrategicMergeSupported(group: string): boolean {
  return isBuiltInGroup(group);
}

/** kube-apiserver's 415 message when a custom resource is sent a strategic merge patch. */
export const STRATEGIC_MERGE_UNSUPPORTED_MESSAGE =
  "the body of the request was in an unknown format - accepted media types include: " +
  "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml";

const PATCH = "$patch";
const RETAIN_KEYS = "$retainKeys";
const SET_ELEMENT_ORDER = "$setElementOrder/";
const DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";

/** Returned by mergeMap for `$patch: delete`: the parent drops the map. */
const DELETED = Symbol("deleted");

/** Applies `patch` to `target` and returns the result; neither input is modified. */
export function applyStrategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return cloneJson(patch);
  const merged = mergeMap(isJsonObject(target) ? target : {}, patch, []);
  return merged === DELETED ? {} : merged;
}

function mergeMap(
  target: JsonObject,
  patch: JsonObject,
  fieldPath: readonly string[],
): JsonObject | typeof DELETED {
  const directive = patch[PATCH];
  if (directive === "delete") return DELETED;
  if (directive === "replace") return mergeMap({}, withoutKey(patch, PATCH), fieldPath);
  if (directive !== undefined && directive !== "merge") {
    throw new PatchError(
      `unknown patch type: ${JSON.stringify(directive)} in map: ${canonicalJson(patch)}`,
      500,
    );
  }

  const result = cloneJson(target);
  const retainKeys = directiveList(patch, RETAIN_KEYS, "invalid patch format of retainKeys");
  if (retainKeys) retainOnly(result, patch, retainKeys);

  for (const [key, values] of directivesWithPrefix(patch, DELETE_FROM_PRIMITIVE_LIST, "primitive list")) {
    const list = result[key];
    if (Array.isArray(list)) {
      result[key] = list.filter((item) => !values.some((value) => jsonEqual(value, item)));
    }
  }

  for (const [key, value] of Object.entries(patch)) {
    if (isDirectiveKey(key)) continue;
    const childPath = [...fieldPath, key];
    if (value === null) {
      delete result[key];
    } else if (isJsonObject(value)) {
      const current = result[key];
      const merged = mergeMap(isJsonObject(current) ? current : {}, value, childPath);
      if (merged === DELETED) delete result[key];
      else result[key] = merged;
    } else if (Array.isArray(value)) {
      result[key] = mergeList(result[key], value, childPath);
    } else {
      result[key] = value;
    }
  }

  for (const [key, order] of directivesWithPrefix(patch, SET_ELEMENT_ORDER, "setElementOrder list")) {
    const list = result[key];
    if (Array.isArray(list)) result[key] = reorder(list, order, identityFor([...fieldPath, key], list));
  }
  return result;
}

function mergeList(target: unknown, patch: readonly unknown[], fieldPath: readonly string[]): unknown[] {
  const original = Array.isArray(target) ? target : [];
  // A `{"$patch": "replace"}` item replaces the list with the patch's other items.
  if (patch.some((item) => isJsonObject(item) && item[PATCH] === "replace")) {
    return cleanItems(
      patch.filter((item) => !(isJsonObject(item) && item[PATCH] === "replace")),
      fieldPath,
    );
  }
  const listType = declaredListType(fieldPath, [...original, ...patch], true);
  if (listType.kind === "map" && patch.every(isJsonObject)) {
    return mergeKeyedList(original, patch, listType.keys[0] ?? "name", fieldPath);
  }
  if (listType.kind === "set") {
    const merged = cloneJson(original);
    for (const value of patch) {
      if (!merged.some((item) => jsonEqual(item, value))) merged.push(cloneJson(value));
    }
    return merged;
  }
  return cleanItems(patch, fieldPath);
}

function mergeKeyedList(
  original: readonly unknown[],
  patch: readonly JsonObject[],
  mergeKey: string,
  fieldPath: readonly string[],
): unknown[] {
  const result = cloneJson([...original]);
  for (const item of patch) {
    const keyValue = item[mergeKey];
    if (keyValue === undefined) {
      throw new PatchError(
        `map: ${canonicalJson(item)} does not contain declared merge key: ${mergeKey}`,
        500,
      );
    }
    const index = result.findIndex(
      (existing) => isJsonObject(existing) && jsonEqual(existing[mergeKey], keyValue),
    );
    const existing = index === -1 ? {} : result[index];
    const merged = mergeMap(isJsonObject(existing) ? existing : {}, item, fieldPath);
    if (merged === DELETED) {
      if (index !== -1) result.splice(index, 1);
    } else if (index === -1) {
      result.push(merged);
    } else {
      result[index] = merged;
    }
  }
  return result;
}

/** Items of a replaced list keep their values but lose directives and null fields. */
function cleanItems(items: readonly unknown[], fieldPath: readonly string[]): unknown[] {
  const cleaned: unknown[] = [];
  for (const item of items) {
    if (!isJsonObject(item)) cleaned.push(cloneJson(item));
    else {
      const merged = mergeMap({}, item, fieldPath);
      if (merged !== DELETED) cleaned.push(merged);
    }
  }
  return cleaned;
}

/**
 * `$setElementOrder`: the items it names take the positions such items already occupy, in its
 * order; items it does not name (known only to the server) stay where they are.
 */
function reorder(
  list: readonly unknown[],
  order: readonly unknown[],
  identity: (item: unknown) => string,
): unknown[] {
  const rank = new Map(order.map((item, index) => [identity(item), index]));
  const slots = list.flatMap((item, index) => (rank.has(identity(item)) ? [index] : []));
  const ordered = slots
    .map((slot) => list[slot])
    .sort((left, right) => (rank.get(identity(left)) ?? 0) - (rank.get(identity(right)) ?? 0));
  const result = [...list];
  slots.forEach((slot, position) => (result[slot] = ordered[position]));
  return result;
}

/** What identifies an item of the list at `fieldPath` for `$setElementOrder`: its merge key or itself. */
function identityFor(fieldPath: readonly string[], items: readonly unknown[]): (item: unknown) => string {
  const listType = declaredListType(fieldPath, items, true);
  const mergeKey = listType.kind === "map" ? listType.keys[0] : undefined;
  return (item) => canonicalJson(mergeKey !== undefined && isJsonObject(item) ? item[mergeKey] : item);
}

/** `$retainKeys`: fields of the target not listed are cleared; the patch may only set listed ones. */
function retainOnly(result: JsonObject, patch: JsonObject, retainKeys: readonly unknown[]): void {
  const retained = new Set(retainKeys.map(String));
  for (const key of Object.keys(patch)) {
    if (!isDirectiveKey(key) && patch[key] !== null && !retained.has(key)) {
      throw new PatchError("patch content doesn't match retainKeys list", 422, INVALID_REQUEST_MESSAGE);
    }
  }
  for (const key of Object.keys(result)) if (!retained.has(key)) delete result[key];
}

function directiveList(patch: JsonObject, key: string, badFormat: string): unknown[] | undefined {
  const value = patch[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new PatchError(badFormat, 400);
  return value;
}

/** The `$<directive>/<field>` entries of a patch, as [field, list] pairs. */
function directivesWithPrefix(patch: JsonObject, prefix: string, what: string): [string, unknown[]][] {
  return Object.keys(patch)
    .filter((key) => key.startsWith(prefix))
    .map((key) => [
      key.slice(prefix.length),
      directiveList(patch, key, `invalid patch format of ${what}`) ?? [],
    ]);
}

function isDirectiveKey(key: string): boolean {
  return (
    key === PATCH ||
    key === RETAIN_KEYS ||
    key.startsWith(SET_ELEMENT_ORDER) ||
    key.startsWith(DELETE_FROM_PRIMITIVE_LIST)
  );
}

function withoutKey(object: JsonObject, key: string): JsonObject {
  const { [key]: _removed, ...rest } = object;
  return rest;
}
