// The in-memory API server: one HTTPS listener serving every cluster under `/clusters/<name>`,
// with authentication, impersonation, RBAC, fault injection and a request log in front of the
// Kubernetes REST API, and a Flux controller simulation per cluster.
import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { ApiError, methodNotAllowed, pathNotFound } from "./api-error.ts";
import type { Cluster } from "./cluster.ts";
import { serveVirtual } from "./virtual-resources.ts";
import {
  acceptsAggregatedDiscovery,
  AGGREGATED_DISCOVERY_TYPE,
  aggregatedDiscovery,
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  coreVersions,
} from "./discovery.ts";
import { FaultInjector } from "./faults.ts";
import { startFluxHost } from "./flux-host.ts";
import type { FluxSimulation, FluxSimulationOptions } from "./flux-controller.ts";
import { sendError, sendJson, sendText } from "./http-io.ts";
import { buildKubeconfig } from "./kubeconfig.ts";
import { openApiV3Document, openApiV3Index } from "./openapi.ts";
import { RequestLog, WRITE_VERBS } from "./request-log.ts";
import { handleResource } from "./resource-handler.ts";
import { parseApiPath, verbOf, type ApiPath } from "./request-path.ts";
import { authenticate } from "./security/authentication.ts";
import { generateClusterCertificates, type ClusterCertificates } from "./security/certificates.ts";
import { forbiddenMessage } from "./security/forbidden.ts";
import { resolveImpersonation } from "./security/impersonation.ts";
import type { Identity, RequestAttributes } from "./types.ts";

export interface ApiServerOptions {
  clusters: Cluster[];
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Bearer tokens the server accepts, with the identity each one stands for. */
  tokens?: Map<string, Identity>;
  /** Timing of the Flux controller simulation, or false to run none. */
  simulation?: FluxSimulationOptions | false;
  /** Reused from an earlier server, so a restart keeps the kubeconfig valid; generated when absent. */
  certificates?: ClusterCertificates;
}

