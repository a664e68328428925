// What the API server knows about one resource (a group + plural), whether built in or
// registered by a CustomResourceDefinition. Discovery, routing, OpenAPI and tables read it.

/** An additionalPrinterColumn as CRDs declare it; built-in kinds use the same shape. */
export interface PrinterColumn {
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  /** Simple JSONPath without the braces, e.g. `.status.conditions[?(@.type=="Ready")].status`. */
  jsonPath: string;
  description?: string;
  /** 0 for the default view, 1 for columns only shown with `-o wide`. */
  priority?: number;
  format?: string;
}

export interface ResourceVersion {
  name: string;
  /** The version objects are stored in; exactly one per resource. */
  storage: boolean;
  /** openAPIV3Schema of this version; absent for built-in kinds, which get a permissive one. */
  schema?: Record<string, unknown>;
  printerColumns: PrinterColumn[];
  /** Has a `status` subresource: writes to the main resource ignore status, and vice versa. */
  statusSubresource: boolean;
}

export interface ResourceType {
  group: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Served versions, the preferred one first (Kubernetes version priority). */
  versions: ResourceVersion[];
  verbs: string[];
  /** Served by a computed view (metrics, reviews), never stored: only the listed verbs exist. */
  virtual?: boolean;
  /** The CRD that registered it; absent for built-in kinds. */
  crdName?: string;
}

export const STANDARD_VERBS = [
  "create",
  "delete",
  "deletecollection",
  "get",
  "list",
  "patch",
  "update",
  "watch",
];

/** `group/version`, or just `version` for the core group. */
export function apiVersionOf(group: string, version: string): string {
  return group === "" ? version : `${group}/${version}`;
}

/** The storage version of a resource. */
export function storageVersion(type: ResourceType): ResourceVersion {
  return type.versions.find((version) => version.storage) ?? (type.versions[0] as ResourceVersion);
}
