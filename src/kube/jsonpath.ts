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
    if (document === null || typeof document !== "object") return [];
    return this.findIn(document);
  }

  /**
   * Like find, on any JSON value: a string has a `length`, as it has where a longer path reaches it.
   * For the rest of a path run on what its start selected (JsonPathQueries).
   */
  findIn(value: unknown): unknown[] {
    if (this.#path === undefined) return [];
    try {
      const found: unknown = this.#evaluator.evaluate(this.#path, value as object, undefined, undefined);
      return Array.isArray(found) ? (found as unknown[]) : [];
    } catch {
      return [];
    }
  }
}

/** A path's part after the filter it shares with other paths: member names only. */
interface AfterFilter {
  filter: number;
  rest: JsonPathQuery;
}

/**
 * Several kubectl paths run on the same documents (the `fields` of a listing). Paths that end in
 * member names after the same filter (`.status.conditions[?(@.type=="Ready")]` then `.status` and
 * `.message`) run that start once per document, and each path's member names on what it selected:
 * the filter, most of a query's cost, is evaluated once, not once per path. jsonpath-plus
 * evaluates both parts; a path is split only where its parts read as the whole path does.
 */
export class JsonPathQueries {
  readonly #filters: JsonPathQuery[] = [];
  readonly #plans: (JsonPathQuery | AfterFilter)[];

  constructor(kubectlPaths: readonly string[]) {
    const splits = kubectlPaths.map(splitAfterFilter);
    const sharing = new Map<string, number>();
    for (const split of splits) {
      if (split) sharing.set(split.start, (sharing.get(split.start) ?? 0) + 1);
    }
    const filterIndex = new Map<string, number>();
    this.#plans = kubectlPaths.map((path, index) => {
      const split = splits[index];
      if (!split || (sharing.get(split.start) ?? 0) < 2) return new JsonPathQuery(path);
      let filter = filterIndex.get(split.start);
      if (filter === undefined) {
        filter = this.#filters.push(new JsonPathQuery(split.start)) - 1;
        filterIndex.set(split.start, filter);
      }
      return { filter, rest: new JsonPathQuery(split.rest) };
    });
  }

  /** What each path selects in `document`, in the order of the paths. */
  find(document: unknown): unknown[][] {
    const filtered = this.#filters.map((filter) => filter.find(document));
    return this.#plans.map((plan) => {
      if (plan instanceof JsonPathQuery) return plan.find(document);
      const selected = filtered[plan.filter] ?? [];
      return selected.length === 1
        ? plan.rest.findIn(selected[0])
        : selected.flatMap((value) => plan.rest.findIn(value));
    });
  }
}

const MEMBER = /^[A-Za-z_$][\w$]*$/;

/**
 * `$.a[?(…)].b.c` as its start up to the last filter and the rest (`$.b.c`), when the rest is member
 * names only and jsonpath-plus reads the two parts as the steps of the whole path; else undefined.
 */
function splitAfterFilter(kubectlPath: string): { start: string; rest: string } | undefined {
  let path: string;
  try {
    path = toJsonPathPlus(kubectlPath);
  } catch {
    return undefined;
  }
  const parts = /^(\$.*\)\])((?:\.[A-Za-z_$][\w$]*)+)$/s.exec(path);
  if (!parts) return undefined;
  const start = parts[1] as string;
  const rest = `$${parts[2] as string}`;
  const whole = JSONPath.toPathArray(path);
  const startSteps = JSONPath.toPathArray(start);
  const restSteps = JSONPath.toPathArray(rest).slice(1);
  const joined = [...startSteps, ...restSteps];
  const same = whole.length === joined.length && whole.every((step, index) => step === joined[index]);
  const filterLast = (startSteps[startSteps.length - 1] ?? "").startsWith("?(");
  const membersOnly = restSteps.every((step) => MEMBER.test(step));
  return same && filterLast && membersOnly && restSteps.length > 0 ? { start, rest } : undefined;
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
