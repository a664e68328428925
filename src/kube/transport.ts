// HTTP to one context's API server: the context's Credentials supply the TLS material and
// credentials (client certificates, tokens, token files, exec plugins, auth providers) for every
// request, we keep one keep-alive agent per context, add the impersonation headers, and map what
// fails on the way into KubeErrors. Answers of any status come back as they are; the caller words those.
import type { Agent, OutgoingHttpHeaders } from "node:http";
import type { RequestOptions } from "node:https";
import { oneLine, transportError, type RequestOrigin } from "./errors.ts";
import { KubeError } from "./types.ts";

export interface HttpRequest {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** The API path (`/api/v1/pods`), appended to the server URL's own path. */
  path: string;
  query?: Record<string, string | undefined>;
  body?: string;
  contentType?: string;
  accept?: string;
  signal?: AbortSignal;
  /**
   * A stream (a watch): each part of a successful answer's body goes here as it arrives, none is
   * kept, and the connection does not keep the process alive.
   */
  onChunk?: (text: string) => void;
}

interface HttpResponse {
  status: number;
  /** Decoded as it arrives, so turning megabytes into text overlaps the wait for the rest. */
  body: string;
  /** The Retry-After header of a throttled answer, in seconds. */
  retryAfterSeconds?: number;
}

export interface Transport {
  send(request: HttpRequest): Promise<HttpResponse>;
  close(): void;
}

/** What a request to one context needs besides its path: the server, TLS material, credentials. */
export interface Credentials {
  /** The API server's URL. */
  readonly server: string;
  /** The cluster has a proxy-url: requests go through the agent the credentials put in the options. */
  readonly proxied: boolean;
  /** Puts the TLS material and the credential headers of one request into `options`. */
  apply(options: RequestOptions): Promise<void>;
}

export interface Impersonation {
  user?: string;
  groups?: string[];
  uid?: string;
}

// Taken as CommonJS modules, not imported: an ESM import of node:http copies every export, which
// runs its lazy getters and loads Node's bundled undici (fetch, WebSocket), 15–20 ms of a start
// that no request here needs.
const http = process.getBuiltinModule("node:http");
const https = process.getBuiltinModule("node:https");
const tls = process.getBuiltinModule("node:tls");

/** How long opening a connection (TCP and TLS) may take before the cluster counts as unreachable. */
const CONNECT_TIMEOUT_MS = 10_000;
const MAX_SOCKETS = 32;

/** HTTP to one context's API server, over one keep-alive agent. */
export class HttpTransport implements Transport {
  readonly #connection: Credentials;
  readonly #origin: RequestOrigin;
  readonly #base: URL;
  readonly #secure: boolean;
  readonly #prefix: string;
  readonly #hostname: string;
  readonly #port: string | number;
  readonly #impersonationHeaders: OutgoingHttpHeaders;
  #pooled: { material: unknown[]; agent: Agent } | undefined;
  // Requests sent together (discovery sends dozens) share one lookup: an exec plugin runs once, not once each.
  #pendingCredentials: Promise<RequestOptions> | undefined;

