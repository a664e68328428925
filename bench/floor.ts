// The floor: the raw Kubernetes API requests behind a question, sent from the bench process over
// HTTPS with the kubeconfig's CA and client certificate (keep-alive, as any real client would).
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import https from "node:https";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";

const run = promisify(execFile);

interface KubeconfigFile {
  clusters: { name: string; cluster: { server: string; "certificate-authority-data": string } }[];
  users: { name: string; user: { "client-certificate-data": string; "client-key-data": string } }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
}

export interface RawAnswer {
  ms: number;
  bytes: number;
  body: string;
}

export class RawApiClient {
  readonly #config: KubeconfigFile;
  readonly #agents = new Map<string, https.Agent>();

  constructor(kubeconfigYaml: string) {
    this.#config = parse(kubeconfigYaml) as KubeconfigFile;
  }

  /** GETs every path at once in a context; resolves when the last answer is read. */
  async getAll(context: string, paths: string[]): Promise<RawAnswer> {
    const started = performance.now();
    const bodies = await Promise.all(paths.map((path) => this.#get(context, path)));
    // Timed up to the last byte, as curl's time_total is: decoding the text is the caller's work.
    const ms = performance.now() - started;
    return {
      ms,
      bytes: bodies.reduce((total, body) => total + body.length, 0),
      body: bodies.map((body) => body.toString("utf8")).join("\n"),
    };
  }

  close(): void {
    for (const agent of this.#agents.values()) agent.destroy();
  }

  #get(contextName: string, path: string): Promise<Buffer> {
    const { server, agent } = this.#endpoint(contextName);
    return new Promise((resolve, reject) => {
      const request = https.get(
        `${server}${path}`,
        { agent, headers: { accept: "application/json" } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => {
            const body = Buffer.concat(chunks);
            if (response.statusCode === 200) resolve(body);
            else
              reject(
                new Error(
                  `GET ${path} in ${contextName}: HTTP ${response.statusCode}: ${body.subarray(0, 200).toString()}`,
                ),
              );
          });
          response.on("error", reject);
        },
      );
      request.on("error", reject);
    });
  }

  #endpoint(contextName: string): { server: string; agent: https.Agent } {
    const context = this.#config.contexts.find(({ name }) => name === contextName)?.context;
    const cluster = this.#config.clusters.find(({ name }) => name === context?.cluster)?.cluster;
    const user = this.#config.users.find(({ name }) => name === context?.user)?.user;
    if (!context || !cluster || !user) throw new Error(`context ${contextName} is not in the kubeconfig`);
    let agent = this.#agents.get(contextName);
    if (!agent) {
      const decode = (data: string) => Buffer.from(data, "base64");
      agent = new https.Agent({
        keepAlive: true,
        ca: decode(cluster["certificate-authority-data"]),
        cert: decode(user["client-certificate-data"]),
        key: decode(user["client-key-data"]),
      });
      this.#agents.set(contextName, agent);
    }
    return { server: cluster.server, agent };
  }
}

/**
 * curl's own time for `path`, fetched `times` times over one connection (one process, so its start
 * is not counted and the connection is reused as the Node client's is): each transfer's time_total,
 * the first (with the TLS handshake) dropped.
 */
export async function curlTimes(
  kubeconfigYaml: string,
  contextName: string,
  path: string,
  times: number,
  directory: string,
): Promise<number[]> {
  const config = parse(kubeconfigYaml) as KubeconfigFile;
  const context = config.contexts.find(({ name }) => name === contextName)?.context;
  const cluster = config.clusters.find(({ name }) => name === context?.cluster)?.cluster;
  const user = config.users.find(({ name }) => name === context?.user)?.user;
  if (!cluster || !user) throw new Error(`context ${contextName} is not in the kubeconfig`);
  const files = {
    ca: join(directory, "curl-ca.pem"),
    cert: join(directory, "curl-cert.pem"),
    key: join(directory, "curl-key.pem"),
  };
  const decode = (data: string) => Buffer.from(data, "base64");
  await writeFile(files.ca, decode(cluster["certificate-authority-data"]), { mode: 0o600 });
  await writeFile(files.cert, decode(user["client-certificate-data"]), { mode: 0o600 });
  await writeFile(files.key, decode(user["client-key-data"]), { mode: 0o600 });
  const url = `${cluster.server}${path}`;
  const args = [
    "-sS",
    "--cacert",
    files.ca,
    "--cert",
    files.cert,
    "--key",
    files.key,
    "-H",
    "Accept: application/json",
  ];
  for (let index = 0; index <= times; index++) args.push("-o", "/dev/null", "-w", "%{time_total}\\n", url);
  const { stdout } = await run("curl", args);
  const seconds = stdout.trim().split("\n").map(Number);
  return seconds.slice(1).map((value) => value * 1000);
}
