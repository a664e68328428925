// Answers requests for resources: get, list, watch, create, update, patch, delete and
// deletecollection, the status subresource and pods/log, with dry-run and field managers.
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError, badRequest, methodNotAllowed, notFound, pathNotFound } from "./api-error.ts";
import type { Cluster, PropagationPolicy, WriteOptions } from "./cluster.ts";
import { deepEqual } from "./cluster.ts";
import { parseBody, readBody, sendJson, sendText } from "./http-io.ts";
import { paginate, parseListQuery } from "./list-query.ts";
import { outputFormOf, renderList, renderObject, type Rendering } from "./output-format.ts";
import { applyJsonPatch } from "./patch/json-patch.ts";
import { applyMergePatch } from "./patch/merge-patch.ts";
import { PatchError } from "./patch/patch-error.ts";
import { conflictCauses, conflictMessage, serverSideApply } from "./patch/server-side-apply.ts";
import {
  applyStrategicMergePatch,
  isStrategicMergeSupported,
  STRATEGIC_MERGE_UNSUPPORTED_MESSAGE,
} from "./patch/strategic-merge-patch.ts";
import { LogError, readPodLog } from "./pod-logs.ts";
import type { ApiPath } from "./request-path.ts";
import { apiVersionOf, storageVersion, type ResourceType } from "./resources/resource-type.ts";
import type { KubeObject } from "./types.ts";
import { serveWatch } from "./watch.ts";

export interface ResourceRequest {
  cluster: Cluster;
  type: ResourceType;
  version: string;
  path: Extract<ApiPath, { kind: "resource" }>;
  query: URLSearchParams;
  verb: string;
  req: IncomingMessage;
  res: ServerResponse;
}

const logErrorReason = { 400: "BadRequest", 404: "NotFound", 422: "Invalid" } as const;
const patchErrorReason = { 400: "BadRequest", 422: "Invalid", 500: "InternalError" } as const;

const patchContentTypes = {
  merge: "application/merge-patch+json",
  json: "application/json-patch+json",
  strategic: "application/strategic-merge-patch+json",
  apply: "application/apply-patch+yaml",
} as const;

export async function handleResource(request: ResourceRequest): Promise<void> {
  const { path, verb, type } = request;
  if (path.subresource !== undefined && path.subresource !== "status" && !isPodLog(request)) {
    throw pathNotFound();
  }
  if (
    path.subresource === "status" &&
    !request.cluster.registry
      .byPlural(type.group, type.plural)
      ?.versions.some((v) => v.name === request.version && v.statusSubresource)
  ) {
    throw pathNotFound();
  }
  if (!type.verbs.includes(verb)) throw methodNotAllowed();
  switch (verb) {
    case "get":
      return isPodLog(request) ? servePodLog(request) : serveGet(request);
    case "list":
      return serveList(request);
    case "watch":
      return serveWatch(request, rendering(request));
    case "create":
      return serveCreate(request);
    case "update":
      return serveUpdate(request);
    case "patch":
      return servePatch(request);
    case "delete":
      return serveDelete(request);
    case "deletecollection":
      return serveDeleteCollection(request);
    default:
      throw methodNotAllowed();
  }
}

function isPodLog(request: ResourceRequest): boolean {
  return request.type.group === "" && request.type.plural === "pods" && request.path.subresource === "log";
}

function rendering(request: ResourceRequest): Rendering {
  return {
    cluster: request.cluster,
    type: request.type,
    version: request.version,
    form: outputFormOf(request.req.headers.accept),
    includeObject: request.query.get("includeObject"),
    now: new Date(),
  };
}

/** How the client sees a stored object, for selectors. */
export function clientView(request: ResourceRequest): (object: KubeObject) => KubeObject {
  return (object) => request.cluster.present(request.type, request.version, object);
}

function namespaceOf(request: ResourceRequest): string {
  return request.type.namespaced ? (request.path.namespace ?? "") : "";
}

