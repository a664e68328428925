// One in-memory cluster: its resources, objects, logs and metrics, and the meaning of each write
// (names, uids, generations, finalizers, garbage collection, CRD registration) as kube-apiserver
// gives it. The HTTP layer, the loader and the Flux simulation all write through here.
import { randomBytes, randomUUID } from "node:crypto";
import { alreadyExists, ApiError, badRequest, conflict, invalid, notFound } from "./api-error.ts";
import { toCoreEvent, toEventsV1 } from "./event-versions.ts";
import { recordUpdate } from "./patch/server-side-apply.ts";
import type { PodLogs } from "./pod-logs.ts";
import { acceptedCrdStatus, InvalidCrdError } from "./resources/crd.ts";
import { ResourceRegistry } from "./resources/registry.ts";
import { apiVersionOf, storageVersion, type ResourceType } from "./resources/resource-type.ts";
import { createAuthorizer, type Authorizer, type RbacSource } from "./security/rbac.ts";
import { ObjectStore } from "./store.ts";
import type { KubeObject } from "./types.ts";

export interface ClusterInfo {
  name: string;
  kubernetesVersion: string;
  /** A record of a cluster (a support bundle): served, never changed. */
  readOnly?: boolean;
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  subresource?: "status";
  /** Set by server-side apply, which computes managedFields itself. */
  managedFieldsTracked?: boolean;
}

export type PropagationPolicy = "Background" | "Foreground" | "Orphan";

export interface DeleteOptions {
  dryRun?: boolean;
  propagationPolicy?: PropagationPolicy;
  preconditions?: { uid?: string; resourceVersion?: string };
}

