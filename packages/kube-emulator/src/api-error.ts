// Errors that the API server answers with a Kubernetes `Status` body, worded as kube-apiserver
// words them, so that clients (kubectl included) print what users are used to reading.
import type { ResourceType } from "./resources/resource-type.ts";

export interface StatusCause {
  type?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export class ApiError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details: StatusDetails | undefined;

  constructor(code: number, reason: string, message: string, details?: StatusDetails) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  toStatus(): Record<string, unknown> {
    return {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      ...(this.details && { details: this.details }),
      code: this.code,
    };
  }
}

/** `deployments.apps`, or just `pods` for the core group, as Kubernetes names a resource in errors. */
function qualifiedResource(type: Pick<ResourceType, "group" | "plural">): string {
  return type.group === "" ? type.plural : `${type.plural}.${type.group}`;
}

function detailsOf(type: ResourceType, name: string): StatusDetails {
  return { name, group: type.group, kind: type.plural };
}

export function notFound(type: ResourceType, name: string): ApiError {
  return new ApiError(
    404,
    "NotFound",
    `${qualifiedResource(type)} "${name}" not found`,
    detailsOf(type, name),
  );
}

export function alreadyExists(type: ResourceType, name: string): ApiError {
  return new ApiError(
    409,
    "AlreadyExists",
    `${qualifiedResource(type)} "${name}" already exists`,
    detailsOf(type, name),
  );
}

export function conflict(type: ResourceType, name: string, why: string, causes?: StatusCause[]): ApiError {
  return new ApiError(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${qualifiedResource(type)} "${name}": ${why}`,
    { ...detailsOf(type, name), ...(causes && { causes }) },
  );
}

export function invalid(type: ResourceType, name: string, causes: Required<StatusCause>[]): ApiError {
  const summary = causes.map((cause) => `${cause.field}: ${cause.message}`).join(", ");
  return new ApiError(
    422,
    "Invalid",
    `${type.kind}${type.group ? `.${type.group}` : ""} "${name}" is invalid: ${summary}`,
    {
      name,
      group: type.group,
      kind: type.kind,
      causes,
    },
  );
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, "BadRequest", message);
}

export function methodNotAllowed(
  message = "the server does not allow this method on the requested resource",
): ApiError {
  return new ApiError(405, "MethodNotAllowed", message);
}

export function pathNotFound(): ApiError {
  return new ApiError(404, "NotFound", "the server could not find the requested resource");
}