function serveGet(request: ResourceRequest): void {
  const object = request.cluster.get(request.type, namespaceOf(request), request.path.name ?? "");
  sendJson(request.res, 200, renderObject(rendering(request), object));
}

function serveList(request: ResourceRequest): void {
  const { cluster, type } = request;
  const query = parseListQuery(request.query, type, clientView(request));
  const objects = cluster.list(type, type.namespaced ? request.path.namespace : undefined);
  const page = paginate(objects, query);
  const listMetadata = {
    resourceVersion: String(cluster.store.revision()),
    ...(page.continueToken && { continue: page.continueToken }),
    ...(page.remainingItemCount !== undefined && { remainingItemCount: page.remainingItemCount }),
  };
  sendJson(request.res, 200, renderList(rendering(request), page.items, listMetadata));
}

function servePodLog(request: ResourceRequest): void {
  const { cluster, query } = request;
  const namespace = request.path.namespace ?? "";
  const pod = cluster.get(request.type, namespace, request.path.name ?? "");
  const numberParam = (name: string) => {
    const text = query.get(name);
    if (text === null) return undefined;
    const value = Number(text);
    if (!Number.isInteger(value)) throw badRequest(`invalid ${name} "${text}"`);
    return value;
  };
  const tailLines = numberParam("tailLines");
  const sinceSeconds = numberParam("sinceSeconds");
  const limitBytes = numberParam("limitBytes");
  const container = query.get("container");
  const sinceTime = query.get("sinceTime");
  try {
    const text = readPodLog(pod, cluster.podLogs.get(`${namespace}/${pod.metadata.name}`), {
      ...(container && { container }),
      previous: query.get("previous") === "true",
      timestamps: query.get("timestamps") === "true",
      ...(tailLines !== undefined && { tailLines }),
      ...(sinceSeconds !== undefined && { sinceSeconds }),
      ...(limitBytes !== undefined && { limitBytes }),
      ...(sinceTime && { sinceTime }),
      now: new Date(),
    });
    sendText(request.res, 200, text);
  } catch (error) {
    if (error instanceof LogError) {
      throw new ApiError(error.code, logErrorReason[error.code], error.message);
    }
    throw error;
  }
}

function writeOptions(request: ResourceRequest): WriteOptions {
  const dryRun = request.query.getAll("dryRun");
  if (dryRun.some((value) => value !== "All")) {
    throw badRequest(`Invalid dry run value: ${dryRun.join(",")}; only "All" is supported`);
  }
  const fieldManager =
    request.query.get("fieldManager") ?? managerFromUserAgent(request.req.headers["user-agent"]);
  return {
    ...(dryRun.length > 0 && { dryRun: true }),
    fieldManager,
    ...(request.path.subresource === "status" && { subresource: "status" }),
  };
}

/** Kubernetes names a write's field manager after the client's user agent when none is given. */
function managerFromUserAgent(userAgent: string | undefined): string {
  return (userAgent ?? "unknown").split("/")[0] || "unknown";
}

async function readObject(request: ResourceRequest): Promise<KubeObject> {
  const body = parseBody(
    await readBody(request.req),
    request.req.headers["content-type"] ?? "application/json",
  );
  if (!isObject(body)) throw badRequest("the body of the request must be a Kubernetes object");
  const object = body as Partial<KubeObject>;
  const expected = apiVersionOf(request.type.group, request.version);
  if (
    object.apiVersion !== undefined &&
    object.apiVersion !== expected &&
    !(request.type.group === "" && object.apiVersion === "v1")
  ) {
    throw badRequest(
      `the API version in the data (${object.apiVersion}) does not match the expected API version (${expected})`,
    );
  }
  if (object.kind !== undefined && object.kind !== request.type.kind) {
    throw badRequest(
      `the kind in the data (${object.kind}) does not match the expected kind (${request.type.kind})`,
    );
  }
  return {
    ...(object as KubeObject),
    apiVersion: expected,
    kind: request.type.kind,
    metadata: isObject(object.metadata) ? { ...object.metadata } : {},
  };
}

