// RFC 6902 JSON patch (application/json-patch+json). Error wording follows the JSON patch library
// kube-apiserver uses, so messages read like a real cluster's.
import { cloneJson, isJsonObject, jsonEqual } from "./json-value.ts";
import { parseArrayIndex, parseJsonPointer } from "./json-pointer.ts";
import { INVALID_REQUEST_MESSAGE, PatchError } from "./patch-error.ts";

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
  hasValue: boolean;
}

/** Applies `operations` to `target` in order and returns the result; neither input is modified. */
export function applyJsonPatch(target: unknown, operations: unknown): unknown {
  let document = cloneJson(target);
  for (const operation of decodeOperations(operations)) document = applyOperation(document, operation);
  return document;
}

function decodeOperations(operations: unknown): Operation[] {
  // Go decodes a JSON null into an empty list of operations.
  if (operations === null) return [];
  if (!Array.isArray(operations)) throw decodeError(operations, "[]handlers.jsonPatchOp");
  return operations.map((raw: unknown) => {
    if (!isJsonObject(raw)) throw decodeError(raw, "handlers.jsonPatchOp");
    const { op, path, from } = raw;
    if (typeof op !== "string") throw notApplicable("Unexpected kind: unknown");
    if (typeof path !== "string") throw notApplicable(`${op} operation, missing path field`);
    if (from !== undefined && typeof from !== "string") throw decodeError(from, "string");
    return { op, path, from, value: raw.value, hasValue: Object.hasOwn(raw, "value") };
  });
}

function applyOperation(document: unknown, operation: Operation): unknown {
  switch (operation.op) {
    case "add":
      return add(document, operation.path, requireValue(operation), "add");
    case "remove":
      return remove(document, operation.path, "remove");
    case "replace":
      return replace(document, operation.path, requireValue(operation));
    case "move": {
      const from = requireFrom(operation);
      if (from === operation.path) return document;
      if (operation.path.startsWith(`${from}/`)) {
        throw notApplicable(`move operation does not apply: "from" ${from} is a prefix of "path"`);
      }
      const value = read(document, from, "move", "from path");
      return add(remove(document, from, "move"), operation.path, value, "move");
    }
    case "copy": {
      const value = read(document, requireFrom(operation), "copy", "from path");
      return add(document, operation.path, cloneJson(value), "copy");
    }
    case "test":
      test(document, operation.path, requireValue(operation));
      return document;
    default:
      throw notApplicable(`Unexpected kind: ${operation.op}`);
  }
}

function add(document: unknown, path: string, value: unknown, op: string): unknown {
  const tokens = tokensOf(path, op);
  const last = tokens.pop();
  if (last === undefined) return value;
  const parent = resolve(document, tokens);
  if (Array.isArray(parent)) {
    const index = last === "-" ? parent.length : parseArrayIndex(last);
    if (index === undefined || index > parent.length) throw invalidIndex(last);
    parent.splice(index, 0, value);
  } else if (isJsonObject(parent)) {
    parent[last] = value;
  } else {
    throw missingPath(op, path);
  }
  return document;
}

function remove(document: unknown, path: string, op: string): unknown {
  const tokens = tokensOf(path, op);
  const last = tokens.pop();
  if (last === undefined) throw missingPath(op, path);
  const parent = resolve(document, tokens);
  if (Array.isArray(parent)) {
    const index = parseArrayIndex(last);
    if (index === undefined || index >= parent.length) throw invalidIndex(last);
    parent.splice(index, 1);
  } else if (isJsonObject(parent) && Object.hasOwn(parent, last)) {
    delete parent[last];
  } else {
    throw missingPath(op, path);
  }
  return document;
}

function replace(document: unknown, path: string, value: unknown): unknown {
  const tokens = tokensOf(path, "replace");
  const last = tokens.pop();
  if (last === undefined) return value;
  const parent = resolve(document, tokens);
  if (Array.isArray(parent)) {
    const index = parseArrayIndex(last);
    if (index === undefined || index >= parent.length) throw invalidIndex(last);
    parent[index] = value;
  } else if (isJsonObject(parent) && Object.hasOwn(parent, last)) {
    parent[last] = value;
  } else {
    throw missingPath("replace", path);
  }
  return document;
}

function test(document: unknown, path: string, expected: unknown): void {
  const tokens = tokensOf(path, "test");
  const found = lookup(document, tokens);
  // Like the Go library: a missing member passes a test for null.
  if (found === undefined ? expected !== null : !jsonEqual(found.value, expected)) {
    throw notApplicable(`testing value ${path} failed: test failed`);
  }
}

/** The value at `path`, which must exist. */
function read(document: unknown, path: string, op: string, what: string): unknown {
  const found = lookup(document, tokensOf(path, op));
  if (found === undefined) {
    throw notApplicable(`${op} operation does not apply: doc is missing ${what}: "${path}": missing value`);
  }
  return found.value;
}

function lookup(document: unknown, tokens: readonly string[]): { value: unknown } | undefined {
  let current = document;
  for (const token of tokens) {
    if (Array.isArray(current)) {
      const index = parseArrayIndex(token);
      if (index === undefined || index >= current.length) return undefined;
      current = current[index];
    } else if (isJsonObject(current) && Object.hasOwn(current, token)) {
      current = current[token];
    } else {
      return undefined;
    }
  }
  return { value: current };
}

/** The container the last token of a path addresses into; undefined when the path is missing. */
function resolve(document: unknown, tokens: readonly string[]): unknown {
  return lookup(document, tokens)?.value;
}

function tokensOf(path: string, op: string): string[] {
  const tokens = parseJsonPointer(path);
  if (tokens === undefined) throw missingPath(op, path);
  return tokens;
}

function requireValue(operation: Operation): unknown {
  if (!operation.hasValue) throw notApplicable(`${operation.op} operation, missing value field`);
  return cloneJson(operation.value);
}

function requireFrom(operation: Operation): string {
  if (operation.from === undefined) throw notApplicable(`${operation.op} operation, missing from field`);
  return operation.from;
}

function missingPath(op: string, path: string): PatchError {
  return notApplicable(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
}

function invalidIndex(token: string): PatchError {
  return notApplicable(`Unable to access invalid index: ${token}: invalid index referenced`);
}

/** A patch that decodes but does not apply: kube-apiserver answers 422 with a generic message. */
function notApplicable(message: string): PatchError {
  return new PatchError(message, 422, INVALID_REQUEST_MESSAGE);
}

/** A patch that is not a list of operations: kube-apiserver answers 400 with the decoder's words. */
function decodeError(value: unknown, goType: string): PatchError {
  return new PatchError(
    `error decoding patch: json: cannot unmarshal ${goKind(value)} into Go value of type ${goType}`,
    400,
  );
}

function goKind(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (value === null) return "null";
  if (typeof value === "boolean") return "bool";
  return typeof value;
}
