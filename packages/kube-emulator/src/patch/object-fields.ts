// Walks an object as server-side apply sees it: which fields are tracked at all, the path of every
// node, and how two versions of an object differ field by field.
import { apiGroupOf } from "../flux-api.ts";
import { isBuiltInGroup } from "../resources/builtin-groups.ts";
import { canonicalJson, isJsonObject, jsonEqual, type JsonObject } from "./json-value.ts";
import { effectiveListType, isAtomicMap, itemKeyOf } from "./list-types.ts";
import {
  fieldElement,
  keyElement,
  pathKey,
  valueElement,
  type FieldPath,
  type FieldSet,
} from "./field-set.ts";

/** Which part of an object a write is about. */
export interface TrackingScope {
  /** Built-in kinds get schema-like list handling; custom resources the guesses in list-types.ts. */
  builtIn: boolean;
  /** A write to the status subresource tracks only `.status`. */
  subresource?: "status";
  /** A write to the main resource of a kind with a status subresource leaves `.status` alone. */
  ignoreStatus: boolean;
}

export function trackingScope(apiVersion: string, subresource: "status" | undefined, ignoreStatus: boolean) {
  const scope: TrackingScope = { builtIn: isBuiltInGroup(apiGroupOf(apiVersion)), ignoreStatus };
  if (subresource) scope.subresource = subresource;
  return scope;
}

/** Identity and server-set metadata: never owned by a manager, as in Kubernetes. */
const UNTRACKED_METADATA: ReadonlySet<string> = new Set([
  "name",
  "namespace",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "managedFields",
  "selfLink",
]);

/** True when a top-level field (and, for metadata, the given metadata field) is tracked. */
export function isTracked(scope: TrackingScope, topLevel: string, metadataField?: string): boolean {
  if (topLevel === "apiVersion" || topLevel === "kind") return false;
  if (scope.subresource === "status") return topLevel === "status";
  if (topLevel === "status" && scope.ignoreStatus) return false;
  return topLevel !== "metadata" || metadataField === undefined || !UNTRACKED_METADATA.has(metadataField);
}

/** leaf: compared by value; item: a keyed list item; map and list: containers of other nodes. */
type FieldNodeKind = "leaf" | "item" | "map" | "list";

interface FieldNode {
  path: FieldPath;
  value: unknown;
  kind: FieldNodeKind;
}

/** Every tracked node of an object by pathKey, parents before children. */
function fieldNodes(object: JsonObject, scope: TrackingScope): Map<string, FieldNode> {
  const nodes = new Map<string, FieldNode>();
  const add = (path: FieldPath, value: unknown, kind: FieldNodeKind) =>
    nodes.set(pathKey(path), { path, value, kind });

  const walkFields = (map: JsonObject, path: FieldPath, fieldPath: readonly string[]) => {
    for (const [name, value] of Object.entries(map)) {
      if (fieldPath.length === 0 && !isTracked(scope, name)) continue;
      if (fieldPath.length === 1 && fieldPath[0] === "metadata" && !isTracked(scope, "metadata", name)) {
        continue;
      }
      walkValue(value, [...path, fieldElement(name)], [...fieldPath, name]);
    }
  };

  const walkValue = (value: unknown, path: FieldPath, fieldPath: readonly string[]) => {
    if (Array.isArray(value)) {
      const listType = effectiveListType(fieldPath, value, scope.builtIn);
      if (listType.kind === "atomic") return add(path, value, "leaf");
      add(path, value, "list");
      for (const item of value) {
        if (listType.kind === "set") {
          add([...path, valueElement(item)], item, "leaf");
        } else {
          const itemPath = [...path, keyElement(itemKeyOf(listType, item) ?? {})];
          add(itemPath, item, "item");
          if (isJsonObject(item)) walkFields(item, itemPath, fieldPath);
        }
      }
    } else if (
      isJsonObject(value) &&
      Object.keys(value).length > 0 &&
      !isAtomicMap(fieldPath, scope.builtIn)
    ) {
      add(path, value, "map");
      walkFields(value, path, fieldPath);
    } else {
      add(path, value, "leaf");
    }
  };

  walkFields(object, [], []);
  return nodes;
}

/** What an applier declares it owns: every leaf and every list item of its configuration. */
export function appliedFieldSet(object: JsonObject, scope: TrackingScope): FieldSet {
  const set = new Set<string>();
  for (const [key, node] of fieldNodes(object, scope)) {
    if (node.kind === "leaf" || node.kind === "item") set.add(key);
  }
  return set;
}

export interface FieldChanges {
  /** Fields that are new or whose value differs: these change owner. */
  changed: FieldSet;
  /** Fields that are gone: nobody owns them any more. */
  removed: FieldSet;
}

/**
 * How `after` differs from `before`. New maps and lists count as changed themselves (they show as
 * "." in fieldsV1), except metadata, spec and status, which a typed Kubernetes object always has.
 */
export function compareFields(before: JsonObject, after: JsonObject, scope: TrackingScope): FieldChanges {
  const beforeNodes = fieldNodes(before, scope);
  const afterNodes = fieldNodes(after, scope);
  const changed = new Set<string>();
  for (const [key, node] of afterNodes) {
    const previous = beforeNodes.get(key);
    if (!previous) {
      if (!isAlwaysPresent(node.path)) changed.add(key);
    } else if (node.kind === "leaf" || previous.kind === "leaf") {
      if (node.kind !== previous.kind || !jsonEqual(node.value, previous.value)) changed.add(key);
    }
  }
  const removed = new Set([...beforeNodes.keys()].filter((key) => !afterNodes.has(key)));
  return { changed, removed };
}

function isAlwaysPresent(path: FieldPath): boolean {
  return path.length === 1 && ["f:metadata", "f:spec", "f:status"].includes(path[0] ?? "");
}

/** Where a path points in an object: the container holding it and its key or index there. */
export interface FieldLocation {
  container: JsonObject | unknown[];
  at: string | number;
}

export function locateField(
  object: JsonObject,
  path: FieldPath,
  builtIn: boolean,
): FieldLocation | undefined {
  let current: unknown = object;
  let location: FieldLocation | undefined;
  const fieldPath: string[] = [];
  for (const element of path) {
    const body = element.slice(2);
    if (element.startsWith("f:") && isJsonObject(current)) {
      if (!Object.hasOwn(current, body)) return undefined;
      location = { container: current, at: body };
      fieldPath.push(body);
    } else if (Array.isArray(current) && (element.startsWith("k:") || element.startsWith("v:"))) {
      const list = current;
      const listType = effectiveListType(fieldPath, list, builtIn);
      const index = list.findIndex((item) => {
        if (element.startsWith("v:")) return canonicalJson(item) === body;
        return listType.kind === "map" && canonicalJson(itemKeyOf(listType, item)) === body;
      });
      if (index === -1) return undefined;
      location = { container: list, at: index };
    } else {
      return undefined;
    }
    current = valueAt(location);
  }
  return location;
}

export function valueAt(location: FieldLocation): unknown {
  const { container, at } = location;
  return Array.isArray(container) ? container[at as number] : container[at as string];
}
