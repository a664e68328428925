// The Kubernetes access that tools get: a narrow interface over one kubeconfig context, with
// typed errors. Tools depend on this file only, never on the Kubernetes client library.

interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
  managedFields?: unknown[];
  [field: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** A kind as the cluster serves it, resolved through discovery. */
export interface ResolvedKind {
  group: string;
  /** The version requests use: the one asked for, else the group's preferred version. */
  version: string;
  /** `group/version`, or `version` for the core group. */
  apiVersion: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** Every version the cluster serves this kind in, preferred first. */
  servedVersions: string[];
}

export interface ListOptions {
  /** Omitted: all namespaces (or cluster-scoped). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  /** Items with their metadata only (PartialObjectMetadataList): for names, counts and continue tokens. */
  metadataOnly?: boolean;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  /** Set when more items are left: pass it as `continue` to get them. */
  continue?: string;
  /** How many items are left after this page, when the server says. */
  remainingItemCount?: number;
}

export interface LogOptions {
  container?: string;
  tailLines?: number;
  sinceSeconds?: number;
  previous?: boolean;
  timestamps?: boolean;
  limitBytes?: number;
}

export type PatchType = "merge" | "json" | "strategic";

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  subresource?: "status";
}

export interface DeleteOptions {
  dryRun?: boolean;
  propagationPolicy?: "Background" | "Foreground" | "Orphan";
}

/** An object a Helm release manages, by reference only (Kube.helmReleaseObjects). */
export interface ManifestObject {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface HelmReleaseObjects {
  /** The release's namespace, where its namespaced objects that name none live. */
  namespace: string;
  objects: ManifestObject[];
}

/** One kubeconfig context (or the in-cluster service account), with the identity it acts as. */
export interface Kube {
  /** The context name, or "in-cluster". */
  readonly context: string;
  /** How errors name who was asking, e.g. `as user "bob"`; empty when not impersonating. */
  readonly identity: string;
  /** The namespace of calls that name none: -n/--namespace, else the context's, else "default". */
  readonly namespace: string;

  /** Resolves a kind (and optional apiVersion, with or without version) through discovery. */
  resolveKind(kind: string, apiVersion?: string): Promise<ResolvedKind>;
  /** Every kind the cluster serves (preferred version of each group), from the discovery cache. */
  kinds(): Promise<ResolvedKind[]>;
  serverVersion(): Promise<string>;

  get(kind: ResolvedKind, name: string, namespace?: string): Promise<KubeObject>;
  list(kind: ResolvedKind, options?: ListOptions): Promise<ListResult>;
  /**
   * A GET of an API path not covered above (e.g. metrics.k8s.io lists), answered as JSON: the path's
   * segments, each checked and URL-encoded (`["apis", "metrics.k8s.io", "v1beta1", "pods"]`).
   */
  getPath(segments: readonly string[], query?: Record<string, string>): Promise<unknown>;
  podLogs(namespace: string, pod: string, options?: LogOptions): Promise<string>;

  create(kind: ResolvedKind, object: KubeObject, options?: WriteOptions): Promise<KubeObject>;
  patch(
    kind: ResolvedKind,
    name: string,
    namespace: string | undefined,
    patch: unknown,
    type: PatchType,
    options?: WriteOptions,
  ): Promise<KubeObject>;
  /** Server-side apply; `force` takes over conflicting fields. */
  apply(
    kind: ResolvedKind,
    object: KubeObject,
    options: WriteOptions & { force?: boolean },
  ): Promise<KubeObject>;
  delete(
    kind: ResolvedKind,
    name: string,
    namespace?: string,
    options?: DeleteOptions,
  ): Promise<KubeObject | undefined>;

  /**
   * The objects of a Helm release, from its storage Secret (`sh.helm.release.v1.<release>.v<n>`):
   * references only, the one read of such a Secret's data a tool can ask for. Throws
   * KubeError("NotFound") without the Secret, and a plain Error when it holds no readable release.
   */
  helmReleaseObjects(secretName: string, namespace: string): Promise<HelmReleaseObjects>;

  /**
   * The text with every Secret value of the cluster masked, in every encoding (a no-op with
   * --mask-secrets=false): the server's last pass over what a call lets out. Objects and logs this
   * Kube answers are masked already.
   */
  maskText(text: string): Promise<string>;
}

export type KubeErrorReason =
  | "NotFound"
  | "Forbidden"
  | "Unauthorized"
  | "Invalid"
  | "Conflict"
  | "BadRequest"
  | "UnknownKind"
  | "AmbiguousKind"
  | "Unreachable"
  | "Timeout"
  | "Cancelled"
  | "ReadOnly"
  | "Config"
  | "ServerError";

/** A failure a user can act on: its message is one line naming the object, context and identity. */
export class KubeError extends Error {
  readonly reason: KubeErrorReason;
  readonly status: number | undefined;

  constructor(reason: KubeErrorReason, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "KubeError";
    this.reason = reason;
    this.status = options.status;
  }
}

export interface ContextInfo {
  name: string;
  cluster: string;
  user: string;
  namespace?: string;
  /** The context a session uses when it names none. */
  current: boolean;
}

/** Hands out one Kube per context; every MCP session shares it but keeps its own current context. */
export interface KubeProvider {
  readonly inCluster: boolean;
  /** The contexts of the merged kubeconfig; empty in-cluster. Throws KubeError("Config") when unreadable. */
  contexts(): Promise<ContextInfo[]>;
  /** The context used when none is named: --kube-context, else the kubeconfig's current-context. */
  defaultContext(): Promise<string>;
  /**
   * The Kube of `context` (default: defaultContext()) for one tool call: requests are aborted by
   * `signal`; discovery and connections are shared with every other call on that context.
   */
  forContext(context?: string, signal?: AbortSignal): Promise<Kube>;
  /** Readies the default context (its client, discovery and a connection) ahead of the first call. */
  warmUp(): Promise<void>;
}
