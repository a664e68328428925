// Who sent a request: a known bearer token, else a client certificate issued by our CA.
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import type { Identity } from "../types.ts";

/** Kubernetes adds this group to every authenticated user, and RBAC defaults rely on it. */
export const AUTHENTICATED_GROUP = "system:authenticated";

export function authenticate(req: IncomingMessage, tokens: Map<string, Identity>): Identity | undefined {
  const token = bearerToken(req);
  const tokenIdentity = token === undefined ? undefined : tokens.get(token);
  const identity = tokenIdentity ?? certificateIdentity(req);
  return identity && withAuthenticatedGroup(identity);
}

function withAuthenticatedGroup(identity: Identity): Identity {
  if (identity.groups.includes(AUTHENTICATED_GROUP)) return identity;
  return { user: identity.user, groups: [...identity.groups, AUTHENTICATED_GROUP] };
}

function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
  return match?.[1];
}

function certificateIdentity(req: IncomingMessage): Identity | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  // `authorized` is false for certificates from another CA (accepted by the TLS layer because
  // token clients without certificates must get through) and undefined on plain HTTP.
  if (socket.authorized !== true || socket.getPeerCertificate === undefined) return undefined;
  const subject = socket.getPeerCertificate().subject as
    Record<string, string | string[] | undefined> | undefined;
  const user = asList(subject?.CN)[0];
  if (!user) return undefined;
  return { user, groups: asList(subject?.O) };
}

// Node gives a single-valued subject attribute as a string and a repeated one as an array.
function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
