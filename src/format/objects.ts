// Shapes Kubernetes objects for a model's context budget: no managedFields or last-applied
// configuration, YAML documents. (Secret values are masked before tools get objects: src/kube/masking.)
import { CORE_SCHEMA, dump, Type } from "js-yaml";
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

/**
 * Strings a YAML 1.2 reader takes for numbers where js-yaml's core schema does not (`+.5`, `1e309`):
 * dump quotes every string some implicit type of its schema would resolve, so this one, which only
 * resolves and never represents, has them quoted too and the text reads back as the strings it holds.
 */
const YAML_1_2_NUMBER = new Type("tag:flux-mcp,2026:yaml-1.2-number", {
  kind: "scalar",
  resolve: (text: string) =>
    /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/.test(
      text,
    ),
});
const ANSWER_SCHEMA = CORE_SCHEMA.extend({ implicit: [YAML_1_2_NUMBER] });

/**
 * YAML documents separated by `---`, long strings kept on one line. js-yaml rather than `yaml`: the
 * same text for answers' JSON data in a quarter of the time (`yaml` builds a document tree first),
 * which is most of a long listing's CPU. Strings YAML 1.1 readers (kubectl's) take for booleans,
 * such as `yes` and `on`, are quoted; a value that is not JSON data throws rather than being dropped.
 */
export function yamlDocuments(values: readonly unknown[]): string {
  return values.map(yamlDocument).join("---\n");
}

/**
 * A line that starts with `---` or `...` and a space ends a YAML document. js-yaml writes a top-level
 * key such as `... x` plain, where the line would read as such a marker (no other line it writes
 * starts at column 0 with text of the object's); such a rare document is written by `yaml` instead.
 */
const DOCUMENT_MARKER_LINE = /^(?:---|\.\.\.)(?:[ \t]|$)/m;

/**
 * js-yaml quotes every string of a document one way. Double quotes read as in JSON, but Kubernetes
 * messages often quote names (`cannot patch "web"`), each `"` then escaped: a document with such a
 * string is written with single quotes too, and the shorter text kept.
 */
function yamlDocument(value: unknown): string {
  const options = { schema: ANSWER_SCHEMA, lineWidth: -1, noRefs: true } as const;
  let text = dump(value, { ...options, quotingType: '"' });
  if (text.includes('\\"')) {
    const singleQuoted = dump(value, { ...options, quotingType: "'" });
    if (singleQuoted.length < text.length) text = singleQuoted;
  }
  if (!DOCUMENT_MARKER_LINE.test(text)) return text;
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
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
