// Kubernetes' JSONPath dialect, as kube-apiserver evaluates the `jsonPath` of a CRD's
// additionalPrinterColumns: the path is wrapped in `{…}`, missing keys select nothing. Supported:
// `.field` (with `\.` for a dot inside a name), `["key"]` and `['key']`, `[n]` (negative counts
// from the end), `[start:end]`, `[*]` and `.*` (array items or map values), `..field` (recursive
// descent), and filters `[?(@.path)]` and `[?(@.path OP literal)]` with ==, !=, <, <=, >, >=.

type Step =
  | { kind: "field"; name: string }
  | { kind: "wildcard" }
  | { kind: "descend"; name: string }
  | { kind: "index"; index: number }
  | { kind: "slice"; start: number | undefined; end: number | undefined }
  | { kind: "filter"; path: Step[]; operator?: ComparisonOperator; literal?: Literal };

type ComparisonOperator = "==" | "!=" | "<" | "<=" | ">" | ">=";
type Literal = string | number | boolean | null;

class JsonPathSyntaxError extends Error {}

/** Every value the path selects in `document`, in document order; empty when nothing matches. */
export function evaluateJsonPath(document: unknown, path: string): unknown[] {
  let steps: Step[];
  try {
    steps = parseJsonPath(path);
  } catch (error) {
    if (error instanceof JsonPathSyntaxError) return [];
    throw error;
  }
  return select([document], steps);
}

function parseJsonPath(path: string): Step[] {
  let text = path.trim();
  if (text.startsWith("{") && text.endsWith("}")) text = text.slice(1, -1).trim();
  const reader = new PathReader(text);
  if (reader.peek() === "$" || reader.peek() === "@") reader.next();
  const steps = reader.readSteps(false);
  if (!reader.done()) throw new JsonPathSyntaxError(`unexpected "${reader.rest()}" in ${path}`);
  return steps;
}

class PathReader {
  private position = 0;
  private readonly text: string;
  constructor(text: string) {
    this.text = text;
  }

  done(): boolean {
    return this.position >= this.text.length;
  }
  peek(offset = 0): string {
    return this.text[this.position + offset] ?? "";
  }
  next(): string {
    return this.text[this.position++] ?? "";
  }
  rest(): string {
    return this.text.slice(this.position);
  }

  /** Steps until the end, or (inside a filter) until an operator or the closing parenthesis. */
  readSteps(inFilter: boolean): Step[] {
    const steps: Step[] = [];
    for (;;) {
      const character = this.peek();
      if (character === ".") {
        this.next();
        if (this.peek() === ".") {
          this.next();
          steps.push({ kind: "descend", name: this.readName() });
        } else if (this.peek() === "*") {
          this.next();
          steps.push({ kind: "wildcard" });
        } else {
          const name = this.readName();
          // A lone "." is the current object.
          if (name !== "") steps.push({ kind: "field", name });
        }
      } else if (character === "[") {
        steps.push(this.readBracket());
      } else if (this.done() || inFilter) {
        return steps;
      } else {
        throw new JsonPathSyntaxError(`unexpected "${this.rest()}"`);
      }
    }
  }

  private readName(): string {
    let name = "";
    while (!this.done()) {
      const character = this.peek();
      if (character === "\\" && this.peek(1) !== "") {
        this.next();
        name += this.next();
      } else if (/[.[\]()\s=!<>]/.test(character)) {
        break;
      } else {
        name += this.next();
      }
    }
    return name;
  }

  private readBracket(): Step {
    this.next();
    let step: Step;
    const character = this.peek();
    if (character === "?") {
      step = this.readFilter();
    } else if (character === "'" || character === '"') {
      step = { kind: "field", name: this.readQuoted() };
    } else {
      const inside = this.readUntil("]");
      if (inside === "*") step = { kind: "wildcard" };
      else if (/^-?\d+$/.test(inside)) step = { kind: "index", index: Number(inside) };
      else {
        const slice = /^(-?\d+)?:(-?\d+)?$/.exec(inside);
        if (!slice) throw new JsonPathSyntaxError(`unsupported subscript [${inside}]`);
        step = {
          kind: "slice",
          start: slice[1] === undefined ? undefined : Number(slice[1]),
          end: slice[2] === undefined ? undefined : Number(slice[2]),
        };
      }
    }
    if (this.next() !== "]") throw new JsonPathSyntaxError("missing ]");
    return step;
  }

