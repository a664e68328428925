// The `fields` projection: a model asks for the few values it needs (kubectl JSONPath, braces and
// leading dot optional) instead of whole objects, and gets them as a tab-separated table.
import { JsonPathQueries, toJsonPathPlus } from "../kube/jsonpath.ts";
import type { KubeObject } from "../kube/types.ts";

/** Why an expression cannot be used, or undefined when every expression is readable. */
export function invalidFieldExpression(expressions: readonly string[]): string | undefined {
  for (const expression of expressions) {
    const body = expression.trim().replace(/^\{(.*)\}$/s, "$1");
    if (body === "" || /[{}]/.test(body)) {
      return `invalid fields expression ${JSON.stringify(expression)}: give one JSONPath per entry, e.g. .status.conditions[?(@.type=="Ready")].message`;
    }
    try {
      toJsonPathPlus(body);
    } catch (error) {
      return `invalid fields expression ${JSON.stringify(expression)}: ${(error as Error).message}`;
    }
  }
  return undefined;
}

export interface ProjectedKind {
  apiVersion: string;
  kind: string;
  namespaced: boolean;
}

/**
 * A projection table written in parts, so a long list can be turned into rows page by page
 * without holding the objects of earlier pages.
 */
export class ProjectionTable {
  readonly #kind: ProjectedKind;
  readonly #expressions: readonly string[];
  readonly #queries: JsonPathQueries;
  readonly #rows: string[] = [];
  #rowCharacters = 0;

  constructor(kind: ProjectedKind, expressions: readonly string[]) {
    this.#kind = kind;
    this.#expressions = expressions;
    this.#queries = new JsonPathQueries(expressions);
  }

  get rowCount(): number {
    return this.#rows.length;
  }

  /** How many characters the rows so far take, line breaks included. */
  get rowCharacters(): number {
    return this.#rowCharacters;
  }

  add(objects: readonly KubeObject[]): void {
    for (const object of objects) {
      const { name = "", namespace = "" } = object.metadata;
      const cells = this.#queries.find(object).map(cell);
      const row = [...(this.#kind.namespaced ? [namespace] : []), name, ...cells].join("\t");
      this.#rows.push(row);
      this.#rowCharacters += row.length + 1;
    }
  }

  /**
   * The kind and the columns once, then one line per object: writing them once, not per object,
   * and tabs rather than punctuation between values, is what keeps long lists small.
   */
  toString(): string {
    const { kind, apiVersion, namespaced } = this.#kind;
    const header = [...(namespaced ? ["NAMESPACE"] : []), "NAME", ...columnLabels(this.#expressions)];
    const count = `${this.#rows.length} ${this.#rows.length === 1 ? "row" : "rows"}`;
    return [
      `# ${kind} (${apiVersion}), ${count}; tab-separated, - where a field selects nothing`,
      header.join("\t"),
      ...this.#rows,
      "",
    ].join("\n");
  }
}

/** One value as a cell: `-` for nothing, text as is while it cannot be misread, JSON otherwise. */
function cell(found: readonly unknown[]): string {
  if (found.length === 0) return "-";
  const value = found.length === 1 ? found[0] : found;
  if (typeof value === "string") return isPlain(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? "-";
}

function isPlain(text: string): boolean {
  return text !== "" && text !== "-" && !/^["[{\s]|[\t\n\r]|\s$/.test(text);
}

/**
 * Short column names: `.status.conditions[?(@.type=="Ready")].message` reads `Ready.message`, a
 * filter `[?(@.status=="False")]` reads `[status==False]`. The expressions themselves when two would
 * read the same.
 */
export function columnLabels(expressions: readonly string[]): string[] {
  const labels = expressions.map(shortLabel);
  return new Set(labels).size === labels.length ? labels : expressions.map((expression) => expression.trim());
}

function shortLabel(expression: string): string {
  return expression
    .trim()
    .replace(/^\{(.*)\}$/s, "$1")
    .replace(/^\.?status\.conditions\[\?\(@\.type\s*==\s*["']([\w-]+)["']\)\]/, "$1")
    .replace(/\[\?\(@\.([\w.]+)\s*(==|!=)\s*["']([^"']*)["']\)\]/g, "[$1$2$3]")
    .replace(/^\./, "");
}
