// Kubeconfigs for KubeProvider tests: written by hand for the in-memory API server, with whatever
// credentials a test needs; plus a port nobody listens on, and a path-prefix proxy that serves one
// in-memory cluster at the root of its own HTTPS address, as an in-cluster API server is.
import { writeFile } from "node:fs/promises";
import https from "node:https";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { stringify } from "yaml";
import type { TestApiServer } from "./apiserver.ts";

export interface KubeconfigContext {
  name: string;
  server: string;
  user: Record<string, unknown>;
  namespace?: string;
  /** Names of the cluster and user entries; default: the context name. */
  entryName?: string;
}

/** A kubeconfig trusting the in-memory API server's CA, one cluster and user entry per context. */
export function kubeconfigYaml(
  api: TestApiServer,
  contexts: KubeconfigContext[],
  currentContext?: string,
): string {
  const caData = Buffer.from(api.server.certificates.caCertPem).toString("base64");
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    ...(currentContext !== undefined && { "current-context": currentContext }),
    clusters: contexts.map((context) => ({
      name: context.entryName ?? context.name,
      cluster: { server: context.server, "certificate-authority-data": caData },
    })),
    users: contexts.map((context) => ({ name: context.entryName ?? context.name, user: context.user })),
    contexts: contexts.map((context) => ({
      name: context.name,
      context: {
        cluster: context.entryName ?? context.name,
        user: context.entryName ?? context.name,
        ...(context.namespace && { namespace: context.namespace }),
      },
    })),
  });
}

export async function writeKubeconfig(
  api: TestApiServer,
  file: string,
  contexts: KubeconfigContext[],
  currentContext?: string,
): Promise<string> {
  const path = join(api.directory, file);
  await writeFile(path, kubeconfigYaml(api, contexts, currentContext));
  return path;
}

/** A local port that was free a moment ago and that nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Serves `/clusters/<cluster>` of the in-memory API server at `https://127.0.0.1:<port>/`, with the
 * API server's own serving certificate or the one given.
 */
export async function startClusterProxy(
  api: TestApiServer,
  cluster: string,
  serving?: { certPem: string; keyPem: string },
): Promise<{ port: number; close(): Promise<void> }> {
  const { certificates } = api.server;
  const server = https.createServer(
    {
      key: serving?.keyPem ?? certificates.serverKeyPem,
      cert: serving?.certPem ?? certificates.serverCertPem,
    },
    (req, res) => {
      const upstream = https.request(
        `${api.server.clusterUrl(cluster)}${req.url ?? "/"}`,
        {
          method: req.method ?? "GET",
          headers: { ...req.headersDistinct, host: `127.0.0.1:${api.server.port}` },
          ca: certificates.caCertPem,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on("error", () => res.destroy());
      req.pipe(upstream);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
