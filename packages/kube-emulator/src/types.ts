// Shared vocabulary of the in-memory Kubernetes API server. Kept free of behaviour so that
// every module of the server (store, handlers, security, simulation) can agree on it.

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  managedFields?: unknown[];
  [field: string]: unknown;
}

interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** Who is asking, after authentication and impersonation. */
export interface Identity {
  user: string;
  groups: string[];
  /** Set by Impersonate-Uid. */
  uid?: string;
}

/** What is being asked, in the terms RBAC rules are written in. */
export interface RequestAttributes {
  identity: Identity;
  /** Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection, impersonate. */
  verb: string;
  apiGroup: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** Set for non-resource requests (/version, /api, /openapi/v2 ...). */
  nonResourcePath?: string;
}

/** One entry of the request log that tests read. */
export interface RequestLogEntry {
  time: string;
  method: string;
  path: string;
  verb: string;
  user: string;
  groups: string[];
  uid?: string;
  status: number;
  /** The Accept header, when the client sent one (e.g. asking for metadata only). */
  accept?: string;
}