const coreEventsCollection = "/events";
const rbacGroup = "rbac.authorization.k8s.io";
const crdGroup = "apiextensions.k8s.io";
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export class Cluster {
  readonly info: ClusterInfo;
  readonly registry = new ResourceRegistry();
  readonly store = new ObjectStore();
  /** Logs by `namespace/pod`. */
  readonly podLogs = new Map<string, PodLogs>();
  readonly podMetrics: KubeObject[] = [];
  readonly nodeMetrics: KubeObject[] = [];
  readonly rbac: RbacSource;
  readonly authorize: Authorizer;

  constructor(info: ClusterInfo) {
    this.info = info;
    const rbacList = (plural: string, namespace?: string) =>
      this.store.list(`${rbacGroup}/${plural}`, namespace);
    this.rbac = {
      clusterRoles: () => rbacList("clusterroles"),
      clusterRoleBindings: () => rbacList("clusterrolebindings"),
      roles: (namespace) => rbacList("roles", namespace),
      roleBindings: (namespace) => rbacList("rolebindings", namespace),
    };
    this.authorize = createAuthorizer(this.rbac);
  }

  /** Where a type's objects live; events.k8s.io Events share the core Events' storage. */
  collectionOf(type: ResourceType): string {
    if (type.kind === "Event" && (type.group === "events.k8s.io" || type.group === "")) {
      return coreEventsCollection;
    }
    return `${type.group}/${type.plural}`;
  }

  typeOf(object: KubeObject): ResourceType {
    const type = this.registry.byKind(object.apiVersion, object.kind);
    if (!type) {
      throw badRequest(`no matches for kind "${object.kind}" in version "${object.apiVersion}"`);
    }
    return type;
  }

  /** The stored object as a client of `version` sees it. */
  present(type: ResourceType, version: string, object: KubeObject): KubeObject {
    if (this.collectionOf(type) === coreEventsCollection && type.group === "events.k8s.io") {
      return toEventsV1(object);
    }
    return { ...object, apiVersion: apiVersionOf(type.group, version) };
  }

  /** A client's object in the form it is stored in. */
  #toStorage(type: ResourceType, object: KubeObject): KubeObject {
    if (type.group === "events.k8s.io") return toCoreEvent(object);
    const stored = { ...object, apiVersion: apiVersionOf(type.group, storageVersion(type).name) };
    return type.group === "" && type.kind === "Secret" ? mergeStringData(stored) : stored;
  }

  find(type: ResourceType, namespace: string, name: string): KubeObject | undefined {
    return this.store.get(this.collectionOf(type), type.namespaced ? namespace : "", name);
  }

  get(type: ResourceType, namespace: string, name: string): KubeObject {
    const object = this.find(type, namespace, name);
    if (!object) throw notFound(type, name);
    return object;
  }

  list(type: ResourceType, namespace?: string): KubeObject[] {
    return this.store.list(this.collectionOf(type), type.namespaced ? namespace : undefined);
  }

  create(type: ResourceType, input: KubeObject, options: WriteOptions = {}): KubeObject {
    const now = timestamp();
    const metadata = { ...input.metadata };
    if (!metadata.name && metadata.generateName) metadata.name = metadata.generateName + randomSuffix();
    const name = metadata.name ?? "";
    this.#validateMeta(type, name, metadata.namespace);
    if (!type.namespaced) delete metadata.namespace;
    if (this.find(type, metadata.namespace ?? "", name)) throw alreadyExists(type, name);
    if (type.namespaced && type.kind !== "Namespace") this.#requireNamespace(metadata.namespace ?? "");
    delete metadata.deletionTimestamp;
    const created: KubeObject = {
      ...this.#toStorage(type, input),
      metadata: {
        ...metadata,
        uid: randomUUID(),
        creationTimestamp: now,
        ...(tracksGeneration(type, input) && { generation: 1 }),
      },
    };
    delete created.metadata.resourceVersion;
    if (type.kind === "Namespace") created.status = { phase: "Active" };
    if (type.group === crdGroup) this.#acceptCrd(created, now);
    const tracked = options.managedFieldsTracked
      ? created
      : recordUpdate({
          before: undefined,
          after: created,
          manager: options.fieldManager ?? "unknown",
          now,
          apiVersion: created.apiVersion,
        });
    if (options.dryRun) return { ...tracked, metadata: { ...tracked.metadata, resourceVersion: "" } };
    return this.#store(type, tracked);
  }

  /** Loads an object as it was dumped, keeping its uid, timestamps and status. */
  restore(type: ResourceType, input: KubeObject): KubeObject {
    const metadata = { ...input.metadata };
    const name = metadata.name ?? "";
    this.#validateMeta(type, name, metadata.namespace);
    if (!type.namespaced) delete metadata.namespace;
    const restored: KubeObject = {
      ...this.#toStorage(type, input),
      metadata: {
        ...metadata,
        uid: metadata.uid ?? randomUUID(),
        creationTimestamp: metadata.creationTimestamp ?? timestamp(),
        ...(tracksGeneration(type, input) && { generation: metadata.generation ?? 1 }),
      },
    };
    if (type.group === crdGroup) this.#acceptCrd(restored, timestamp());
    return this.#store(type, restored);
  }

  update(type: ResourceType, input: KubeObject, options: WriteOptions = {}): KubeObject {
    const name = input.metadata.name ?? "";
    const namespace = type.namespaced ? (input.metadata.namespace ?? "") : "";
    const live = this.get(type, namespace, name);
    const sentVersion = input.metadata.resourceVersion;
    if (sentVersion && sentVersion !== live.metadata.resourceVersion) {
      throw conflict(
        type,
        name,
        "the object has been modified; please apply your changes to the latest version and try again",
      );
    }
    if (input.metadata.uid && input.metadata.uid !== live.metadata.uid) {
      throw conflict(
        type,
        name,
        `Precondition failed: UID in precondition: ${input.metadata.uid}, UID in object meta: ${live.metadata.uid}`,
      );
    }
    const incoming = this.#toStorage(type, input);
    const next =
      options.subresource === "status"
        ? this.#statusWrite(live, incoming)
        : this.#mainWrite(type, live, incoming);
    const now = timestamp();
    if (type.group === crdGroup && options.subresource !== "status") this.#acceptCrd(next, now);
    const tracked = options.managedFieldsTracked
      ? next
      : recordUpdate({
          before: live,
          after: next,
          manager: options.fieldManager ?? "unknown",
          now,
          apiVersion: next.apiVersion,
          ...(options.subresource && { subresource: options.subresource }),
        });
    if (options.dryRun) return tracked;
    if (tracked.metadata.deletionTimestamp && (tracked.metadata.finalizers ?? []).length === 0) {
      return this.#remove(type, tracked, "Background");
    }
    return this.#store(type, tracked);
  }

  delete(type: ResourceType, namespace: string, name: string, options: DeleteOptions = {}): KubeObject {
    const live = this.get(type, namespace, name);
    const { uid, resourceVersion } = options.preconditions ?? {};
    if (uid && uid !== live.metadata.uid) {
      throw conflict(
        type,
        name,
        `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${live.metadata.uid}`,
      );
    }
    if (resourceVersion && resourceVersion !== live.metadata.resourceVersion) {
      throw conflict(
        type,
        name,
        `Precondition failed: ResourceVersion in precondition: ${resourceVersion}, ResourceVersion in object meta: ${live.metadata.resourceVersion}`,
      );
    }
    if (options.dryRun) return live;
    if ((live.metadata.finalizers ?? []).length > 0) {
      if (live.metadata.deletionTimestamp) return live;
      return this.#store(type, {
        ...live,
        metadata: { ...live.metadata, deletionTimestamp: timestamp(), deletionGracePeriodSeconds: 0 },
      });
    }
    return this.#remove(type, live, options.propagationPolicy ?? "Background");
  }

  /** Namespaces in use must exist, as kube-apiserver's NamespaceLifecycle admission requires. */
  #requireNamespace(namespace: string): void {
    const namespaces = this.registry.byPlural("", "namespaces") as ResourceType;
    const found = this.find(namespaces, "", namespace);
    if (!found) throw notFound(namespaces, namespace);
    if (found.metadata.deletionTimestamp) {
      throw new ApiError(
        403,
        "Forbidden",
        `unable to create new content in namespace ${namespace} because it is being terminated`,
      );
    }
  }

  #validateMeta(type: ResourceType, name: string, namespace: string | undefined): void {
    const causes: { type: string; field: string; message: string }[] = [];
    if (!name)
      causes.push({
        type: "FieldValueRequired",
        field: "metadata.name",
        message: "Required value: name or generateName is required",
      });
    else if (!dns1123Subdomain.test(name) && !type.group.startsWith(rbacGroup)) {
      causes.push({
        type: "FieldValueInvalid",
        field: "metadata.name",
        message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
      });
    }
    if (type.namespaced && !namespace) {
      causes.push({ type: "FieldValueRequired", field: "metadata.namespace", message: "Required value" });
    }
    if (causes.length > 0) throw invalid(type, name, causes);
  }

  #acceptCrd(crd: KubeObject, now: string): void {
    try {
      this.registry.registerCrd(crd);
    } catch (error) {
      if (error instanceof InvalidCrdError) throw new ApiError(422, "Invalid", error.message);
      throw error;
    }
    crd.status = acceptedCrdStatus(crd, now);
  }

  /** An update of the main resource: status is kept when the type has a status subresource. */
  #mainWrite(type: ResourceType, live: KubeObject, incoming: KubeObject): KubeObject {
    const hasStatusSubresource = storageVersion(type).statusSubresource;
    const next: KubeObject = {
      ...incoming,
      metadata: {
        ...incoming.metadata,
        uid: live.metadata.uid,
        creationTimestamp: live.metadata.creationTimestamp,
        generation: live.metadata.generation,
        ...(live.metadata.deletionTimestamp && { deletionTimestamp: live.metadata.deletionTimestamp }),
      },
    };
    if (!type.namespaced) delete next.metadata.namespace;
    if (hasStatusSubresource) {
      if (live.status === undefined) delete next.status;
      else next.status = live.status;
    }
    if (live.metadata.generation !== undefined && specChanged(live, next)) {
      next.metadata.generation = live.metadata.generation + 1;
    }
    return next;
  }

  /** A write to the status subresource changes status only. */
  #statusWrite(live: KubeObject, incoming: KubeObject): KubeObject {
    const next: KubeObject = { ...live, metadata: { ...live.metadata } };
    if (incoming.status === undefined) delete next.status;
    else next.status = incoming.status;
    return next;
  }

  #store(type: ResourceType, object: KubeObject): KubeObject {
    return this.store.put(this.collectionOf(type), object);
  }

  #remove(type: ResourceType, object: KubeObject, policy: PropagationPolicy): KubeObject {
    const removed = this.store.remove(this.collectionOf(type), object) ?? object;
    if (type.kind === "Namespace" && type.group === "") this.#emptyNamespace(object.metadata.name ?? "");
    if (type.group === crdGroup) {
      const unregistered = this.registry.unregisterCrd(object);
      if (unregistered) this.store.dropCollection(this.collectionOf(unregistered));
    }
    this.#collectGarbage(object.metadata.uid ?? "", policy);
    return removed;
  }

  #emptyNamespace(namespace: string): void {
    for (const type of this.registry.all()) {
      if (!type.namespaced || type.virtual || type.group === "events.k8s.io") continue;
      for (const object of this.store.list(this.collectionOf(type), namespace)) {
        this.#remove(type, object, "Background");
      }
    }
  }

  /** Dependents of a removed owner go too, or lose the reference when orphaned. */
  #collectGarbage(ownerUid: string, policy: PropagationPolicy): void {
    if (!ownerUid) return;
    for (const type of this.registry.all()) {
      if (type.virtual || type.group === "events.k8s.io") continue;
      for (const object of this.store.list(this.collectionOf(type))) {
        const references = object.metadata.ownerReferences ?? [];
        if (!references.some((reference) => reference.uid === ownerUid)) continue;
        const remaining = references.filter((reference) => reference.uid !== ownerUid);
        if (policy === "Orphan" || remaining.length > 0) {
          this.#store(type, { ...object, metadata: { ...object.metadata, ownerReferences: remaining } });
        } else if ((object.metadata.finalizers ?? []).length > 0) {
          this.#store(type, { ...object, metadata: { ...object.metadata, deletionTimestamp: timestamp() } });
        } else {
          this.#remove(type, object, policy);
        }
      }
    }
  }
}

