// Impersonate-* headers, checked and applied the way kube-apiserver's impersonation filter does.
import type { IncomingMessage } from "node:http";
import type { Identity, RequestAttributes } from "../types.ts";
import { AUTHENTICATED_GROUP } from "./authentication.ts";
import { forbiddenMessage } from "./forbidden.ts";
import type { Authorizer } from "./rbac.ts";

export type ImpersonationResult = { identity: Identity } | { forbidden: string };

const anonymousUser = "system:anonymous";
const unauthenticatedGroup = "system:unauthenticated";
const extraHeaderPrefix = "impersonate-extra-";

type ImpersonationCheck = Omit<RequestAttributes, "identity" | "verb">;

export function resolveImpersonation(
  req: IncomingMessage,
  identity: Identity,
  authorize: Authorizer,
): ImpersonationResult {
  // headersDistinct keeps repeated headers apart; `headers` would join them with ", ".
  const headers = req.headersDistinct;
  const user = headers["impersonate-user"]?.[0];
  const groups = headers["impersonate-group"] ?? [];
  const uid = headers["impersonate-uid"]?.[0];
  const extras = Object.entries(headers).flatMap(([name, values]) =>
    name.startsWith(extraHeaderPrefix) && values
      ? values.map((value) => ({ key: decodeExtraKey(name.slice(extraHeaderPrefix.length)), value }))
      : [],
  );
  if (user === undefined) {
    if (groups.length > 0 || uid !== undefined || extras.length > 0) {
      return {
        forbidden: "Impersonate-Group, Impersonate-Uid and Impersonate-Extra-* require Impersonate-User",
      };
    }
    return { identity };
  }

  const serviceAccount = parseServiceAccountUser(user);
  const checks: ImpersonationCheck[] = [
    serviceAccount
      ? { apiGroup: "", resource: "serviceaccounts", ...serviceAccount }
      : { apiGroup: "", resource: "users", name: user },
    ...groups.map((group) => ({ apiGroup: "", resource: "groups", name: group })),
    ...extras.map(({ key, value }) => ({
      apiGroup: "authentication.k8s.io",
      resource: "userextras",
      subresource: key,
      name: value,
    })),
    ...(uid === undefined ? [] : [{ apiGroup: "authentication.k8s.io", resource: "uids", name: uid }]),
  ];
  for (const check of checks) {
    const attrs: RequestAttributes = { ...check, identity, verb: "impersonate" };
    const decision = authorize(attrs);
    if (!decision.allowed) return { forbidden: forbiddenMessage(attrs, decision.reason) };
  }

  // A service account's groups follow from its name, unless the caller named groups explicitly.
  const impersonatedGroups =
    serviceAccount && groups.length === 0
      ? ["system:serviceaccounts", `system:serviceaccounts:${serviceAccount.namespace}`]
      : groups;
  return {
    identity: {
      user,
      groups: withImplicitGroup(user, impersonatedGroups),
      ...(uid !== undefined && { uid }),
    },
  };
}

function parseServiceAccountUser(user: string): { namespace: string; name: string } | undefined {
  const match = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(user);
  return match?.[1] && match[2] ? { namespace: match[1], name: match[2] } : undefined;
}

function withImplicitGroup(user: string, groups: string[]): string[] {
  if (user === anonymousUser) {
    return groups.includes(unauthenticatedGroup) ? groups : [...groups, unauthenticatedGroup];
  }
  const hasImplicitGroup = groups.includes(AUTHENTICATED_GROUP) || groups.includes(unauthenticatedGroup);
  return hasImplicitGroup ? groups : [...groups, AUTHENTICATED_GROUP];
}

// Extra keys are percent-encoded in header names, which cannot carry every character.
function decodeExtraKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}
