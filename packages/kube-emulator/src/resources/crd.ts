// Reads a CustomResourceDefinition (apiextensions.k8s.io/v1) into the server's ResourceType, and
// fills the status kube-apiserver gives an accepted CRD.
import { z } from "zod";
import type { KubeObject } from "../types.ts";
import { compareVersionNames } from "./version-order.ts";
import { STANDARD_VERBS, type PrinterColumn, type ResourceType } from "./resource-type.ts";

const printerColumnSchema = z.object({
  name: z.string(),
  type: z.enum(["string", "integer", "number", "boolean", "date"]),
  jsonPath: z.string(),
  description: z.string().optional(),
  priority: z.number().int().optional(),
  format: z.string().optional(),
});

const crdSchema = z.object({
  metadata: z.object({ name: z.string() }),
  spec: z.object({
    group: z.string().min(1),
    scope: z.enum(["Namespaced", "Cluster"]),
    names: z.object({
      kind: z.string().min(1),
      plural: z.string().min(1),
      singular: z.string().optional(),
      listKind: z.string().optional(),
      shortNames: z.array(z.string()).optional(),
      categories: z.array(z.string()).optional(),
    }),
    versions: z
      .array(
        z.object({
          name: z.string().min(1),
          served: z.boolean(),
          storage: z.boolean(),
          schema: z.object({ openAPIV3Schema: z.record(z.string(), z.unknown()).optional() }).optional(),
          additionalPrinterColumns: z.array(printerColumnSchema).optional(),
          subresources: z.object({ status: z.unknown().optional() }).optional(),
        }),
      )
      .min(1),
  }),
});

export class InvalidCrdError extends Error {}

export function crdToResourceType(crd: KubeObject): ResourceType {
  const parsed = crdSchema.safeParse(crd);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.join(".")}: ${issue.message}` : "invalid";
    throw new InvalidCrdError(`CustomResourceDefinition "${crd.metadata.name ?? ""}" is invalid: ${where}`);
  }
  const { spec, metadata } = parsed.data;
  const expectedName = `${spec.names.plural}.${spec.group}`;
  if (metadata.name !== expectedName) {
    throw new InvalidCrdError(
      `CustomResourceDefinition.apiextensions.k8s.io "${metadata.name}" is invalid: metadata.name: Invalid value: "${metadata.name}": must be spec.names.plural+"."+spec.group`,
    );
  }
  const versions = spec.versions
    .filter((version) => version.served)
    .sort((a, b) => compareVersionNames(a.name, b.name))
    .map((version) => ({
      name: version.name,
      storage: version.storage,
      ...(version.schema?.openAPIV3Schema && { schema: version.schema.openAPIV3Schema }),
      printerColumns: (version.additionalPrinterColumns ?? []) as PrinterColumn[],
      statusSubresource: version.subresources?.status !== undefined,
    }));
  return {
    group: spec.group,
    kind: spec.names.kind,
    listKind: spec.names.listKind ?? `${spec.names.kind}List`,
    plural: spec.names.plural,
    singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
    namespaced: spec.scope === "Namespaced",
    shortNames: spec.names.shortNames ?? [],
    categories: spec.names.categories ?? [],
    versions,
    verbs: STANDARD_VERBS,
    crdName: metadata.name,
  };
}

/** The status kube-apiserver writes once a CRD's names are accepted and its kind is served. */
export function acceptedCrdStatus(crd: KubeObject, now: string): Record<string, unknown> {
  const spec = crd.spec as { names?: unknown; versions?: { name: string; storage: boolean }[] };
  const condition = (type: string, reason: string, message: string) => ({
    type,
    status: "True",
    lastTransitionTime: now,
    reason,
    message,
  });
  return {
    acceptedNames: spec.names,
    conditions: [
      condition("NamesAccepted", "NoConflicts", "no conflicts found"),
      condition("Established", "InitialNamesAccepted", "the initial names have been accepted"),
    ],
    storedVersions: (spec.versions ?? []).filter((version) => version.storage).map((version) => version.name),
  };
}