/** Kubernetes timestamps: RFC 3339 in UTC, to the second. */
function timestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function randomSuffix(): string {
  const alphabet = "bcdfghjklmnpqrstvwxz2456789";
  return [...randomBytes(5)].map((byte) => alphabet[byte % alphabet.length]).join("");
}

/** Custom resources and kinds with a spec count their spec changes; ConfigMaps and the like do not. */
function tracksGeneration(type: ResourceType, object: KubeObject): boolean {
  return type.crdName !== undefined || object.spec !== undefined;
}

/** Anything but metadata and status counts as spec for the generation, as in Kubernetes. */
function specChanged(before: KubeObject, after: KubeObject): boolean {
  const specOf = (object: KubeObject) => {
    const { metadata: _metadata, status: _status, apiVersion: _apiVersion, kind: _kind, ...rest } = object;
    return rest;
  };
  return !deepEqual(specOf(before), specOf(after));
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length !== bKeys.length) return false;
  return aKeys.every((key) =>
    deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}

/**
 * Secret `stringData` is write-only: like kube-apiserver, its values are base64-encoded into `data`
 * (overriding keys present in both) and the field itself is never stored, so never returned.
 */
function mergeStringData(secret: KubeObject): KubeObject {
  const { stringData, ...rest } = secret as KubeObject & { stringData?: unknown };
  if (stringData === undefined || stringData === null || typeof stringData !== "object") return rest;
  const data: Record<string, unknown> = { ...((rest.data as Record<string, unknown> | undefined) ?? {}) };
  for (const [key, value] of Object.entries(stringData)) {
    data[key] = Buffer.from(String(value), "utf8").toString("base64");
  }
  return { ...rest, data };
}
