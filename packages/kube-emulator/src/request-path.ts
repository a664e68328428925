// Splits a request path into what it addresses, the way kube-apiserver's request info resolver does.

export type ApiPath =
  | {
      kind: "resource";
      group: string;
      version: string;
      namespace?: string;
      plural: string;
      name?: string;
      subresource?: string;
    }
  | { kind: "groupVersion"; group: string; version: string }
  | { kind: "group"; group: string }
  | { kind: "other"; path: string };

/** Subresources of a namespace, which sit where a namespaced resource's plural would. */
const namespaceSubresources = new Set(["status", "finalize"]);

export function parseApiPath(path: string): ApiPath {
  const segments = path
    .split("/")
    .filter((segment) => segment !== "")
    .map(decodeURIComponent);
  let group: string;
  let rest: string[];
  if (segments[0] === "api" && segments.length >= 2) {
    group = "";
    rest = segments.slice(1);
  } else if (segments[0] === "apis" && segments.length >= 2) {
    group = segments[1] as string;
    rest = segments.slice(2);
    if (rest.length === 0) return { kind: "group", group };
  } else {
    return { kind: "other", path };
  }
  const [version, ...resourcePart] = rest as [string, ...string[]];
  if (resourcePart.length === 0) return { kind: "groupVersion", group, version };
  const isNamespacedPath =
    resourcePart[0] === "namespaces" &&
    resourcePart.length >= 3 &&
    !(resourcePart.length === 3 && group === "" && namespaceSubresources.has(resourcePart[2] as string));
  if (isNamespacedPath) {
    const [, namespace, plural, name, subresource] = resourcePart as [string, string, string, ...string[]];
    return resource(group, version, plural, name, subresource, namespace);
  }
  const [plural, name, subresource] = resourcePart as [string, ...string[]];
  return resource(group, version, plural, name, subresource);
}

function resource(
  group: string,
  version: string,
  plural: string,
  name: string | undefined,
  subresource: string | undefined,
  namespace?: string,
): ApiPath {
  return {
    kind: "resource",
    group,
    version,
    plural,
    ...(namespace !== undefined && { namespace }),
    ...(name !== undefined && { name }),
    ...(subresource !== undefined && { subresource }),
  };
}

/** The Kubernetes verb of a resource request. */
export function verbOf(method: string, path: Extract<ApiPath, { kind: "resource" }>, watch: boolean): string {
  switch (method) {
    case "GET":
    case "HEAD":
      if (watch) return "watch";
      return path.name === undefined ? "list" : "get";
    case "POST":
      return "create";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return path.name === undefined ? "deletecollection" : "delete";
    default:
      return method.toLowerCase();
  }
}
