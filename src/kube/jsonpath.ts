// Evaluates kubectl's JSONPath dialect (`.status.conditions[?(@.type=="Ready")].status`,
// `.metadata.labels.app\.kubernetes\.io/name`), as CRD printer columns and the `fields` projection of
// the tools use it, with jsonpath-plus, which speaks the `$`-rooted dialect: the path is rewritten
// first, then every match is returned in document order. Pure: no Kubernetes client involved.
import { JSONPath } from "jsonpath-plus";

/** All values the path selects in `document`; empty when nothing matches or the path is invalid. */
export function findJsonPath(document: unknown, kubectlPath: string): unknown[] {
  return compileJsonPath(kubectlPath)(document);
}

export type JsonPathQuery = (document: unknown) => unknown[];

const compiled = new Map<string, JsonPathQuery>();
const COMPILED_KEPT = 256;

/**
 * The path as a function, made once per path: the common shapes (members, `[*]`, `[n]`,
 * `[?(@.a.b=="text")]`) walk the document directly, which is what keeps projecting thousands of
 * objects fast; anything else goes through jsonpath-plus with the path rewritten once.
 */
export function compileJsonPath(kubectlPath: string): JsonPathQuery {
  let query = compiled.get(kubectlPath);
  if (!query) {
    query = compile(kubectlPath);
    if (compiled.size >= COMPILED_KEPT) compiled.clear();
    compiled.set(kubectlPath, query);
  }
  return query;
}

function compile(kubectlPath: string): JsonPathQuery {
  let path: string;
  try {
    path = toJsonPathPlus(kubectlPath);
  } catch {
    return () => [];
  }
  const steps = directSteps(path);
  if (steps) return (document) => walk(document, steps);
  return (document) => {
    try {
      const found: unknown = JSONPath({ path, json: document as object, wrap: true, eval: "safe" });
      return Array.isArray(found) ? (found as unknown[]) : [];
    } catch {
      return [];
    }
  };
}

type Step =
  | { type: "member"; name: string }
  | { type: "every" }
  | { type: "index"; index: number }
  | { type: "filter"; path: string[]; equals: boolean; value: string };

const MEMBER = /^\.([A-Za-z_$][\w$]*)/;
const QUOTED_MEMBER = /^\[("(?:[^"\\]|\\.)*")\]/;
const EVERY = /^(?:\.\*|\[\*\])/;
const INDEX = /^\[(\d+)\]/;
const FILTER = /^\[\?\(@((?:\.[A-Za-z_$][\w$]*)+)\s*(==|!=)\s*(?:"((?:[^"\\]|\\.)*)"|'([^'\\]*)')\)\]/;

/** The steps of a jsonpath-plus path in the shapes `walk` understands, or undefined. */
function directSteps(path: string): Step[] | undefined {
  const steps: Step[] = [];
  let rest = path.slice(1);
  while (rest !== "") {
    let match: RegExpExecArray | null;
    if ((match = EVERY.exec(rest))) {
      steps.push({ type: "every" });
    } else if ((match = MEMBER.exec(rest))) {
      steps.push({ type: "member", name: match[1] as string });
    } else if ((match = QUOTED_MEMBER.exec(rest))) {
      steps.push({ type: "member", name: JSON.parse(match[1] as string) as string });
    } else if ((match = INDEX.exec(rest))) {
      steps.push({ type: "index", index: Number(match[1]) });
    } else if ((match = FILTER.exec(rest))) {
      const value = match[3] === undefined ? (match[4] as string) : (JSON.parse(`"${match[3]}"`) as string);
      const filterPath = (match[1] as string).slice(1).split(".");
      steps.push({ type: "filter", path: filterPath, equals: match[2] === "==", value });
    } else {
      return undefined;
    }
    rest = rest.slice(match[0].length);
  }
  return steps;
}

function walk(document: unknown, steps: readonly Step[]): unknown[] {
  let current: unknown[] = [document];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) {
      if (value === null || typeof value !== "object") continue;
      switch (step.type) {
        case "member":
          if (Object.hasOwn(value, step.name)) {
            next.push((value as Record<string, unknown>)[step.name]);
          }
          break;
        case "index":
          if (Array.isArray(value) && step.index < value.length) next.push(value[step.index]);
          break;
        case "every":
          next.push(
            ...(Array.isArray(value)
              ? (value as unknown[])
              : Object.values(value as Record<string, unknown>)),
          );
          break;
        case "filter":
          for (const item of Array.isArray(value) ? value : Object.values(value)) {
            if ((memberAt(item, step.path) === step.value) === step.equals) next.push(item);
          }
          break;
      }
    }
    current = next;
  }
  return current;
}

function memberAt(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const name of path) {
    if (current === null || typeof current !== "object" || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[name];
  }
  return current;
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