export interface RunningApiServer {
  /** https://host:port, without a cluster path. */
  url: string;
  port: number;
  clusters: ReadonlyMap<string, Cluster>;
  certificates: ClusterCertificates;
  requestLog: RequestLog;
  faults: FaultInjector;
  clusterUrl(name: string): string;
  /** A kubeconfig with one context per cluster, authenticating as cluster admin by client certificate. */
  kubeconfig(): string;
  /** Resolves once every simulated Flux controller is idle. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

const clusterPathPattern = /^\/clusters\/([^/?]+)(\/[^?]*)?(?:\?(.*))?$/;

export async function startApiServer(options: ApiServerOptions): Promise<RunningApiServer> {
  const certificates = options.certificates ?? (await generateClusterCertificates());
  const clusters = new Map(options.clusters.map((cluster) => [cluster.info.name, cluster]));
  const tokens = options.tokens ?? new Map<string, Identity>();
  const requestLog = new RequestLog();
  const faults = new FaultInjector();
  const simulations: FluxSimulation[] =
    options.simulation === false
      ? []
      : options.clusters.map((cluster) => startFluxHost(cluster, options.simulation || undefined));

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const match = clusterPathPattern.exec(req.url ?? "/");
    const cluster = match && clusters.get(decodeURIComponent(match[1] as string));
    if (!match || !cluster) {
      sendError(
        res,
        new ApiError(
          404,
          "NotFound",
          `no cluster at ${req.url}; clusters are served under /clusters/{${[...clusters.keys()].join(",")}}`,
        ),
      );
      return;
    }
    const path = match[2] ?? "/";
    const query = new URLSearchParams(match[3] ?? "");
    const authenticated = authenticate(req, tokens);
    if (!authenticated) {
      sendError(res, new ApiError(401, "Unauthorized", "Unauthorized"));
      return;
    }
    const impersonation = resolveImpersonation(req, authenticated, cluster.authorize);
    if ("forbidden" in impersonation) {
      logWhenDone(req, res, requestLog, "impersonate", authenticated);
      sendError(res, new ApiError(403, "Forbidden", impersonation.forbidden));
      return;
    }
    const identity = impersonation.identity;
    const apiPath = parseApiPath(path);
    const attrs = attributesOf(req.method ?? "GET", path, apiPath, query, identity);
    logWhenDone(req, res, requestLog, attrs.verb, identity);
    if (await faults.intercept(req, res, attrs)) return;
    if (cluster.info.readOnly && WRITE_VERBS.has(attrs.verb) && !query.getAll("dryRun").includes("All")) {
      sendError(
        res,
        methodNotAllowed(`cluster ${cluster.info.name} is a read-only record (ClusterInfo readOnly: true)`),
      );
      return;
    }
    const decision = cluster.authorize(attrs);
    if (!decision.allowed) {
      sendError(
        res,
        new ApiError(403, "Forbidden", forbiddenMessage(attrs, decision.reason), forbiddenDetails(attrs)),
      );
      return;
    }
    await route(cluster, apiPath, path, query, attrs, req, res);
  };

  const server = https.createServer(
    {
      key: certificates.serverKeyPem,
      cert: certificates.serverCertPem,
      ca: certificates.caCertPem,
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        sendError(res, error instanceof ApiError ? error : internalError(error));
      });
    },
  );
  // Every TCP connection, so that close() also ends one whose TLS handshake was still under way
  // (closeAllConnections knows only connections that reached HTTP, and such a one could go on to
  // hold a watch open for good).
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `https://${options.host ?? "127.0.0.1"}:${port}`;
  const clusterUrl = (name: string) => `${url}/clusters/${encodeURIComponent(name)}`;

  return {
    url,
    port,
    clusters,
    certificates,
    requestLog,
    faults,
    clusterUrl,
    kubeconfig: () =>
      buildKubeconfig({
        clusters: [...clusters.keys()].map((name) => ({ name, server: clusterUrl(name) })),
        caCertPem: certificates.caCertPem,
        clientCertPem: certificates.adminClientCertPem,
        clientKeyPem: certificates.adminClientKeyPem,
      }),
    settled: async () => {
      await Promise.all(simulations.map((simulation) => simulation.idle()));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const simulation of simulations) simulation.stop();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      }),
  };
}

async function route(
  cluster: Cluster,
  apiPath: ApiPath,
  path: string,
  query: URLSearchParams,
  attrs: RequestAttributes,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { registry } = cluster;
  switch (apiPath.kind) {
    case "other":
      return serveNonResource(cluster, path, req, res);
    case "group": {
      const document = apiGroupDocument(registry, apiPath.group);
      if (!document) throw pathNotFound();
      return sendJson(res, 200, document);
    }
    case "groupVersion": {
      const document = apiResourceList(registry, apiPath.group, apiPath.version);
      if (!document) throw pathNotFound();
      return sendJson(res, 200, document);
    }
    case "resource": {
      const type = registry.byPlural(apiPath.group, apiPath.plural);
      const served = type?.versions.some((version) => version.name === apiPath.version);
      if (!type || !served || (apiPath.namespace !== undefined && !type.namespaced)) throw pathNotFound();
      const request = {
        cluster,
        type,
        version: apiPath.version,
        path: apiPath,
        query,
        verb: attrs.verb,
        req,
        res,
      };
      if (type.virtual) return serveVirtual(request, attrs.identity);
      return handleResource(request);
    }
  }
}

function serveNonResource(cluster: Cluster, path: string, req: IncomingMessage, res: ServerResponse): void {
  const trimmed = path.replace(/\/+$/, "") || "/";
  if ((trimmed === "/api" || trimmed === "/apis") && acceptsAggregatedDiscovery(req.headers.accept)) {
    const body = JSON.stringify(aggregatedDiscovery(cluster.registry, trimmed === "/api"));
    res.writeHead(200, {
      "Content-Type": AGGREGATED_DISCOVERY_TYPE,
      "Content-Length": Buffer.byteLength(body),
    });
    res.end(body);
    return;
  }
  switch (trimmed) {
    case "/version":
      return sendJson(res, 200, versionInfo(cluster.info.kubernetesVersion));
    case "/api":
      return sendJson(res, 200, coreVersions());
    case "/apis":
      return sendJson(res, 200, apiGroupList(cluster.registry));
    case "/healthz":
    case "/livez":
    case "/readyz":
      return sendText(res, 200, "ok");
    case "/openapi/v3":
      return sendJson(res, 200, openApiV3Index(cluster.registry.all()));
  }
  if (trimmed.startsWith("/openapi/v3/")) {
    const document = openApiV3Document(cluster.registry.all(), trimmed.slice("/openapi/v3/".length));
    if (document) return sendJson(res, 200, document);
  }
  throw pathNotFound();
}

function versionInfo(gitVersion: string): Record<string, string> {
  const match = /^v(\d+)\.(\d+)/.exec(gitVersion);
  return {
    major: match?.[1] ?? "1",
    minor: match?.[2] ?? "32",
    gitVersion,
    gitCommit: "0000000000000000000000000000000000000000",
    gitTreeState: "clean",
    buildDate: "2026-01-01T00:00:00Z",
    goVersion: "flux-mcp in-memory apiserver",
    compiler: "gc",
    platform: "linux/amd64",
  };
}

function attributesOf(
  method: string,
  path: string,
  apiPath: ApiPath,
  query: URLSearchParams,
  identity: Identity,
): RequestAttributes {
  if (apiPath.kind !== "resource") {
    return { identity, verb: nonResourceVerb(method), apiGroup: "", resource: "", nonResourcePath: path };
  }
  return {
    identity,
    verb: verbOf(method, apiPath, query.get("watch") === "true" || query.get("watch") === "1"),
    apiGroup: apiPath.group,
    resource: apiPath.plural,
    ...(apiPath.subresource !== undefined && { subresource: apiPath.subresource }),
    ...(apiPath.namespace !== undefined && { namespace: apiPath.namespace }),
    ...(apiPath.name !== undefined && { name: apiPath.name }),
  };
}

function nonResourceVerb(method: string): string {
  const verbs: Record<string, string> = {
    GET: "get",
    HEAD: "head",
    POST: "post",
    PUT: "put",
    PATCH: "patch",
    DELETE: "delete",
  };
  return verbs[method] ?? method.toLowerCase();
}

function forbiddenDetails(attrs: RequestAttributes): ApiError["details"] {
  if (attrs.nonResourcePath !== undefined) return undefined;
  return {
    ...(attrs.name !== undefined && { name: attrs.name }),
    group: attrs.apiGroup,
    kind: attrs.resource,
  };
}

function logWhenDone(
  req: IncomingMessage,
  res: ServerResponse,
  log: RequestLog,
  verb: string,
  identity: Identity,
): void {
  res.once("close", () => {
    log.record({
      time: new Date().toISOString(),
      method: req.method ?? "GET",
      path: req.url ?? "/",
      verb,
      user: identity.user,
      groups: identity.groups,
      ...(identity.uid !== undefined && { uid: identity.uid }),
      status: res.statusCode,
      ...(req.headers.accept !== undefined && { accept: req.headers.accept }),
    });
  });
}

function internalError(error: unknown): ApiError {
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError(500, "InternalError", `Internal error occurred: ${message}`);
}
