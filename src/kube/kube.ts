// The Kube of one context: REST calls over the context's transport, shared discovery and Secret
// index, and errors worded for the user. A ContextClient lives as long as the provider; a Kube is
// a view of it for one tool call, whose requests that call's signal aborts. With masking on, every
// object, list and log it answers is masked before a tool sees it (src/kube/masking).
import { setTimeout as sleep } from "node:timers/promises";
import type { Discovery } from "./discovery.ts";
import { helmReleaseObjects } from "./helm-release.ts";
import { CallMasking } from "./masking/context-masking.ts";
import type { SecretIndex, SecretPage, SecretSource, WatchEvent } from "./masking/secret-index.ts";
import { statusError, transportError, type RequestOrigin, type RequestTarget } from "./errors.ts";
import { pathSegment } from "./request-parts.ts";
import type { HttpRequest, Transport } from "./transport.ts";
import {
  KubeError,
  type DeleteOptions,
  type HelmReleaseObjects,
  type Kube,
  type KubeObject,
  type ListOptions,
  type ListResult,
  type LogOptions,
  type PatchType,
  type ResolvedKind,
  type WriteOptions,
} from "./types.ts";

export interface ContextClient {
  origin: RequestOrigin;
  /** The context's namespace, for namespaced objects given without one. */
  namespace: string;
  readOnly: boolean;
  transport: Transport;
  discovery: Discovery;
  /** The context's Secret values, for masking; undefined with --mask-secrets=false. */
  secrets: SecretIndex | undefined;
}

const patchContentTypes: Record<PatchType | "apply", string> = {
  merge: "application/merge-patch+json",
  json: "application/json-patch+json",
  strategic: "application/strategic-merge-patch+json",
  apply: "application/apply-patch+yaml",
};

const DEFAULT_FIELD_MANAGER = "flux-mcp";
/** A list of metadata only where the API server can (every one since 1.15), the whole list where not. */
const METADATA_LIST = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";
/** Throttled reads are sent again this many times, after the wait the server asks for (capped); the call's signal ends the wait. */
const THROTTLE_RETRIES = 3;
const MAX_THROTTLE_WAIT_SECONDS = 5;

/** Sends a request and answers its body, or rejects with a KubeError worded for `target`. */
async function send(client: ContextClient, request: HttpRequest, target: RequestTarget): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const response = await client.transport.send(request);
    if (response.status < 400) return response.body;
    // Like client-go: throttling, and server errors that say when to come back, are retried for
    // reads; never for writes, which may have happened.
    const retryable =
      response.status === 429 || (response.status >= 500 && response.retryAfterSeconds !== undefined);
    if (retryable && request.method === "GET" && attempt < THROTTLE_RETRIES) {
      const seconds = Math.min(response.retryAfterSeconds ?? 1, MAX_THROTTLE_WAIT_SECONDS);
      try {
        await sleep(seconds * 1000, undefined, request.signal && { signal: request.signal });
      } catch (error) {
        throw transportError(error, client.origin, request.signal);
      }
      continue;
    }
    throw statusError(response.status, response.body, target, client.origin);
  }
}

export async function sendJson<T>(
  client: ContextClient,
  request: HttpRequest,
  target: RequestTarget,
): Promise<T> {
  const body = await send(client, request, target);
  try {
    return JSON.parse(body) as T;
  } catch (error) {
    throw new KubeError(
      "ServerError",
      `the Kubernetes API of context ${client.origin.context} answered ${target.verb} ${target.description} with something that is not JSON`,
      { cause: error },
    );
  }
}

