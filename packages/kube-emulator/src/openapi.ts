// OpenAPI v3 as kubectl 1.32 reads it. `GET /openapi/v3` lists one document per group-version,
// each behind a content-hashed URL so kubectl can cache it. kubectl uses the documents twice:
//  - `explain` finds the kind through the x-kubernetes-group-version-kind of the operations on the
//    resource's collection or item path, then the schema carrying the same extension;
//  - `apply`/`create` with --validate=strict look for a `fieldValidation` parameter on the PATCH
//    operation of the kind, and then leave validation to the server. Without one, kubectl would
//    validate client-side with OpenAPI v2, which this server does not serve.
import { createHash } from "node:crypto";
import {
  API_VERSION_PROPERTY,
  KIND_PROPERTY,
  LIST_METADATA_PROPERTY,
  METADATA_PROPERTY,
  PATCH,
  SHARED_SCHEMAS,
  STATUS,
  builtinSchema,
  ref,
} from "./openapi-schemas.ts";
import type { ResourceType, ResourceVersion } from "./resources/resource-type.ts";

type Json = Record<string, unknown>;

interface GroupVersion {
  group: string;
  version: string;
}

interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** The `/openapi/v3` discovery document: every served group-version and where its document is. */
export function openApiV3Index(types: readonly ResourceType[]): object {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const groupVersion of servedGroupVersions(types)) {
    const path = groupVersionPath(groupVersion);
    const document = buildDocument(types, groupVersion);
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${documentHash(document)}` };
  }
  return { paths };
}

/** groupVersionPath is e.g. "apis/helm.toolkit.fluxcd.io/v2" or "api/v1"; undefined when nothing is served there. */
export function openApiV3Document(
  types: readonly ResourceType[],
  groupVersionPath: string,
): object | undefined {
  const groupVersion = parseGroupVersionPath(groupVersionPath);
  if (!groupVersion) return undefined;
  const document = buildDocument(types, groupVersion);
  return Object.keys(document.paths as Json).length > 0 ? document : undefined;
}

/** Stable hash of a document, upper-case hex SHA-512 like kube-apiserver's. */
function documentHash(document: object): string {
  return createHash("sha512").update(canonicalJson(document)).digest("hex").toUpperCase();
}

/** The component name kube-apiserver gives a kind's schema, e.g. io.fluxcd.toolkit.helm.v2.HelmRelease. */
function schemaName(type: ResourceType, version: string, kind: string = type.kind): string {
  const builtinPackage = type.crdName === undefined ? BUILTIN_PACKAGES[type.group] : undefined;
  const prefix = builtinPackage ?? type.group.split(".").reverse().join(".");
  return `${prefix}.${version}.${kind}`;
}

const BUILTIN_PACKAGES: Record<string, string> = {
  "": "io.k8s.api.core",
  apps: "io.k8s.api.apps",
  autoscaling: "io.k8s.api.autoscaling",
  batch: "io.k8s.api.batch",
  "events.k8s.io": "io.k8s.api.events",
  "networking.k8s.io": "io.k8s.api.networking",
  policy: "io.k8s.api.policy",
  "rbac.authorization.k8s.io": "io.k8s.api.rbac",
  "authorization.k8s.io": "io.k8s.api.authorization",
  "apiextensions.k8s.io": "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions",
  "metrics.k8s.io": "io.k8s.metrics.pkg.apis.metrics",
};

function servedGroupVersions(types: readonly ResourceType[]): GroupVersion[] {
  const seen = new Map<string, GroupVersion>();
  for (const type of types) {
    for (const version of type.versions) {
      const groupVersion = { group: type.group, version: version.name };
      seen.set(groupVersionPath(groupVersion), groupVersion);
    }
  }
  return [...seen.entries()].sort(([a], [b]) => compare(a, b)).map(([, groupVersion]) => groupVersion);
}

function groupVersionPath({ group, version }: GroupVersion): string {
  return group === "" ? `api/${version}` : `apis/${group}/${version}`;
}

function parseGroupVersionPath(path: string): GroupVersion | undefined {
  const parts = path.replace(/^\/+|\/+$/g, "").split("/");
  if (parts.length === 2 && parts[0] === "api" && parts[1]) return { group: "", version: parts[1] };
  if (parts.length === 3 && parts[0] === "apis" && parts[1] && parts[2]) {
    return { group: parts[1], version: parts[2] };
  }
  return undefined;
}

function buildDocument(types: readonly ResourceType[], groupVersion: GroupVersion): Json {
  const paths: Json = {};
  const schemas: Json = { ...SHARED_SCHEMAS };
  for (const type of types) {
    if (type.group !== groupVersion.group) continue;
    const version = type.versions.find((candidate) => candidate.name === groupVersion.version);
    if (!version) continue;
    const gvk: GroupVersionKind = { group: type.group, version: version.name, kind: type.kind };
    const kindSchema = schemaName(type, version.name);
    schemas[kindSchema] = { ...objectSchema(type, version), "x-kubernetes-group-version-kind": [gvk] };
    let listSchema: string | undefined;
    if (type.verbs.includes("list")) {
      listSchema = schemaName(type, version.name, type.listKind);
      schemas[listSchema] = listOf(kindSchema, { ...gvk, kind: type.listKind });
    }
    Object.assign(paths, resourcePaths(type, version, gvk, kindSchema, listSchema));
  }
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: "unversioned" },
    paths: sortedKeys(paths),
    components: { schemas: sortedKeys(schemas) },
  };
}

/** A CRD version's own schema with the standard apiVersion/kind/metadata; built-ins a permissive one. */
function objectSchema(type: ResourceType, version: ResourceVersion): Json {
  if (type.crdName === undefined || !version.schema) return builtinSchema(type.group, type.kind);
  const schema = structuredClone(version.schema);
  const {
    apiVersion: _apiVersion,
    kind: _kind,
    metadata: _metadata,
    ...fields
  } = (schema.properties ?? {}) as Json;
  return {
    ...schema,
    type: "object",
    properties: {
      apiVersion: API_VERSION_PROPERTY,
      kind: KIND_PROPERTY,
      metadata: METADATA_PROPERTY,
      ...fields,
    },
  };
}

function listOf(itemSchema: string, gvk: GroupVersionKind): Json {
  return {
    description: `A list of ${gvk.kind.replace(/List$/, "")} objects.`,
    type: "object",
    required: ["items"],
    properties: {
      apiVersion: API_VERSION_PROPERTY,
      kind: KIND_PROPERTY,
      metadata: LIST_METADATA_PROPERTY,
      items: { type: "array", items: ref(itemSchema), description: "The objects of the list." },
    },
    "x-kubernetes-group-version-kind": [gvk],
  };
}

/** Paths and operations of one resource, limited to the verbs it supports. */
function resourcePaths(
  type: ResourceType,
  version: ResourceVersion,
  gvk: GroupVersionKind,
  kindSchema: string,
  listSchema: string | undefined,
): Json {
  const verbs = new Set(type.verbs);
  const prefix = type.group === "" ? `/api/${version.name}` : `/apis/${type.group}/${version.name}`;
  const collection = type.namespaced
    ? `${prefix}/namespaces/{namespace}/${type.plural}`
    : `${prefix}/${type.plural}`;
  const item = `${collection}/{name}`;
  const scope = type.namespaced ? "Namespaced" : "";
  const id = (action: string, suffix = "") => `${action}${operationGroup(gvk)}${scope}${type.kind}${suffix}`;
  const operation = operationFactory(gvk, kindSchema);
  const scopeParameters = type.namespaced ? [NAMESPACE_PARAMETER, PRETTY_PARAMETER] : [PRETTY_PARAMETER];
  const paths: Json = {};

  const collectionOperations: Json = {};
  if (verbs.has("list") && listSchema) {
    collectionOperations.get = operation("list", id("list"), `list or watch ${type.kind} objects`, {
      parameters: LIST_PARAMETERS,
      response: listSchema,
    });
  }
  if (verbs.has("create")) {
    collectionOperations.post = operation("post", id("create"), `create a ${type.kind}`, {
      parameters: WRITE_PARAMETERS,
      requestBody: objectBody(kindSchema),
      response: kindSchema,
      created: true,
    });
  }
  if (verbs.has("deletecollection")) {
    collectionOperations.delete = operation(
      "deletecollection",
      id("deleteCollection"),
      `delete a collection of ${type.kind} objects`,
      { parameters: [...LIST_PARAMETERS, ...DELETE_PARAMETERS], response: STATUS },
    );
  }
  if (Object.keys(collectionOperations).length > 0) {
    paths[collection] = { ...collectionOperations, parameters: scopeParameters };
  }

  const itemOperations = writableOperations(verbs, operation, id, type.kind, kindSchema, "");
  if (verbs.has("delete")) {
    itemOperations.delete = operation("delete", id("delete"), `delete a ${type.kind}`, {
      parameters: DELETE_PARAMETERS,
      response: STATUS,
    });
  }
  if (Object.keys(itemOperations).length > 0) {
    paths[item] = { ...itemOperations, parameters: [NAME_PARAMETER, ...scopeParameters] };
  }

  if (version.statusSubresource) {
    const statusOperations = writableOperations(verbs, operation, id, type.kind, kindSchema, "Status");
    if (Object.keys(statusOperations).length > 0) {
      paths[`${item}/status`] = { ...statusOperations, parameters: [NAME_PARAMETER, ...scopeParameters] };
    }
  }

  if (type.namespaced && verbs.has("list") && listSchema) {
    paths[`${prefix}/${type.plural}`] = {
      get: operation(
        "list",
        `list${operationGroup(gvk)}${type.kind}ForAllNamespaces`,
        `list ${type.kind} objects`,
        {
          parameters: LIST_PARAMETERS,
          response: listSchema,
        },
      ),
      parameters: [PRETTY_PARAMETER],
    };
  }
  return paths;
}

type OperationFactory = ReturnType<typeof operationFactory>;

/** get/put/patch of an object or of its status subresource (suffix "Status"). */
function writableOperations(
  verbs: Set<string>,
  operation: OperationFactory,
  id: (action: string, suffix?: string) => string,
  kind: string,
  kindSchema: string,
  suffix: string,
): Json {
  const what = suffix === "" ? `the specified ${kind}` : `status of the specified ${kind}`;
  const operations: Json = {};
  if (verbs.has("get")) {
    operations.get = operation("get", id("read", suffix), `read ${what}`, {
      parameters: [],
      response: kindSchema,
    });
  }
  if (verbs.has("update")) {
    operations.put = operation("put", id("replace", suffix), `replace ${what}`, {
      parameters: WRITE_PARAMETERS,
      requestBody: objectBody(kindSchema),
      response: kindSchema,
      created: true,
    });
  }
  if (verbs.has("patch")) {
    operations.patch = operation("patch", id("patch", suffix), `partially update ${what}`, {
      parameters: [...WRITE_PARAMETERS, FORCE_PARAMETER],
      requestBody: PATCH_BODY,
      response: kindSchema,
      created: true,
    });
  }
  return operations;
}

interface OperationSpec {
  parameters: Json[];
  requestBody?: Json;
  response: string;
  created?: boolean;
}

function operationFactory(gvk: GroupVersionKind, kindSchema: string) {
  const tag = `${gvk.group || "core"}_${gvk.version}`;
  return (action: string, operationId: string, description: string, spec: OperationSpec): Json => {
    const success = { description: "OK", content: jsonAndYaml(spec.response) };
    return {
      tags: [tag],
      description,
      operationId,
      parameters: spec.parameters,
      ...(spec.requestBody && { requestBody: spec.requestBody }),
      responses: {
        "200": success,
        ...(spec.created && { "201": { description: "Created", content: jsonAndYaml(kindSchema) } }),
        "401": { description: "Unauthorized" },
      },
      "x-kubernetes-action": action,
      "x-kubernetes-group-version-kind": gvk,
    };
  };
}

function jsonAndYaml(schemaName: string): Json {
  return {
    "application/json": { schema: ref(schemaName) },
    "application/yaml": { schema: ref(schemaName) },
  };
}

function objectBody(kindSchema: string): Json {
  return { content: { "*/*": { schema: ref(kindSchema) } }, required: true };
}

// Strategic merge patch is deliberately absent: kubectl then builds patches for built-ins from its
// compiled-in types (as against a real cluster) rather than from these permissive schemas.
const PATCH_BODY: Json = {
  content: Object.fromEntries(
    ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"].map(
      (contentType) => [contentType, { schema: ref(PATCH) }],
    ),
  ),
  required: true,
};

function queryParameter(name: string, description: string, schema: Json): Json {
  return { name, in: "query", description, schema };
}

const stringSchema = { type: "string", uniqueItems: true };
const integerSchema = { type: "integer", uniqueItems: true };
const booleanSchema = { type: "boolean", uniqueItems: true };

const NAME_PARAMETER: Json = {
  name: "name",
  in: "path",
  description: "name of the object",
  required: true,
  schema: stringSchema,
};
const NAMESPACE_PARAMETER: Json = {
  name: "namespace",
  in: "path",
  description: "namespace of the objects, a DNS label",
  required: true,
  schema: stringSchema,
};
const PRETTY_PARAMETER = queryParameter("pretty", "when 'true', indent the JSON output", stringSchema);

const WRITE_PARAMETERS: Json[] = [
  queryParameter("dryRun", "when 'All', validate and admit the request without persisting it", stringSchema),
  queryParameter("fieldManager", "name of the actor making the change, for field management", stringSchema),
  queryParameter(
    "fieldValidation",
    "how to treat unknown or duplicate fields: Ignore, Warn or Strict (reject the request)",
    stringSchema,
  ),
];
const FORCE_PARAMETER = queryParameter(
  "force",
  "for apply patches: take ownership of fields other managers own",
  booleanSchema,
);

const DELETE_PARAMETERS: Json[] = [
  queryParameter("dryRun", "when 'All', validate the request without deleting anything", stringSchema),
  queryParameter("gracePeriodSeconds", "seconds to wait before the object is deleted", integerSchema),
  queryParameter(
    "propagationPolicy",
    "Orphan, Background or Foreground deletion of dependents",
    stringSchema,
  ),
];

const LIST_PARAMETERS: Json[] = [
  queryParameter("allowWatchBookmarks", "ask for BOOKMARK events during a watch", booleanSchema),
  queryParameter("continue", "token from a previous page, to get the next one", stringSchema),
  queryParameter("fieldSelector", "only objects whose fields match, e.g. metadata.name=x", stringSchema),
  queryParameter("labelSelector", "only objects whose labels match", stringSchema),
  queryParameter("limit", "maximum number of objects in one page", integerSchema),
  queryParameter("resourceVersion", "resource version to read or watch from", stringSchema),
  queryParameter("resourceVersionMatch", "how resourceVersion is applied to a list", stringSchema),
  queryParameter(
    "sendInitialEvents",
    "start a watch with the current objects as ADDED events",
    booleanSchema,
  ),
  queryParameter("timeoutSeconds", "end the list or watch after this many seconds", integerSchema),
  queryParameter("watch", "stream changes instead of returning a list", booleanSchema),
];

/** `helm.toolkit.fluxcd.io` + `v2` → `HelmToolkitFluxcdIoV2`; the core group contributes `Core`. */
function operationGroup({ group, version }: GroupVersionKind): string {
  const words = [...(group === "" ? ["core"] : group.split(/[.-]/)), version];
  return words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join("");
}

function sortedKeys(object: Json): Json {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => compare(a, b)));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** JSON with object keys sorted at every level, so equal documents hash equally. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Json)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => compare(a, b));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