  private readUntil(end: string): string {
    let inside = "";
    while (!this.done() && this.peek() !== end) inside += this.next();
    return inside.trim();
  }

  private readQuoted(): string {
    const quote = this.next();
    let value = "";
    while (!this.done() && this.peek() !== quote) {
      if (this.peek() === "\\") this.next();
      value += this.next();
    }
    if (this.next() !== quote) throw new JsonPathSyntaxError("unterminated string");
    return value;
  }

  private readFilter(): Step {
    this.next();
    if (this.next() !== "(") throw new JsonPathSyntaxError("a filter starts with ?(");
    this.skipSpaces();
    if (this.next() !== "@") throw new JsonPathSyntaxError("a filter tests @");
    const path = this.readSteps(true);
    this.skipSpaces();
    let step: Step = { kind: "filter", path };
    const operator = /^(==|!=|<=|>=|<|>)/.exec(this.rest())?.[1] as ComparisonOperator | undefined;
    if (operator) {
      this.position += operator.length;
      this.skipSpaces();
      step = { kind: "filter", path, operator, literal: this.readLiteral() };
      this.skipSpaces();
    }
    if (this.next() !== ")") throw new JsonPathSyntaxError("missing ) after the filter");
    return step;
  }

  private readLiteral(): Literal {
    if (this.peek() === "'" || this.peek() === '"') return this.readQuoted();
    let word = "";
    while (!this.done() && !/[)\s]/.test(this.peek())) word += this.next();
    if (word === "true" || word === "false") return word === "true";
    if (word === "null") return null;
    const number = Number(word);
    if (word === "" || Number.isNaN(number)) throw new JsonPathSyntaxError(`bad literal "${word}"`);
    return number;
  }

  private skipSpaces(): void {
    while (this.peek() === " ") this.next();
  }
}

function select(nodes: unknown[], steps: Step[]): unknown[] {
  let current = nodes;
  for (const step of steps) current = current.flatMap((node) => apply(node, step));
  return current;
}

function apply(node: unknown, step: Step): unknown[] {
  switch (step.kind) {
    case "field":
      return isMap(node) && Object.hasOwn(node, step.name) ? [node[step.name]] : [];
    case "wildcard":
      return Array.isArray(node) ? node : isMap(node) ? Object.values(node) : [];
    case "descend":
      return descendants(node).flatMap((child) => apply(child, { kind: "field", name: step.name }));
    case "index": {
      if (!Array.isArray(node)) return [];
      const index = step.index < 0 ? node.length + step.index : step.index;
      return index >= 0 && index < node.length ? [node[index]] : [];
    }
    case "slice": {
      if (!Array.isArray(node)) return [];
      return node.slice(step.start, step.end);
    }
    case "filter": {
      const items = Array.isArray(node) ? node : isMap(node) ? Object.values(node) : [];
      return items.filter((item) => matches(item, step));
    }
  }
}

function matches(item: unknown, filter: Extract<Step, { kind: "filter" }>): boolean {
  const values = select([item], filter.path);
  if (filter.operator === undefined) return values.length > 0;
  return values.some((value) =>
    compare(value, filter.operator as ComparisonOperator, filter.literal ?? null),
  );
}

function compare(value: unknown, operator: ComparisonOperator, literal: Literal): boolean {
  switch (operator) {
    case "==":
      return value === literal;
    case "!=":
      return value !== literal;
    default: {
      if (typeof value !== typeof literal || (typeof value !== "number" && typeof value !== "string")) {
        return false;
      }
      const left = value;
      const right = literal as number | string;
      if (operator === "<") return left < right;
      if (operator === "<=") return left <= right;
      if (operator === ">") return left > right;
      return left >= right;
    }
  }
}

/** The node and everything below it, parents before children. */
function descendants(node: unknown): unknown[] {
  const children = Array.isArray(node) ? node : isMap(node) ? Object.values(node) : [];
  return [node, ...children.flatMap(descendants)];
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
