// The `fields` projection: a model asks for the few values it needs (kubectl JSONPath, braces and
// leading dot optional) instead of whole objects.
import { findJsonPath, toJsonPathPlus } from "../../kube/jsonpath.ts";
import type { KubeObject } from "../../kube/types.ts";
import { Document, isSeq, type YAMLMap } from "yaml";

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

/**
 * The objects as a table: their kind once, then one row per object — namespace (when namespaced),
 * name, then per expression its value, a list when it selects several, null when it selects none.
 * Writing the kind and the expressions once, not per object, is what keeps long lists small.
 */
export function projectRows(
  kind: { apiVersion: string; kind: string; namespaced: boolean },
  objects: readonly KubeObject[],
  expressions: readonly string[],
): string {
  const identity = kind.namespaced ? ["namespace", "name"] : ["name"];
  const rows = objects.map((object) => {
    const { name, namespace } = object.metadata;
    const values = expressions.map((expression) => {
      const found = findJsonPath(object, expression);
      return found.length === 0 ? null : found.length === 1 ? found[0] : found;
    });
    return kind.namespaced ? [namespace ?? "", name ?? "", ...values] : [name ?? "", ...values];
  });
  const document = new Document({
    kind: `${kind.kind} (${kind.apiVersion})`,
    columns: [...identity, ...expressions.map((expression) => expression.trim())],
    rows,
  });
  // One line per object: the columns and each row in flow style.
  const table = document.contents as YAMLMap;
  for (const key of ["columns", "rows"]) {
    const node = table.get(key, true);
    if (isSeq(node)) {
      if (key === "columns") node.flow = true;
      else for (const row of node.items) if (isSeq(row)) row.flow = true;
    }
  }
  return document.toString({ lineWidth: 0, flowCollectionPadding: false });
}
