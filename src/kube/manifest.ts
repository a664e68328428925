// Reading the Kubernetes objects of a YAML (or JSON) manifest: several documents, `kind: List`
// expanded, and a one-line reason naming the document when something is not an object.
import { parseAllDocuments } from "yaml";
import type { KubeObject } from "./types.ts";

export type ManifestParse = { objects: KubeObject[] } | { error: string };

export function parseManifest(text: string): ManifestParse {
  const objects: KubeObject[] = [];
  const documents = parseAllDocuments(text);
  const list = Array.isArray(documents) ? documents : [];
  for (const [index, document] of list.entries()) {
    const at = `document ${index + 1}`;
    const syntax = document.errors[0];
    if (syntax) return { error: `invalid YAML in ${at}: ${firstLine(syntax.message)}` };
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      // An alias bomb (aliases that would expand to millions of nodes) is refused by the parser.
      return { error: `${at} cannot be read: ${firstLine((error as Error).message)}` };
    }
    if (value === null || value === undefined) continue;
    const problem = collect(value, at, objects);
    if (problem) return { error: problem };
  }
  if (objects.length === 0) return { error: "no Kubernetes objects found in the manifest" };
  return { objects };
}

function collect(value: unknown, at: string, objects: KubeObject[]): string | undefined {
  if (typeof value !== "object" || Array.isArray(value) || value === null) {
    return `${at} is not a Kubernetes object: expected a mapping with apiVersion, kind and metadata.name`;
  }
  const candidate = value as Partial<KubeObject> & { items?: unknown };
  if (typeof candidate.kind === "string" && candidate.kind.endsWith("List") && "items" in candidate) {
    if (!Array.isArray(candidate.items)) return `${at}: ${candidate.kind} has no items list`;
    for (const [index, item] of candidate.items.entries()) {
      const problem = collect(item, `${at}, item ${index + 1}`, objects);
      if (problem) return problem;
    }
    return undefined;
  }
  if (
    typeof candidate.apiVersion === "string" &&
    candidate.apiVersion.startsWith("kustomize.config.k8s.io/")
  ) {
    return `${at} is a kustomize ${candidate.kind ?? "file"} (kustomize.config.k8s.io), not a Kubernetes object: build it (kustomize build) and pass the output`;
  }
  const metadata = candidate.metadata;
  const name = typeof metadata?.name === "string" ? metadata.name : "";
  const label = `${at}${typeof candidate.kind === "string" ? ` (${candidate.kind}${name ? ` ${name}` : ""})` : ""}`;
  if (typeof candidate.apiVersion !== "string" || candidate.apiVersion === "")
    return `${label} has no apiVersion`;
  if (typeof candidate.kind !== "string" || candidate.kind === "") return `${label} has no kind`;
  if (!name) return `${label} has no metadata.name`;
  if (metadata?.namespace !== undefined && typeof metadata.namespace !== "string") {
    return `${label} has a metadata.namespace that is not a string`;
  }
  objects.push(candidate as KubeObject);
  return undefined;
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? text;
}
