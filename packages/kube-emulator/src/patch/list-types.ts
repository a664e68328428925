// How lists and maps of an object are merged and owned. Kubernetes reads this from the schema of
// built-in kinds (patchMergeKey, x-kubernetes-list-type, structType=atomic); without a schema we
// decide from the field's name and position, and for custom resources from the items themselves.
import { isJsonObject, type JsonObject } from "./json-value.ts";

export type ListType =
  /** Replaced wholesale and owned as one field. */
  | { kind: "atomic" }
  /** Primitive values merged as a set (metadata.finalizers). */
  | { kind: "set" }
  /** Objects merged item by item on key fields; missing key fields take `defaults`. */
  | { kind: "map"; keys: readonly string[]; defaults: Readonly<JsonObject> };

const ATOMIC: ListType = { kind: "atomic" };
const SET: ListType = { kind: "set" };

function keyed(keys: readonly string[], defaults: JsonObject = {}): ListType {
  return { kind: "map", keys, defaults };
}

const CONTAINER_LISTS: ReadonlySet<string> = new Set(["containers", "initContainers", "ephemeralContainers"]);

/** Keyed lists of built-in kinds by field name, wherever they appear (pod templates nest them). */
const BUILTIN_KEYED_LISTS: ReadonlyMap<string, ListType> = new Map([
  ...[...CONTAINER_LISTS].map((name): [string, ListType] => [name, keyed(["name"])]),
  ["env", keyed(["name"])],
  ["volumes", keyed(["name"])],
  ["volumeMounts", keyed(["mountPath"])],
  ["volumeDevices", keyed(["devicePath"])],
  ["imagePullSecrets", keyed(["name"])],
  ["resourceClaims", keyed(["name"])],
  ["conditions", keyed(["type"])],
  ["hostAliases", keyed(["ip"])],
  ["podIPs", keyed(["ip"])],
  ["hostIPs", keyed(["ip"])],
  ["topologySpreadConstraints", keyed(["topologyKey", "whenUnsatisfiable"])],
]);

/** Built-in maps that are replaced and owned as a whole (label selectors, node selectors). */
const BUILTIN_ATOMIC_MAPS: ReadonlySet<string> = new Set([
  "selector",
  "nodeSelector",
  "podSelector",
  "namespaceSelector",
  "labelSelector",
]);

/**
 * The list type declared for the list at `fieldPath` (field names from the object root, list items
 * left out). Strategic merge patch uses the first key as its patch merge key.
 */
export function declaredListType(
  fieldPath: readonly string[],
  items: readonly unknown[],
  builtIn: boolean,
): ListType {
  const metadataList = metadataListType(fieldPath);
  if (metadataList) return metadataList;
  const name = fieldPath.at(-1) ?? "";
  if (!builtIn) return guessCustomListType(name, items);
  if (name === "ports") return portsListType(fieldPath);
  return BUILTIN_KEYED_LISTS.get(name) ?? ATOMIC;
}

/** The declared type, falling back to atomic when the items do not fit it (no key, not primitive). */
export function effectiveListType(
  fieldPath: readonly string[],
  items: readonly unknown[],
  builtIn: boolean,
): ListType {
  const declared = declaredListType(fieldPath, items, builtIn);
  if (declared.kind === "map" && !items.every((item) => itemKeyOf(declared, item) !== undefined)) {
    return ATOMIC;
  }
  if (declared.kind === "set" && !items.every((item) => !isJsonObject(item) && !Array.isArray(item))) {
    return ATOMIC;
  }
  return declared;
}

/** True when the map at `fieldPath` is owned and replaced as one field. */
export function isAtomicMap(fieldPath: readonly string[], builtIn: boolean): boolean {
  return builtIn && BUILTIN_ATOMIC_MAPS.has(fieldPath.at(-1) ?? "");
}

/** The key fields of a keyed list item, defaults filled in; undefined when the item has no key. */
export function itemKeyOf(listType: ListType & { kind: "map" }, item: unknown): JsonObject | undefined {
  if (!isJsonObject(item)) return undefined;
  const key: JsonObject = {};
  for (const field of listType.keys) {
    const value = item[field] ?? listType.defaults[field];
    if (value === undefined || value === null || isJsonObject(value) || Array.isArray(value)) {
      return undefined;
    }
    key[field] = value;
  }
  return key;
}

function metadataListType(fieldPath: readonly string[]): ListType | undefined {
  if (fieldPath.length !== 2 || fieldPath[0] !== "metadata") return undefined;
  if (fieldPath[1] === "finalizers") return SET;
  if (fieldPath[1] === "ownerReferences") return keyed(["uid"]);
  return undefined;
}

/** Container ports key on containerPort, Service ports on port; both with protocol TCP by default. */
function portsListType(fieldPath: readonly string[]): ListType {
  if (CONTAINER_LISTS.has(fieldPath.at(-2) ?? "")) {
    return keyed(["containerPort", "protocol"], { protocol: "TCP" });
  }
  if (fieldPath.length === 2 && fieldPath[0] === "spec") {
    return keyed(["port", "protocol"], { protocol: "TCP" });
  }
  return ATOMIC;
}

/** Custom resources: conditions by type and named objects by name; anything else is atomic. */
function guessCustomListType(name: string, items: readonly unknown[]): ListType {
  if (items.length === 0) return ATOMIC;
  const everyItemHas = (field: string) =>
    items.every((item) => isJsonObject(item) && typeof item[field] === "string");
  if (name === "conditions" && everyItemHas("type")) return keyed(["type"]);
  if (everyItemHas("name")) return keyed(["name"]);
  return ATOMIC;
}