/** Raw Secret reads for the masking index: the one place values are read unmasked. */
export function secretSource(client: ContextClient): SecretSource {
  const secretsPath = (namespace: string | undefined) =>
    namespace === undefined
      ? "/api/v1/secrets"
      : `/api/v1/namespaces/${pathSegment(namespace, "namespace")}/secrets`;
  const target = (namespace: string | undefined) => ({
    description: `secrets in ${namespace === undefined ? "all namespaces" : `namespace ${namespace}`} (to mask their values)`,
    verb: "list" as const,
  });
  return {
    context: client.origin.context,
    namespace: client.namespace,
    list: (query, signal, namespace) =>
      sendJson<{ items?: KubeObject[]; metadata?: { resourceVersion?: string; continue?: string } }>(
        client,
        { method: "GET", path: secretsPath(namespace), query, signal },
        target(namespace),
      ).then((list): SecretPage => ({
        items: list.items ?? [],
        resourceVersion: list.metadata?.resourceVersion ?? "",
        ...(list.metadata?.continue && { continue: list.metadata.continue }),
      })),
    async watch(query, onEvent, signal, namespace) {
      let pending = "";
      const onChunk = (chunk: string) => {
        pending += chunk;
        let newline = pending.indexOf("\n");
        while (newline >= 0) {
          const line = pending.slice(0, newline).trim();
          pending = pending.slice(newline + 1);
          if (line !== "") onEvent(JSON.parse(line) as WatchEvent);
          newline = pending.indexOf("\n");
        }
      };
      await send(
        client,
        { method: "GET", path: secretsPath(namespace), query, signal, onChunk },
        target(namespace),
      );
    },
    async namespaces(signal) {
      const names: string[] = [];
      let token: string | undefined;
      do {
        const list = await sendJson<{ items?: KubeObject[]; metadata?: { continue?: string } }>(
          client,
          {
            method: "GET",
            path: "/api/v1/namespaces",
            query: { limit: "500", ...(token !== undefined && { continue: token }) },
            signal,
          },
          { description: "namespaces (to find the Secrets it may read)", verb: "list" },
        );
        for (const item of list.items ?? []) if (item.metadata.name) names.push(item.metadata.name);
        token = list.metadata?.continue || undefined;
      } while (token !== undefined);
      return names;
    },
  };
}

/**
 * The Kube of one tool call: a view of its context's client whose requests carry the call's signal,
 * with every answer masked when masking is on.
 */
export class CallKube implements Kube {
  readonly context: string;
  readonly identity: string;
  readonly namespace: string;
  readonly #client: ContextClient;
  readonly #signal: AbortSignal | undefined;
  readonly #masking: CallMasking | undefined;

  constructor(client: ContextClient, signal: AbortSignal | undefined) {
    this.#client = client;
    this.#signal = signal;
    this.#masking = client.secrets && new CallMasking(client.secrets, signal);
    this.context = client.origin.context;
    this.identity = client.origin.identity;
    this.namespace = client.namespace;
  }

  resolveKind(kind: string, apiVersion?: string): Promise<ResolvedKind> {
    return this.#shared(this.#client.discovery.resolve(kind, apiVersion, this.#signal));
  }

  kinds(): Promise<ResolvedKind[]> {
    return this.#shared(this.#client.discovery.kinds(this.#signal));
  }

