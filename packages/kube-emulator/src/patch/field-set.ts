// Sets of field paths, the unit of ownership in server-side apply, and their fieldsV1 encoding.
// A path is a list of elements spelled as in fieldsV1: "f:<field>", "k:<key JSON>" for an item
// of a keyed list, "v:<value JSON>" for a value of a set list.
import { canonicalJson, isJsonObject, type JsonObject } from "./json-value.ts";

export type FieldPath = readonly string[];

/** Paths encoded by pathKey; a plain Set keeps the operations below trivial. */
export type FieldSet = ReadonlySet<string>;

export const EMPTY_FIELD_SET: FieldSet = new Set();

export function pathKey(path: FieldPath): string {
  return JSON.stringify(path);
}

function pathOfKey(key: string): string[] {
  return JSON.parse(key) as string[];
}

export function fieldElement(name: string): string {
  return `f:${name}`;
}

/** Key fields in name order with compact JSON values, as Kubernetes prints them. */
export function keyElement(key: JsonObject): string {
  return `k:${canonicalJson(key)}`;
}

export function valueElement(value: unknown): string {
  return `v:${canonicalJson(value)}`;
}

export function union(...sets: FieldSet[]): FieldSet {
  return new Set(sets.flatMap((set) => [...set]));
}

export function difference(left: FieldSet, right: FieldSet): FieldSet {
  return new Set([...left].filter((key) => !right.has(key)));
}

export function intersection(left: FieldSet, right: FieldSet): FieldSet {
  return new Set([...left].filter((key) => right.has(key)));
}

export function sameFieldSet(left: FieldSet, right: FieldSet): boolean {
  return left.size === right.size && [...left].every((key) => right.has(key));
}

/** True when the set holds a path strictly below `path`. */
export function hasDescendant(set: FieldSet, path: FieldPath): boolean {
  if (path.length === 0) return set.size > 0;
  const prefix = pathKey(path).slice(0, -1) + ",";
  for (const key of set) if (key.startsWith(prefix)) return true;
  return false;
}

/** Member paths in fieldsV1 order (elements compared as strings, parents before children). */
export function sortedPaths(set: FieldSet): string[][] {
  return [...set].map(pathOfKey).sort(comparePaths);
}

function comparePaths(left: FieldPath, right: FieldPath): number {
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    const order = compareText(left[index] ?? "", right[index] ?? "");
    if (order !== 0) return order;
  }
  return left.length - right.length;
}

function compareText(left: string, right: string): number {
  if (left === right) return 0;
  return left < right ? -1 : 1;
}

interface Node {
  member: boolean;
  children: Map<string, Node>;
}

/** The fieldsV1 object: nested elements, "." marking a node that is itself a member. */
export function toFieldsV1(set: FieldSet): JsonObject {
  const root: Node = { member: false, children: new Map() };
  for (const path of sortedPaths(set)) {
    let node = root;
    for (const element of path) {
      let child = node.children.get(element);
      if (!child) node.children.set(element, (child = { member: false, children: new Map() }));
      node = child;
    }
    node.member = true;
  }
  return encodeNode(root, false);
}

function encodeNode(node: Node, isChild: boolean): JsonObject {
  const encoded: JsonObject = {};
  if (node.member && isChild && node.children.size > 0) encoded["."] = {};
  for (const [element, child] of node.children) encoded[element] = encodeNode(child, true);
  return encoded;
}

/** Reads a fieldsV1 object; anything that is not one reads as the empty set. */
export function fromFieldsV1(fieldsV1: unknown): FieldSet {
  const set = new Set<string>();
  const visit = (node: JsonObject, path: string[]) => {
    for (const [element, child] of Object.entries(node)) {
      if (element === ".") {
        if (path.length > 0) set.add(pathKey(path));
      } else if (isJsonObject(child)) {
        const childPath = [...path, element];
        if (Object.keys(child).length === 0) set.add(pathKey(childPath));
        else visit(child, childPath);
      }
    }
  };
  if (isJsonObject(fieldsV1)) visit(fieldsV1, []);
  return set;
}

/** Kubernetes' display form: .spec.containers[name="web"].image, .metadata.finalizers[="x"]. */
export function formatFieldPath(path: FieldPath): string {
  return path.map(formatElement).join("");
}

function formatElement(element: string): string {
  const body = element.slice(2);
  switch (element.slice(0, 2)) {
    case "f:":
      return `.${body}`;
    case "k:": {
      const key = parseJson(body);
      if (!isJsonObject(key)) return `[${body}]`;
      return `[${Object.entries(key)
        .map(([field, value]) => `${field}=${JSON.stringify(value)}`)
        .join(",")}]`;
    }
    case "v:":
      return `[=${body}]`;
    case "i:":
      return `[${body}]`;
    default:
      return `.${element}`;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