  constructor(connection: Credentials, origin: RequestOrigin, impersonation: Impersonation | undefined) {
    this.#connection = connection;
    this.#origin = origin;
    this.#base = new URL(origin.server);
    this.#secure = this.#base.protocol === "https:";
    this.#prefix = this.#base.pathname.replace(/\/+$/, "");
    this.#hostname = this.#base.hostname.replace(/^\[|\]$/g, "");
    this.#port = this.#base.port || (this.#secure ? 443 : 80);
    this.#impersonationHeaders = {
      ...(impersonation?.user !== undefined && { "Impersonate-User": impersonation.user }),
      ...(impersonation?.groups?.length && { "Impersonate-Group": impersonation.groups }),
      ...(impersonation?.uid !== undefined && { "Impersonate-Uid": impersonation.uid }),
    };
  }

  async send(request: HttpRequest): Promise<HttpResponse> {
    if (request.signal?.aborted) throw transportError(request.signal.reason, this.#origin, request.signal);
    const options = await this.#credentials();
    try {
      return await this.#attempt(request, options, true);
    } catch (error) {
      if (error instanceof StaleConnection) return this.#attempt(request, options, false);
      // A read whose connection dropped is sent once more, on a new connection: reading twice
      // changes nothing. A write is never sent again: it may have happened.
      if (request.method === "GET" && !request.signal?.aborted && droppedConnection(error)) {
        return this.#attempt(request, options, false);
      }
      throw error;
    }
  }

  close(): void {
    this.#pooled?.agent.destroy();
    this.#pooled = undefined;
  }

  /** The keep-alive agent for this TLS material; a new one when an exec plugin rotates the client certificate. */
  #agentFor(options: RequestOptions): Agent {
    if (this.#connection.proxied && options.agent instanceof http.Agent) return options.agent;
    const material = [options.ca, options.cert, options.key, options.rejectUnauthorized, options.servername];
    if (!this.#pooled || !sameMaterial(this.#pooled.material, material)) {
      this.#pooled?.agent.destroy();
      const agentOptions = { keepAlive: true, maxSockets: MAX_SOCKETS };
      // The TLS material as one secure context, made once for the agent: given as ca/cert/key, Node
      // would turn each into text for the agent's pool key on every request, and build a context
      // from them for every new connection.
      const agent = this.#secure
        ? new https.Agent({
            ...agentOptions,
            secureContext: tls.createSecureContext({
              ...(options.ca !== undefined && { ca: options.ca }),
              ...(options.cert !== undefined && { cert: options.cert }),
              ...(options.key !== undefined && { key: options.key }),
            }),
            servername: options.servername,
            ...(options.rejectUnauthorized !== undefined && {
              rejectUnauthorized: options.rejectUnauthorized,
            }),
          })
        : new http.Agent(agentOptions);
      this.#pooled = { material, agent };
    }
    return this.#pooled.agent;
  }

  async #fetchCredentials(): Promise<RequestOptions> {
    const options: RequestOptions = { headers: {} };
    try {
      await this.#connection.apply(options);
    } catch (error) {
      throw credentialError(error, this.#origin.context);
    }
    const headers = options.headers as OutgoingHttpHeaders;
    // Token files usually end with a newline, which is not part of the token.
    if (typeof headers.Authorization === "string") headers.Authorization = headers.Authorization.trim();
    return options;
  }

  #credentials(): Promise<RequestOptions> {
    if (!this.#pendingCredentials) {
      const pending = this.#fetchCredentials();
      this.#pendingCredentials = pending;
      const clear = () => {
        if (this.#pendingCredentials === pending) this.#pendingCredentials = undefined;
      };
      pending.then(clear, clear);
    }
    return this.#pendingCredentials;
  }

  #attempt(request: HttpRequest, options: RequestOptions, retryStale: boolean): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const { signal } = request;
      const body = request.body === undefined ? undefined : Buffer.from(request.body);
      // The call's signal gets one listener per request, dropped when the request settles: Node's own
      // `signal` option would hang a stream-end watcher on every request for the same job.
      const onAbort = () => req.destroy(Object.assign(new Error("aborted"), { name: "AbortError" }));
      const settle = () => signal?.removeEventListener("abort", onAbort);
      const fail = (error: unknown) => {
        settle();
        reject(transportError(error, this.#origin, signal));
      };
      const req = (this.#secure ? https : http).request(
        {
          protocol: this.#base.protocol,
          hostname: this.#hostname,
          port: this.#port,
          path: `${this.#prefix}${request.path}${queryString(request.query)}`,
          method: request.method,
          agent: this.#agentFor(options),
          ...(options.auth !== undefined && { auth: options.auth }),
          headers: {
            ...(options.headers as OutgoingHttpHeaders),
            ...this.#impersonationHeaders,
            Accept: request.accept ?? "application/json",
            "User-Agent": "flux-mcp",
            ...(body && {
              "Content-Type": request.contentType ?? "application/json",
              "Content-Length": body.length,
            }),
          },
        },
        (res) => {
          const chunks: string[] = [];
          res.setEncoding("utf8");
          const status = res.statusCode ?? 0;
          const streamed = status < 400 ? request.onChunk : undefined;
          res.on("data", (chunk: string) => {
            if (streamed) {
              try {
                streamed(chunk);
              } catch (error) {
                req.destroy(error as Error);
              }
              return;
            }
            chunks.push(chunk);
          });
          res.on("end", () => {
            settle();
            // Headers are made into an object only when read: only a failed answer needs one.
            const retryAfter = status >= 400 ? Number(res.headers["retry-after"]) : NaN;
            resolve({
              status,
              body: chunks.join(""),
              ...(Number.isFinite(retryAfter) && { retryAfterSeconds: retryAfter }),
            });
          });
          res.on("error", fail);
          res.on("close", () => {
            if (!res.complete)
              fail(Object.assign(new Error("the connection closed mid-answer"), { code: "ECONNRESET" }));
          });
        },
      );
      req.on("error", (error) => {
        // A kept-alive connection the server had already closed: safe to send an idempotent request again.
        if (
          retryStale &&
          req.reusedSocket &&
          request.method === "GET" &&
          !signal?.aborted &&
          (error as NodeJS.ErrnoException).code === "ECONNRESET"
        ) {
          settle();
          reject(new StaleConnection());
        } else {
          fail(error);
        }
      });
      if (signal?.aborted) {
        onAbort();
        return;
      }
      signal?.addEventListener("abort", onAbort, { once: true });
      req.on("socket", (socket) => {
        if (request.onChunk) socket.unref();
        if (!socket.connecting) return;
        const timer = setTimeout(() => {
          req.destroy(Object.assign(new Error("connection timed out"), { code: "ETIMEDOUT" }));
        }, CONNECT_TIMEOUT_MS);
        timer.unref();
        const connected = () => clearTimeout(timer);
        socket.once(this.#secure ? "secureConnect" : "connect", connected);
        socket.once("close", connected);
      });
      req.end(body);
    });
  }
}