function checkNamespace(request: ResourceRequest, object: KubeObject): void {
  if (!request.type.namespaced) return;
  const pathNamespace = request.path.namespace;
  if (object.metadata.namespace === undefined || object.metadata.namespace === "") {
    object.metadata.namespace = pathNamespace;
  } else if (pathNamespace !== undefined && object.metadata.namespace !== pathNamespace) {
    throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
  }
}

async function serveCreate(request: ResourceRequest): Promise<void> {
  if (request.path.name !== undefined) throw methodNotAllowed();
  const object = await readObject(request);
  checkNamespace(request, object);
  const created = request.cluster.create(request.type, object, writeOptions(request));
  sendJson(request.res, 201, renderObject(rendering(request), created));
}

async function serveUpdate(request: ResourceRequest): Promise<void> {
  const object = await readObject(request);
  checkNamespace(request, object);
  const name = request.path.name ?? "";
  if (object.metadata.name !== undefined && object.metadata.name !== name) {
    throw badRequest(
      `the name of the object (${object.metadata.name}) does not match the name on the URL (${name})`,
    );
  }
  object.metadata.name = name;
  const updated = request.cluster.update(request.type, object, writeOptions(request));
  sendJson(request.res, 200, renderObject(rendering(request), updated));
}

async function servePatch(request: ResourceRequest): Promise<void> {
  const { cluster, type } = request;
  const contentType = (request.req.headers["content-type"] ?? "").split(";")[0]?.trim() ?? "";
  const body = parseBody(await readBody(request.req), contentType);
  const name = request.path.name ?? "";
  const namespace = namespaceOf(request);
  const options = writeOptions(request);
  if (contentType === patchContentTypes.apply) {
    return serveApply(request, body, options);
  }
  const live = cluster.present(type, request.version, cluster.get(type, namespace, name));
  let patched: unknown;
  try {
    switch (contentType) {
      case patchContentTypes.merge:
        patched = applyMergePatch(live, body);
        break;
      case patchContentTypes.json:
        patched = applyJsonPatch(live, body);
        break;
      case patchContentTypes.strategic:
        if (!isStrategicMergeSupported(type.group) || type.crdName !== undefined) {
          throw new ApiError(415, "UnsupportedMediaType", STRATEGIC_MERGE_UNSUPPORTED_MESSAGE);
        }
        patched = applyStrategicMergePatch(live, body);
        break;
      default:
        throw new ApiError(
          415,
          "UnsupportedMediaType",
          `the body of the request was in an unknown format - accepted media types include: ${Object.values(patchContentTypes).join(", ")}`,
        );
    }
  } catch (error) {
    if (error instanceof PatchError) {
      throw new ApiError(error.code, patchErrorReason[error.code], error.statusMessage, {
        causes: [{ message: error.message }],
      });
    }
    throw error;
  }
  if (!isObject(patched)) throw badRequest("the patch did not produce an object");
  const next = patched as KubeObject;
  if (next.metadata?.name !== name) {
    throw badRequest("the name of a patched object cannot change");
  }
  // A patch that sent no resourceVersion must not trip the optimistic concurrency check.
  const sentVersion =
    isObject(body) && isObject((body as KubeObject).metadata)
      ? (body as KubeObject).metadata.resourceVersion
      : undefined;
  next.metadata = { ...next.metadata, resourceVersion: sentVersion ?? live.metadata.resourceVersion };
  const updated = cluster.update(type, next, options);
  sendJson(request.res, 200, renderObject(rendering(request), updated));
}