  async serverVersion(): Promise<string> {
    const version = await this.#call<{ gitVersion?: string }>(
      { method: "GET", path: "/version" },
      { description: "the server version", verb: "get" },
    );
    return version.gitVersion ?? "";
  }

  async get(kind: ResolvedKind, name: string, namespace?: string): Promise<KubeObject> {
    const ns = this.#namespaceFor(kind, namespace);
    const object = await this.#call<KubeObject>(
      { method: "GET", path: objectPath(kind, name, ns) },
      { description: describeObject(kind, name, ns), verb: "get" },
    );
    return this.#masked(withType(object, kind));
  }

  async list(kind: ResolvedKind, options: ListOptions = {}): Promise<ListResult> {
    const ns = kind.namespaced ? options.namespace : undefined;
    const list = await this.#call<{
      items?: KubeObject[];
      metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
    }>(
      {
        method: "GET",
        path: collectionPath(kind, ns),
        query: {
          labelSelector: options.labelSelector || undefined,
          fieldSelector: options.fieldSelector || undefined,
          limit: options.limit === undefined ? undefined : String(options.limit),
          continue: options.continue || undefined,
        },
        ...(options.metadataOnly && { accept: METADATA_LIST }),
      },
      { description: describeCollection(kind, ns), verb: "list" },
    );
    const metadata = list.metadata ?? {};
    const items = (list.items ?? []).map((item) => withType(item, kind));
    const result: ListResult = {
      items: this.#masking ? await this.#shared(this.#masking.objects(items)) : items,
      resourceVersion: metadata.resourceVersion ?? "",
    };
    if (metadata.continue) result.continue = metadata.continue;
    if (metadata.remainingItemCount !== undefined) result.remainingItemCount = metadata.remainingItemCount;
    return result;
  }

  async getPath(segments: readonly string[], query?: Record<string, string>): Promise<unknown> {
    const path = segments.map((segment) => `/${pathSegment(segment, "path segment")}`).join("");
    const answer = await this.#call<unknown>(
      { method: "GET", path, ...(query && { query }) },
      { description: path, verb: "get" },
    );
    return this.#masking ? this.#shared(this.#masking.json(answer)) : answer;
  }

  async podLogs(namespace: string, pod: string, options: LogOptions = {}): Promise<string> {
    const number = (value: number | undefined) => (value === undefined ? undefined : String(value));
    const body = await send(
      this.#client,
      this.#withSignal({
        method: "GET",
        path: `/api/v1/namespaces/${pathSegment(namespace, "namespace")}/pods/${pathSegment(pod, "pod name")}/log`,
        accept: "text/plain",
        query: {
          container: options.container,
          tailLines: number(options.tailLines),
          sinceSeconds: number(options.sinceSeconds),
          limitBytes: number(options.limitBytes),
          previous: options.previous ? "true" : undefined,
          timestamps: options.timestamps ? "true" : undefined,
        },
      }),
      { description: `the logs of Pod ${namespace}/${pod}`, verb: "get" },
    );
    return this.#masking ? this.#shared(this.#masking.text(body)) : body;
  }

  async create(kind: ResolvedKind, object: KubeObject, options?: WriteOptions): Promise<KubeObject> {
    const ns = this.#namespaceFor(kind, object.metadata.namespace);
    const description = describeObject(
      kind,
      object.metadata.name ??
        (typeof object.metadata.generateName === "string" ? object.metadata.generateName : ""),
      ns,
    );
    this.#refuseWrite("create", description, options);
    const created = await this.#call<KubeObject>(
      {
        method: "POST",
        path: collectionPath(kind, ns),
        query: this.#writeQuery(options),
        body: requestBody(object, kind, ns),
      },
      { description, verb: "create" },
    );
    return this.#masked(withType(created, kind));
  }

  async patch(
    kind: ResolvedKind,
    name: string,
    namespace: string | undefined,
    patch: unknown,
    type: PatchType,
    options?: WriteOptions,
  ): Promise<KubeObject> {
    const ns = this.#namespaceFor(kind, namespace);
    const description = describeObject(kind, name, ns);
    this.#refuseWrite("patch", description, options);
    const patched = await this.#call<KubeObject>(
      {
        method: "PATCH",
        path: objectPath(kind, name, ns, options?.subresource),
        query: this.#writeQuery(options),
        contentType: patchContentTypes[type],
        body: typeof patch === "string" ? patch : JSON.stringify(patch),
      },
      { description, verb: "patch" },
    );
    return this.#masked(withType(patched, kind));
  }

  async apply(
    kind: ResolvedKind,
    object: KubeObject,
    options: WriteOptions & { force?: boolean },
  ): Promise<KubeObject> {
    const name = object.metadata.name ?? "";
    const ns = this.#namespaceFor(kind, object.metadata.namespace);
    const description = describeObject(kind, name, ns);
    this.#refuseWrite("apply", description, options);
    const applied = await this.#call<KubeObject>(
      {
        method: "PATCH",
        path: objectPath(kind, name, ns, options.subresource),
        query: {
          ...this.#writeQuery(options, DEFAULT_FIELD_MANAGER),
          ...(options.force && { force: "true" }),
        },
        contentType: patchContentTypes.apply,
        // JSON is YAML: the apply content type takes it as it is.
        body: requestBody(object, kind, ns),
      },
      { description, verb: "apply" },
    );
    return this.#masked(withType(applied, kind));
  }

  async delete(
    kind: ResolvedKind,
    name: string,
    namespace?: string,
    options: DeleteOptions = {},
  ): Promise<KubeObject | undefined> {
    const ns = this.#namespaceFor(kind, namespace);
    const description = describeObject(kind, name, ns);
    this.#refuseWrite("delete", description, options);
    const answer = await this.#call<KubeObject>(
      {
        method: "DELETE",
        path: objectPath(kind, name, ns),
        query: {
          ...(options.dryRun && { dryRun: "All" }),
          ...(options.propagationPolicy && { propagationPolicy: options.propagationPolicy }),
        },
      },
      { description, verb: "delete" },
    );
    // Most kinds answer with the object (now carrying deletionTimestamp); some with a Status.
    return answer.kind === "Status" ? undefined : this.#masked(withType(answer, kind));
  }

  async helmReleaseObjects(secretName: string, namespace: string): Promise<HelmReleaseObjects> {
    const secret = await this.#call<KubeObject>(
      {
        method: "GET",
        path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(secretName)}`,
      },
      { description: `Secret ${namespace}/${secretName}`, verb: "get" },
    );
    return helmReleaseObjects(secret);
  }

  maskText(text: string): Promise<string> {
    return this.#masking ? this.#shared(this.#masking.text(text)) : Promise.resolve(text);
  }

  #withSignal(request: HttpRequest): HttpRequest {
    return this.#signal ? { ...request, signal: this.#signal } : request;
  }

  #call<T>(request: HttpRequest, target: RequestTarget): Promise<T> {
    return sendJson<T>(this.#client, this.#withSignal(request), target);
  }

  /** Shared work (discovery, Secret values) rejects with the signal's reason when this call stops waiting. */
  async #shared<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (error) {
      throw this.#signal?.aborted ? transportError(error, this.#client.origin, this.#signal) : error;
    }
  }

  #masked<T extends KubeObject | undefined>(object: T): Promise<T> {
    return this.#masking && object ? this.#shared(this.#masking.object(object)) : Promise.resolve(object);
  }

  #namespaceFor(kind: ResolvedKind, namespace: string | undefined): string | undefined {
    return kind.namespaced ? namespace || this.#client.namespace : undefined;
  }

  // A dry run persists nothing, so read-only mode lets it through: diff_kubernetes_manifest needs it.
  #refuseWrite(verb: string, description: string, options: { dryRun?: boolean } | undefined): void {
    if (this.#client.readOnly && !options?.dryRun) {
      throw new KubeError(
        "ReadOnly",
        `refusing to ${verb} ${description} in context ${this.context}: the server is in read-only mode`,
      );
    }
  }

  #writeQuery(options: WriteOptions | undefined, fieldManager?: string): Record<string, string | undefined> {
    return {
      ...(options?.dryRun && { dryRun: "All" }),
      ...((options?.fieldManager ?? fieldManager) !== undefined && {
        fieldManager: options?.fieldManager ?? fieldManager,
      }),
    };
  }
}

function groupVersionPath(kind: ResolvedKind): string {
  return kind.group === "" ? `/api/${kind.version}` : `/apis/${kind.group}/${kind.version}`;
}

function collectionPath(kind: ResolvedKind, namespace: string | undefined): string {
  const scope = !namespace ? "" : `/namespaces/${pathSegment(namespace, "namespace")}`;
  return `${groupVersionPath(kind)}${scope}/${kind.plural}`;
}

function objectPath(
  kind: ResolvedKind,
  name: string,
  namespace: string | undefined,
  subresource?: string,
): string {
  if (name === "") throw new KubeError("BadRequest", `a ${kind.kind} needs a name`);
  const segment = pathSegment(name, `${kind.kind} name`);
  return `${collectionPath(kind, namespace)}/${segment}${subresource ? `/${pathSegment(subresource, "subresource")}` : ""}`;
}

function describeObject(kind: ResolvedKind, name: string, namespace: string | undefined): string {
  return `${kind.kind} ${namespace ? `${namespace}/` : ""}${name}`;
}

function describeCollection(kind: ResolvedKind, namespace: string | undefined): string {
  const resource = kind.group === "" ? kind.plural : `${kind.plural}.${kind.group}`;
  if (!kind.namespaced) return resource;
  return namespace ? `${resource} in namespace ${namespace}` : `${resource} in all namespaces`;
}

/** Lists leave apiVersion and kind out of their items: filled in place, the answer is ours. */
function withType(object: KubeObject, kind: ResolvedKind): KubeObject {
  object.apiVersion ||= kind.apiVersion;
  object.kind ||= kind.kind;
  object.metadata ??= {};
  return object;
}

/** The object to send: typed, and in the namespace the request goes to. */
function requestBody(object: KubeObject, kind: ResolvedKind, namespace: string | undefined): string {
  return JSON.stringify({
    ...object,
    apiVersion: object.apiVersion || kind.apiVersion,
    kind: object.kind || kind.kind,
    metadata: { ...object.metadata, ...(namespace && { namespace }) },
  });
}
