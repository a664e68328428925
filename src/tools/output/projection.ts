// The `fields` projection: a model asks for the few values it needs (kubectl JSONPath, braces and
// leading dot optional) instead of whole objects.
import { findJsonPath, toJsonPathPlus } from "../../kube/jsonpath.ts";
import type { KubeObject } from "../../kube/types.ts";

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
 * apiVersion, kind, name and namespace, then `"<expression>": value` for each expression that selects
 * something (a list when it selects several values).
 */
export function projectObject(object: KubeObject, expressions: readonly string[]): Record<string, unknown> {
  const { name, namespace } = object.metadata;
  const projected: Record<string, unknown> = {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: { name, ...(namespace && { namespace }) },
  };
  for (const expression of expressions) {
    const values = findJsonPath(object, expression);
    if (values.length === 0) continue;
    projected[expression.trim()] = values.length === 1 ? values[0] : values;
  }
  return projected;
}