function serveApply(request: ResourceRequest, body: unknown, options: WriteOptions): void {
  const { cluster, type } = request;
  if (!request.query.get("fieldManager")) {
    throw badRequest("PATCH, application/apply-patch+yaml requires fieldManager parameter");
  }
  if (!isObject(body)) throw badRequest("the applied configuration must be an object");
  const applied = body as KubeObject;
  const name = request.path.name ?? "";
  const expected = apiVersionOf(type.group, request.version);
  if (applied.apiVersion !== expected || applied.kind !== type.kind) {
    throw badRequest(`the applied object must have apiVersion "${expected}" and kind "${type.kind}"`);
  }
  const metadata = isObject(applied.metadata) ? { ...applied.metadata } : {};
  if (metadata.name !== undefined && metadata.name !== name) {
    throw badRequest(
      `the name of the object (${metadata.name}) does not match the name on the URL (${name})`,
    );
  }
  metadata.name = name;
  const object: KubeObject = { ...applied, metadata };
  checkNamespace(request, object);
  const stored = cluster.find(type, namespaceOf(request), name);
  if (!stored && options.subresource === "status") throw notFound(type, name);
  const live = stored && cluster.present(type, request.version, stored);
  const result = serverSideApply({
    live,
    applied: object,
    manager: options.fieldManager ?? "unknown",
    force: request.query.get("force") === "true",
    now: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    apiVersion: expected,
    ignoreStatus: options.subresource !== "status" && storageVersion(type).statusSubresource,
    ...(options.subresource && { subresource: options.subresource }),
  });
  if ("conflicts" in result) {
    throw new ApiError(409, "Conflict", conflictMessage(result.conflicts, expected), {
      name,
      group: type.group,
      kind: type.plural,
      causes: conflictCauses(result.conflicts, expected),
    });
  }
  // serverSideApply has already recorded who owns what; the write must not record it again.
  const applyOptions: WriteOptions = { ...options, managedFieldsTracked: true };
  let saved: KubeObject;
  if (!live || !stored) saved = cluster.create(type, result.object, applyOptions);
  else if (deepEqual(result.object, live)) saved = stored;
  else {
    const next = {
      ...result.object,
      metadata: { ...result.object.metadata, resourceVersion: live.metadata.resourceVersion },
    };
    saved = cluster.update(type, next, applyOptions);
  }
  sendJson(request.res, live ? 200 : 201, renderObject(rendering(request), saved));
}

async function serveDelete(request: ResourceRequest): Promise<void> {
  const body = parseBody(await readBody(request.req), "application/json");
  const options = isObject(body) ? body : {};
  const propagationPolicy = (request.query.get("propagationPolicy") ?? options.propagationPolicy) as
    PropagationPolicy | undefined;
  if (
    propagationPolicy !== undefined &&
    !["Background", "Foreground", "Orphan"].includes(propagationPolicy)
  ) {
    throw badRequest(
      `propagationPolicy: Unsupported value: "${propagationPolicy}": supported values: "Foreground", "Background", "Orphan"`,
    );
  }
  const dryRun =
    writeOptions(request).dryRun || (Array.isArray(options.dryRun) && options.dryRun.includes("All"));
  const preconditions = isObject(options.preconditions)
    ? (options.preconditions as { uid?: string; resourceVersion?: string })
    : undefined;
  const deleted = request.cluster.delete(request.type, namespaceOf(request), request.path.name ?? "", {
    ...(dryRun && { dryRun: true }),
    ...(propagationPolicy && { propagationPolicy }),
    ...(preconditions && { preconditions }),
  });
  sendJson(request.res, 200, renderObject({ ...rendering(request), form: "object" }, deleted));
}

function serveDeleteCollection(request: ResourceRequest): void {
  const { cluster, type } = request;
  const query = parseListQuery(request.query, type, clientView(request));
  const dryRun = writeOptions(request).dryRun ?? false;
  const objects = cluster
    .list(type, type.namespaced ? request.path.namespace : undefined)
    .filter(query.matches);
  const deleted = objects.map((object) =>
    cluster.delete(type, object.metadata.namespace ?? "", object.metadata.name ?? "", { dryRun }),
  );
  sendJson(
    request.res,
    200,
    renderList({ ...rendering(request), form: "object" }, deleted, {
      resourceVersion: String(cluster.store.revision()),
    }),
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
