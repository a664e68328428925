// Forbidden messages worded exactly like kube-apiserver's, because clients and people match on them.
import type { RequestAttributes } from "../types.ts";

/**
 * `kustomizations.kustomize.toolkit.fluxcd.io "apps" is forbidden: User "bob" cannot patch resource
 * "kustomizations" in API group "kustomize.toolkit.fluxcd.io" in the namespace "flux-system"`, with
 * `: <reason>` appended when the authorizer gave one.
 */
export function forbiddenMessage(attrs: RequestAttributes, reason = ""): string {
  const denial = reason ? `${describeDenial(attrs)}: ${reason}` : describeDenial(attrs);
  if (attrs.nonResourcePath !== undefined) return `forbidden: ${denial}`;
  const qualifiedResource = attrs.apiGroup ? `${attrs.resource}.${attrs.apiGroup}` : attrs.resource;
  return attrs.name
    ? `${qualifiedResource} ${JSON.stringify(attrs.name)} is forbidden: ${denial}`
    : `${qualifiedResource} is forbidden: ${denial}`;
}

function describeDenial(attrs: RequestAttributes): string {
  const user = JSON.stringify(attrs.identity.user);
  if (attrs.nonResourcePath !== undefined) {
    return `User ${user} cannot ${attrs.verb} path ${JSON.stringify(attrs.nonResourcePath)}`;
  }
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const scope = attrs.namespace
    ? `in the namespace ${JSON.stringify(attrs.namespace)}`
    : "at the cluster scope";
  return `User ${user} cannot ${attrs.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(attrs.apiGroup)} ${scope}`;
}