/** `?name=value&…` of the parameters that have a value; "" when none has. */
function queryString(query: HttpRequest["query"]): string {
  if (query === undefined) return "";
  const params = new URLSearchParams();
  for (const name in query) {
    const value = query[name];
    if (value !== undefined) params.append(name, value);
  }
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}

class StaleConnection extends Error {}

/** Whether two lists of TLS material hold the same values (Buffers compared by content). */
function sameMaterial(left: readonly unknown[], right: readonly unknown[]): boolean {
  return (
    left.length === right.length &&
    left.every((item, index) => {
      const other = right[index];
      if (item === other) return true;
      if (Buffer.isBuffer(item) && Buffer.isBuffer(other)) return item.equals(other);
      return Array.isArray(item) && Array.isArray(other) && sameMaterial(item, other);
    })
  );
}

function droppedConnection(error: unknown): boolean {
  const code = (error instanceof KubeError ? (error.cause as { code?: unknown } | undefined) : undefined)
    ?.code;
  return code === "ECONNRESET" || code === "EPIPE";
}

function credentialError(error: unknown, context: string): KubeError {
  const { code, syscall, path } = error as NodeJS.ErrnoException;
  if (syscall?.startsWith("spawn")) {
    return new KubeError(
      "Config",
      `the exec credential plugin of context ${context} cannot run: ${syscall.slice("spawn ".length)} ${code === "ENOENT" ? "not found; install it, or put it on the PATH of the MCP server" : code}`,
      { cause: error },
    );
  }
  if (code === "ENOENT" || code === "EACCES") {
    return new KubeError(
      "Config",
      `cannot read ${path} for context ${context}: ${code === "ENOENT" ? "no such file" : "permission denied"}; fix the path in the kubeconfig`,
      {
        cause: error,
      },
    );
  }
  const detail = error instanceof Error ? firstLine(error.message) : String(error);
  return new KubeError(
    "Unauthorized",
    `cannot get credentials for context ${context}: ${detail || "the credential plugin failed"}${detail ? "" : "; run its command from the kubeconfig by hand to see why, or log in again"}`,
    {
      cause: error,
    },
  );
}

function firstLine(text: string): string {
  return oneLine(text.split("\n").find((line) => line.trim() !== "") ?? "").slice(0, 300);
}
