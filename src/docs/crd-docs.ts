// Turns a CustomResourceDefinition into one Markdown document per served version: a section per
// object field (`## spec.install.remediation`) listing its fields with type, default, allowed values
// and the CRD's own description. The cluster's CRDs are the field reference that always matches the
// versions it runs.
import type { KubeObject } from "../kube/types.ts";
import { parseMarkdown, type Doc } from "./markdown.ts";

interface Schema {
  type?: string;
  description?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  format?: string;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-validations"?: { message?: string; rule?: string }[];
}

interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  schema?: { openAPIV3Schema?: Schema };
}

interface CrdSpec {
  group: string;
  scope?: string;
  names: { kind: string; shortNames?: string[] };
  versions?: CrdVersion[];
}

/** A section of the rendered document: an object field and the fields it holds. */
interface FieldGroup {
  path: string;
  schema: Schema;
}

/** Old or deprecated versions only win when nothing about the current one fits. */
const SECONDARY_VERSION_WEIGHT = 0.5;

/** Where a CRD version's document lives; `qualified` adds the group when two groups share a kind. */
function crdDocPath(crd: KubeObject, version: string, qualified = false): string {
  const spec = crd.spec as CrdSpec;
  const kind = spec.names.kind.toLowerCase();
  return `crd/${qualified ? `${kind}.${spec.group}` : kind}/${version}`;
}

/** One document per served version that has a schema. */
export function crdDocs(crd: KubeObject, qualified = false): Doc[] {
  const spec = crd.spec as CrdSpec | undefined;
  if (!spec?.names?.kind || !spec.group) return [];
  return (spec.versions ?? [])
    .filter((version) => version.served !== false && version.schema?.openAPIV3Schema)
    .map((version) =>
      parseMarkdown(
        crdDocPath(crd, version.name, qualified),
        renderVersion(spec, version),
        version.storage && !version.deprecated ? 1 : SECONDARY_VERSION_WEIGHT,
      ),
    );
}

function renderVersion(spec: CrdSpec, version: CrdVersion): string {
  const root = version.schema?.openAPIV3Schema ?? {};
  const kind = spec.names.kind;
  const facts = [
    `${spec.group}/${version.name}`,
    spec.scope === "Cluster" ? "cluster-scoped" : "namespaced",
    spec.names.shortNames?.length ? `short names: ${spec.names.shortNames.join(", ")}` : "",
    version.storage ? "storage version" : "",
    version.deprecated
      ? `deprecated${version.deprecationWarning ? `: ${version.deprecationWarning}` : ""}`
      : "",
  ].filter(Boolean);
  const lines = [
    `# ${kind} ${version.name} schema`,
    `${kind} (${facts.join(", ")}), as served by this cluster.`,
  ];
  if (root.description) lines.push(oneLine(root.description));
  // apiVersion, kind and metadata are the same for every kind.
  const topFields = Object.fromEntries(
    Object.entries(root.properties ?? {}).filter(
      ([name]) => !["apiVersion", "kind", "metadata"].includes(name),
    ),
  );
  lines.push(...fieldLines({ ...root, properties: topFields }));
  for (const group of objectFields("", { properties: topFields })) {
    lines.push("", `## ${group.path}`);
    if (group.schema.description) lines.push(oneLine(group.schema.description));
    lines.push(...fieldLines(group.schema));
  }
  return lines.join("\n");
}

/** Every field below `prefix` that holds fields of its own, parents before children. */
function objectFields(prefix: string, schema: Schema): FieldGroup[] {
  const groups: FieldGroup[] = [];
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${name}` : name;
    const holder = fieldHolder(path, field);
    if (!holder) continue;
    groups.push(holder, ...objectFields(holder.path, holder.schema));
  }
  return groups;
}

/** The object schema a field leads to (itself, its array items or its map values), if it has fields. */
function fieldHolder(path: string, field: Schema): FieldGroup | undefined {
  if (field.properties && Object.keys(field.properties).length > 0) return { path, schema: field };
  if (field.items) {
    const items = fieldHolder(`${path}[]`, field.items);
    return items && { ...items, schema: { ...items.schema, description: field.description } };
  }
  if (typeof field.additionalProperties === "object") {
    const values = fieldHolder(`${path}.*`, field.additionalProperties);
    return values && { ...values, schema: { ...values.schema, description: field.description } };
  }
  return undefined;
}

function fieldLines(schema: Schema): string[] {
  const required = new Set(schema.required ?? []);
  const lines = Object.entries(schema.properties ?? {}).map(([name, field]) => {
    const nested = fieldHolder(name, field) !== undefined;
    const notes = [typeOf(field), required.has(name) ? "required" : "", ...constraints(field)].filter(
      Boolean,
    );
    const description = field.description ? oneLine(field.description) : "";
    // A field with a section of its own is described there; here its first sentence is enough.
    const text = nested ? firstSentence(description) : description;
    return `- ${name} (${notes.join(", ")})${text ? `: ${text}` : ""}`;
  });
  const rules = new Set((schema["x-kubernetes-validations"] ?? []).map((rule) => rule.message ?? ""));
  for (const rule of rules) if (rule) lines.push(`- rule: ${oneLine(rule)}`);
  return lines;
}

function typeOf(field: Schema): string {
  if (field["x-kubernetes-int-or-string"]) return "int or string";
  if (field.type === "array") return `[]${field.items ? typeOf(field.items) : "any"}`;
  if (typeof field.additionalProperties === "object") return `map of ${typeOf(field.additionalProperties)}`;
  if (field["x-kubernetes-preserve-unknown-fields"] && !field.properties) return "free-form object";
  if (field.type === "string" && field.format === "date-time") return "timestamp";
  return field.type ?? "any";
}

function constraints(field: Schema): string[] {
  const notes: string[] = [];
  if (field.enum?.length) notes.push(`one of ${field.enum.map((value) => String(value)).join("|")}`);
  if (field.default !== undefined && typeof field.default !== "object")
    notes.push(`default ${JSON.stringify(field.default)}`);
  return notes;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function firstSentence(text: string): string {
  const end = text.search(/\.(\s|$)/);
  return end < 0 ? text : text.slice(0, end + 1);
}
