// The floor: the raw Kubernetes API requests behind a question, sent from the bench process over
// HTTPS with the kubeconfig's CA and client certificate (keep-alive, as any real client would).
import https from "node:https";
import { parse } from "yaml";

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
    return {
      ms: performance.now() - started,
      bytes: bodies.reduce((total, body) => total + Buffer.byteLength(body), 0),
      body: bodies.join("\n"),
    };
  }

  close(): void {
    for (const agent of this.#agents.values()) agent.destroy();
  }

  #get(contextName: string, path: string): Promise<string> {
    const { server, agent } = this.#endpoint(contextName);
    return new Promise((resolve, reject) => {
      const request = https.get(
        `${server}${path}`,
        { agent, headers: { accept: "application/json" } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => {
            const body = Buffer.concat(chunks).toString("utf8");
            if (response.statusCode === 200) resolve(body);
            else
              reject(
                new Error(
                  `GET ${path} in ${contextName}: HTTP ${response.statusCode}: ${body.slice(0, 200)}`,
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
