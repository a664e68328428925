// Checks every MCP request passes before it reaches a session: Host and Origin against DNS
// rebinding (a web page must not reach a server on localhost through a hostname it controls), and
// the bearer token when one is configured.
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"];

/** Hostnames (no port; IPv6 in brackets) the Host header and a browser Origin may name; undefined accepts any. */
export interface HostPolicy {
  hosts: ReadonlySet<string> | undefined;
}

/** localhost, 127.0.0.0/8 or ::1: an address only this machine reaches. */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, "");
  if (name === "localhost") return true;
  if (isIP(name) === 4) return name.startsWith("127.");
  return name === "::1" || /^::ffff:127\./.test(name);
}

/**
 * Bound to loopback, only the localhost names and `extra` are accepted: that is what stops a web
 * page from reaching the server through a hostname it controls (DNS rebinding). Bound to other
 * interfaces, the server is reached by names it cannot know (Service DNS, ingress hosts,
 * published container ports), so the names are checked only when `extra` gives them; the bind
 * address and the localhost names (kubectl port-forward) are accepted with them.
 */
export function hostPolicy(bindHost: string, extra: readonly string[]): HostPolicy {
  const bound = bracketed(bindHost.toLowerCase());
  const given = extra.map((name) => bracketed(name.toLowerCase()));
  if (!isLoopbackHost(bindHost) && given.length === 0) return { hosts: undefined };
  const wildcard = bound === "0.0.0.0" || bound === "[::]";
  return { hosts: new Set([...LOOPBACK_NAMES, ...given, ...(wildcard ? [] : [bound])]) };
}

/** A Host header is a hostname or address with an optional port: nothing else (no `user@`, no path). */
const HOST_HEADER = /^(?:[a-z0-9._~-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** Why the Host header cannot be read at all (400), or undefined. Checked whatever the policy. */
export function malformedHost(request: IncomingMessage): string | undefined {
  const host = request.headers.host;
  if (host === undefined || HOST_HEADER.test(host)) return undefined;
  return `malformed Host header ${JSON.stringify(host.slice(0, 100))}: expected a hostname and an optional port`;
}

/** Why the request must be refused (403), or undefined when it may pass. */
export function hostProblem(request: IncomingMessage, policy: HostPolicy): string | undefined {
  if (policy.hosts) {
    const host = request.headers.host;
    const hostname = host === undefined ? undefined : hostnameOf(`http://${host}`);
    if (hostname === undefined || !policy.hosts.has(hostname)) {
      return `Host "${host ?? ""}" is not allowed (use --allowed-host to accept it)`;
    }
  }
  const origin = request.headers.origin;
  if (origin !== undefined && policy.hosts) {
    const hostname = hostnameOf(origin);
    if (hostname === undefined || !policy.hosts.has(hostname)) {
      return `Origin "${origin}" is not allowed (use --allowed-host to accept it)`;
    }
  }
  return undefined;
}

export interface BearerCheck {
  (request: IncomingMessage): boolean;
}

/** Compares in constant time, and hashes first so even the token's length does not leak. */
export function bearerCheck(token: string): BearerCheck {
  const expected = digest(token);
  return (request) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? "");
    return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), expected);
  };
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

function hostnameOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}

function bracketed(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}
