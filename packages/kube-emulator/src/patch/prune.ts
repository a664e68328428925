// Removes the fields an applier stopped applying: what it owned last time, no longer declares, and
// nobody else owns. Fields below a removed map or item go with it, unless someone owns them.
import { isJsonObject, type JsonObject } from "./json-value.ts";
import { hasDescendant, sortedPaths, type FieldPath, type FieldSet, pathKey } from "./field-set.ts";
import { locateField, valueAt } from "./object-fields.ts";

/** Mutates `object`: removes `fields` except what `owned` still covers, then maps and lists left empty. */
export function pruneFields(object: JsonObject, fields: FieldSet, owned: FieldSet, builtIn: boolean): void {
  const emptied = new Map<string, FieldPath>();
  const removes = (path: FieldPath) => fields.has(pathKey(path)) && !hasDescendant(owned, path);
  // Parents first: a removed item takes its fields along, and items are found by their key fields.
  for (const path of sortedPaths(fields)) {
    if (!removes(path) || isKeyOfKeptItem(path, removes)) continue;
    if (!removeField(object, path, builtIn)) continue;
    for (let length = path.length - 1; length > 0; length--) {
      const parent = path.slice(0, length);
      emptied.set(pathKey(parent), parent);
    }
  }
  const parents = [...emptied.values()].sort((left, right) => right.length - left.length);
  for (const parent of parents) {
    if (owned.has(pathKey(parent)) || (parent.length === 1 && parent[0] === "f:metadata")) continue;
    const location = locateField(object, parent, builtIn);
    if (!location) continue;
    if (isEmptyContainer(valueAt(location))) removeAt(location.container, location.at);
  }
}

/** A keyed item that stays keeps its key fields, whoever owned them. */
function isKeyOfKeptItem(path: FieldPath, removes: (path: FieldPath) => boolean): boolean {
  const parent = path.at(-2);
  const last = path.at(-1);
  if (parent === undefined || last === undefined || !parent.startsWith("k:") || !last.startsWith("f:")) {
    return false;
  }
  if (removes(path.slice(0, -1))) return false;
  const key: unknown = JSON.parse(parent.slice(2));
  return isJsonObject(key) && Object.hasOwn(key, last.slice(2));
}

function removeField(object: JsonObject, path: FieldPath, builtIn: boolean): boolean {
  const location = locateField(object, path, builtIn);
  if (!location) return false;
  removeAt(location.container, location.at);
  return true;
}

function removeAt(container: JsonObject | unknown[], at: string | number): void {
  if (Array.isArray(container)) container.splice(at as number, 1);
  else delete container[at as string];
}

function isEmptyContainer(value: unknown): boolean {
  return (
    (Array.isArray(value) && value.length === 0) || (isJsonObject(value) && Object.keys(value).length === 0)
  );
}
