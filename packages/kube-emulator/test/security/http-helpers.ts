// Real servers and requests for the security and reliability tests.
import { execFile } from "node:child_process";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import type { ClusterCertificates } from "../../src/security/certificates.ts";

export interface TestServer {
  port: number;
  close(): Promise<void>;
}

export interface TestResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

/** An HTTPS server set up the way the API server is: client certificates optional. */
export function startTlsServer(certs: ClusterCertificates, handler: Handler): Promise<TestServer> {
  const server = https.createServer(
    {
      key: certs.serverKeyPem,
      cert: certs.serverCertPem,
      ca: certs.caCertPem,
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => void handler(req, res),
  );
  return listen(server);
}

export function startHttpServer(handler: Handler): Promise<TestServer> {
  return listen(http.createServer((req, res) => void handler(req, res)));
}

function listen(server: http.Server): Promise<TestServer> {
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

export interface RequestOptions {
  method?: string;
  path?: string;
  host?: string;
  headers?: http.OutgoingHttpHeaders;
  /** TLS client options: CA to trust, client certificate and key. */
  tls?: { ca: string; cert?: string; key?: string };
}

export function request(port: number, options: RequestOptions = {}): Promise<TestResponse> {
  const requestOptions: https.RequestOptions = {
    host: options.host ?? "127.0.0.1",
    port,
    method: options.method ?? "GET",
    path: options.path ?? "/",
    headers: options.headers,
    agent: false,
    ...options.tls,
  };
  const send = options.tls ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = send(requestOptions, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** A kubeconfig (JSON is YAML) with one context per token, named after the token's user. */
export function kubeconfig(
  port: number,
  certs: ClusterCertificates,
  users: Record<string, { token: string } | { "client-certificate-data": string; "client-key-data": string }>,
): string {
  const names = Object.keys(users);
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: "test",
        cluster: {
          server: `https://127.0.0.1:${port}`,
          "certificate-authority-data": base64(certs.caCertPem),
        },
      },
    ],
    users: names.map((name) => ({ name, user: users[name] })),
    contexts: names.map((name) => ({ name, context: { cluster: "test", user: name } })),
    "current-context": names[0],
  });
}

export function base64(text: string): string {
  return Buffer.from(text).toString("base64");
}

export async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function runKubectl(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)("kubectl", args, { timeout: 20_000 });
}

/** Tests that drive the real kubectl skip where it is not installed. */
export const kubectlMissing = await runKubectl(["version", "--client"]).then(
  () => false,
  () => "kubectl not installed",
);
