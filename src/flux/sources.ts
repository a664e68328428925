// Where a Flux object takes its content from: a Kustomization's spec.sourceRef, a HelmRelease's
// spec.chartRef or the HelmChart that helm-controller generates from its spec.chart template, a
// HelmChart's spec.sourceRef, an ExternalArtifact's producer. Unlike the reconcile path, every kind
// of reference is answered, reconcilable or not.
import type { KubeObject } from "../kube/types.ts";

export const SOURCE_GROUP = "source.toolkit.fluxcd.io";

export interface SourceReference {
  kind: string;
  /** The API group (from the reference's apiVersion; Flux's source group when it names none). */
  group: string;
  /** The version the reference names, when it names one. */
  version?: string;
  name: string;
  namespace: string;
  /** The field it comes from, e.g. "spec.chartRef"; "status.helmChart" for a generated chart. */
  field: string;
}

interface Ref {
  apiVersion?: unknown;
  kind?: unknown;
  name?: unknown;
  namespace?: unknown;
}

/** The object's source, or undefined when it names none (a GitRepository, a Deployment…). */
export function sourceReferenceOf(object: KubeObject): SourceReference | undefined {
  const namespace = object.metadata.namespace ?? "";
  const spec = (object.spec ?? {}) as {
    chartRef?: Ref;
    sourceRef?: Ref;
    chart?: { spec?: { sourceRef?: Ref } };
  };
  if (spec.chartRef) return fromRef(spec.chartRef, namespace, "spec.chartRef");
  if (spec.sourceRef) return fromRef(spec.sourceRef, namespace, "spec.sourceRef");
  const template = spec.chart?.spec?.sourceRef;
  if (object.kind === "HelmRelease" && template) return generatedChart(object, template, namespace);
  return undefined;
}

function fromRef(ref: Ref, namespace: string, field: string): SourceReference | undefined {
  if (typeof ref.kind !== "string" || !ref.kind || typeof ref.name !== "string" || !ref.name)
    return undefined;
  const apiVersion = typeof ref.apiVersion === "string" ? ref.apiVersion : "";
  const slash = apiVersion.indexOf("/");
  return {
    kind: ref.kind,
    group: slash < 0 ? SOURCE_GROUP : apiVersion.slice(0, slash),
    ...(slash >= 0 && { version: apiVersion.slice(slash + 1) }),
    name: ref.name,
    namespace: typeof ref.namespace === "string" && ref.namespace ? ref.namespace : namespace,
    field,
  };
}

/**
 * helm-controller names the chart `<release namespace>-<release name>` and creates it in the
 * namespace of the chart's source, not of the release; status.helmChart records it once it exists.
 */
function generatedChart(release: KubeObject, sourceRef: Ref, namespace: string): SourceReference {
  const recorded = (release.status as { helmChart?: unknown } | undefined)?.helmChart;
  if (typeof recorded === "string" && recorded.includes("/")) {
    const [chartNamespace = "", name = ""] = recorded.split("/", 2);
    return {
      kind: "HelmChart",
      group: SOURCE_GROUP,
      name,
      namespace: chartNamespace,
      field: "status.helmChart",
    };
  }
  const sourceNamespace =
    typeof sourceRef.namespace === "string" && sourceRef.namespace ? sourceRef.namespace : namespace;
  return {
    kind: "HelmChart",
    group: SOURCE_GROUP,
    name: `${namespace}-${release.metadata.name ?? ""}`,
    namespace: sourceNamespace,
    field: "spec.chart",
  };
}

/**
 * A source's `spec.ref` as a person reads it, by the precedence the controllers apply: commit, ref
 * name, semver, tag, branch (OCI: digest, semver, tag). Undefined when it names nothing.
 */
export function describeRef(ref: unknown): string | undefined {
  if (typeof ref !== "object" || ref === null) return undefined;
  const fields = ref as Record<string, unknown>;
  for (const field of ["commit", "digest", "name", "semver", "tag", "branch"]) {
    const value = fields[field];
    if (typeof value !== "string" || value === "") continue;
    return field === "name" ? value : `${field} ${value}`;
  }
  return undefined;
}
