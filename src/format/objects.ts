// Shapes Kubernetes objects for a model's context budget: no managedFields or last-applied
// configuration, YAML documents. (Secret values are masked before tools get objects: src/kube/masking.)
import { stringify } from "yaml";
import type { KubeObject } from "../kube/types.ts";

export const LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";
/** A copy of the object without noise. */
export function cleanObject(object: KubeObject): KubeObject {
  const { managedFields: _managedFields, ...metadata } = object.metadata ?? {};
  if (metadata.annotations) {
    const { [LAST_APPLIED_ANNOTATION]: _lastApplied, ...annotations } = metadata.annotations;
    if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
    else delete metadata.annotations;
  }
  return { ...object, metadata };
}

/** YAML documents separated by `---`, long strings kept on one line. */
export function yamlDocuments(values: readonly unknown[]): string {
  return values
    .map((value) => stringify(value, { lineWidth: 0, aliasDuplicateObjects: false }))
    .join("---\n");
}

/** The line that ends a truncated list: how many more there are and how to get them. */
export function moreLine(
  shown: number,
  remaining: number | undefined,
  continueToken: string | undefined,
): string {
  if (!continueToken) return "";
  const more = remaining === undefined ? "more items" : `${remaining} more`;
  return `# ${shown} shown, ${more}: call again with continue="${continueToken}", or narrow with selector, namespace or fields`;
}
