// Evaluates kubectl's JSONPath dialect (`.status.conditions[?(@.type=="Ready")].status`,
// `.metadata.labels.app\.kubernetes\.io/name`), as CRD printer columns and the `fields` projection of
// the tools use it, with jsonpath-plus, which speaks the `$`-rooted dialect: the path is rewritten
// first, then every match is returned in document order. Pure: no Kubernetes client involved.
import { JSONPath } from "jsonpath-plus";

/** A kubectl path, rewritten for jsonpath-plus once and then run on any number of documents. */
export class JsonPathQuery {
  /** Undefined when the path cannot be read: it then selects nothing. */
  readonly #path: string | undefined;
  /** One evaluator for every document: its options are set once, not once per object of a long list. */
  readonly #evaluator = JSONPath({
    path: "$",
    json: null,
    autostart: false,
    wrap: true,
    eval: "safe",
    // A filter reading through a member an item lacks (`@.state.waiting.reason` on a running
    // container) skips that item, as kubectl does, instead of failing the whole query.
    ignoreEvalErrors: true,
  });

  constructor(kubectlPath: string) {
    try {
      this.#path = toJsonPathPlus(kubectlPath);
    } catch {
      this.#path = undefined;
    }
  }

  /** All values the path selects in `document`; empty when nothing matches or the path is invalid. */
  find(document: unknown): unknown[] {
    if (this.#path === undefined || document === null || typeof document !== "object") return [];
    try {
      const found: unknown = this.#evaluator.evaluate(this.#path, document, undefined, undefined);
      return Array.isArray(found) ? (found as unknown[]) : [];
    } catch {
      return [];
    }
  }
}

/**
 * Rewrites a kubectl path into jsonpath-plus syntax: strips `{}`, roots it at `$`, and turns
 * member names that need escaping in kubectl (`a\.b`, `x/y`, `a-b`) into bracket notation.
 */
export function toJsonPathPlus(kubectlPath: string): string {
  let source = kubectlPath.trim();
  if (source.startsWith("{") && source.endsWith("}")) source = source.slice(1, -1).trim();
  if (source.startsWith("$")) source = source.slice(1);
  if (source !== "" && !source.startsWith(".") && !source.startsWith("[")) source = `.${source}`;

  let result = "$";
  let index = 0;
  while (index < source.length) {
    const char = source[index];
    if (char === "[") {
      const end = closingBracket(source, index);
      result += source.slice(index, end + 1);
      index = end + 1;
    } else if (char === ".") {
      if (source[index + 1] === ".") {
        result += "..";
        index += 2;
      } else {
        index += 1;
      }
      const [name, next] = memberName(source, index);
      index = next;
      if (name === "") continue;
      if (name === "*") result += result.endsWith(".") ? "*" : ".*";
      else if (/^[A-Za-z_$][\w$]*$/.test(name)) result += result.endsWith(".") ? name : `.${name}`;
      else result += `[${JSON.stringify(name)}]`;
    } else {
      throw new Error(`unexpected ${char} in JSONPath ${kubectlPath}`);
    }
  }
  return result;
}

/** Reads a member name up to the next unescaped `.` or `[`, unescaping `\.`. */
function memberName(source: string, start: number): [string, number] {
  let name = "";
  let index = start;
  while (index < source.length) {
    const char = source[index] as string;
    if (char === "\\" && index + 1 < source.length) {
      name += source[index + 1] ?? "";
      index += 2;
      continue;
    }
    if (char === "." || char === "[") break;
    name += char;
    index += 1;
  }
  return [name, index];
}

/** Index of the `]` closing the bracket at `start`, skipping quoted strings and nested brackets. */
function closingBracket(source: string, start: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let index = start; index < source.length; index++) {
    const char = source[index];
    if (quote) {
      if (char === "\\") index++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === "[") {
      depth++;
    } else if (char === "]" && --depth === 0) {
      return index;
    }
  }
  throw new Error(`unclosed [ in JSONPath ${source}`);
}
