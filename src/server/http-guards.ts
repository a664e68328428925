// Checks every MCP request passes before it reaches a session: Host and Origin against DNS
// rebinding (a web page must not reach a server on localhost through a hostname it controls), and
// the bearer token when one is configured.
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"];

export interface HostPolicy {
  /** Hostnames (no port; IPv6 in brackets) the Host header may name; undefined accepts any. */
  hosts: ReadonlySet<string> | undefined;
  /** Hostnames a browser Origin may name. */
  origins: ReadonlySet<string>;
}

/**
 * Bound to loopback or a given address, only that address and the localhost names are accepted,
 * plus `extra`. Bound to every interface (0.0.0.0, ::) with no extra names, any Host is accepted:
 * the server is then reached by names this process cannot know (Service DNS, ingress hosts).
 */
export function hostPolicy(bindHost: string, extra: readonly string[]): HostPolicy {
  const bound = bracketed(bindHost.toLowerCase());
  const wildcard = bound === "0.0.0.0" || bound === "[::]";
  const names = new Set([...LOOPBACK_NAMES, ...extra.map((name) => bracketed(name.toLowerCase()))]);
  if (!wildcard) names.add(bound);
  return { hosts: wildcard && extra.length === 0 ? undefined : names, origins: names };
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
  if (origin !== undefined) {
    const hostname = hostnameOf(origin);
    if (hostname === undefined || !policy.origins.has(hostname)) {
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
