// Turns what went wrong on the way to the API server, or what it answered, into a KubeError whose
// one-line message names the object, the context and who was asking.
import { KubeError, type KubeErrorReason } from "./types.ts";

/** What a request was about, for messages: `HelmRelease flux-system/podinfo`, `get`. */
export interface RequestTarget {
  description: string;
  verb: string;
}

/** Where a request went and as whom. */
export interface RequestOrigin {
  context: string;
  server: string;
  /** `as user "bob"`, or "" when not impersonating. */
  identity: string;
  /** The impersonated user, when there is one: forbidden messages name it. */
  user?: string;
}

interface KubernetesStatus {
  kind?: string;
  reason?: string;
  message?: string;
  details?: { causes?: { field?: string; message?: string }[]; retryAfterSeconds?: number };
}

const reasonByStatus: Record<number, KubeErrorReason> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  409: "Conflict",
  410: "Conflict",
  422: "Invalid",
  504: "Timeout",
};

/** The KubeError for an answer with a status of 400 or more. */
export function statusError(
  status: number,
  body: string,
  target: RequestTarget,
  origin: RequestOrigin,
): KubeError {
  const answer = parseStatus(body);
  const serverMessage = oneLine(answer.message ?? body.slice(0, 300)) || `HTTP ${status}`;
  const where = `in context ${origin.context}${origin.identity ? ` ${origin.identity}` : ""}`;
  const reason = reasonByStatus[status] ?? "ServerError";
  const message = (() => {
    switch (reason) {
      case "NotFound":
        // What a create or an apply misses is the namespace, which the server's message names.
        return target.verb === "create" || target.verb === "apply"
          ? `cannot ${target.verb} ${target.description} ${where}: ${serverMessage}`
          : `${target.description} not found ${where}`;
      case "Forbidden": {
        const user = origin.user ?? /User "([^"]*)"/.exec(serverMessage)?.[1];
        const who = user === undefined ? "" : ` for user ${JSON.stringify(user)}`;
        return `${target.description} is forbidden${who} in context ${origin.context}: cannot ${target.verb}`;
      }
      case "Unauthorized":
        return `the credentials of context ${origin.context} were rejected (401 Unauthorized): log in again or renew the token`;
      case "Conflict":
        return answer.reason === "AlreadyExists"
          ? `${target.description} already exists ${where}`
          : `cannot ${target.verb} ${target.description} ${where}: ${serverMessage}`;
      case "Invalid":
        return `${target.description} is invalid ${where}: ${invalidCauses(answer) ?? serverMessage}`;
      case "Timeout":
        return `the Kubernetes API of context ${origin.context} timed out on ${target.verb} ${target.description}: ${serverMessage}; try again, or narrow the request`;
      default:
        return `cannot ${target.verb} ${target.description} ${where}: ${serverMessage} (HTTP ${status})${serverAdvice(status)}`;
    }
  })();
  return new KubeError(reason, message, { status });
}

/** What to do about an answer the API server gave for its own reasons, not the request's. */
function serverAdvice(status: number): string {
  if (status === 429) return "; the API server is throttling requests: try again in a few seconds";
  if (status >= 500) return "; the API server failed: try again, and check its health if it persists";
  return "";
}

/** The KubeError for a request that got no answer: the signal fired, or the connection failed. */
export function transportError(error: unknown, origin: RequestOrigin, signal?: AbortSignal): KubeError {
  const api = `the Kubernetes API of context ${origin.context} (${origin.server})`;
  if (error instanceof KubeError) return error;
  if (signal?.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof KubeError) return reason;
    return isTimeout(reason)
      ? new KubeError(
          "Timeout",
          `timed out waiting for ${api}: it is slow or unreachable; try again, narrow the request, or raise --timeout`,
          { cause: error },
        )
      : new KubeError("Cancelled", `the request to ${api} was cancelled`, { cause: error });
  }
  return new KubeError("Unreachable", `cannot reach ${api}: ${describeNetworkError(error)}`, {
    cause: error,
  });
}

/** What to do when the connection failed: about TLS trust, or about reaching the server at all. */
function networkAdvice(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === "string" && /CERT|SIGNATURE|TLS|ISSUER/.test(code)) {
    return "check the cluster's certificate-authority in the kubeconfig";
  }
  return "check that the cluster is up and reachable from here (VPN, proxy) and the server address in the kubeconfig";
}

function isTimeout(reason: unknown): boolean {
  return reason instanceof Error && (reason.name === "TimeoutError" || reason.name === "Timeout");
}

const networkCauses: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "connection timed out",
  EPIPE: "connection closed",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server's TLS certificate is self-signed and not trusted",
  SELF_SIGNED_CERT_IN_CHAIN: "the server's TLS certificate is not trusted (self-signed CA)",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's TLS certificate is not trusted by the kubeconfig's CA",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the server's TLS certificate is not trusted by the kubeconfig's CA",
  CERT_HAS_EXPIRED: "the server's TLS certificate has expired",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's TLS certificate does not match its address",
};

function describeNetworkError(error: unknown): string {
  return `${networkCause(error)}; ${networkAdvice(error)}`;
}

function networkCause(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  const known = typeof code === "string" ? networkCauses[code] : undefined;
  if (known) return known;
  const message = error instanceof Error ? oneLine(error.message) : String(error);
  return typeof code === "string" && !message.includes(code) ? `${message} (${code})` : message;
}

function parseStatus(body: string): KubernetesStatus {
  try {
    const parsed: unknown = JSON.parse(body);
    return parsed !== null && typeof parsed === "object" ? parsed : {};
  } catch {
    return {};
  }
}

function invalidCauses(status: KubernetesStatus): string | undefined {
  const causes = status.details?.causes
    ?.map((cause) => [cause.field, cause.message].filter(Boolean).join(": "))
    .filter(Boolean);
  return causes && causes.length > 0 ? oneLine(causes.join("; ")) : undefined;
}

/** Longest part of a user's input an error message repeats. */
const QUOTED_PREFIX = 64;

/** User input for an error message: JSON-quoted (control characters escaped), long input cut short. */
export function quoted(text: string): string {
  if (text.length <= QUOTED_PREFIX) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, QUOTED_PREFIX))}… (${text.length} characters)`;
}

/** Collapses a message onto one line. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
