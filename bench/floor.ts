// The floor: the raw Kubernetes API requests behind a question, sent from the bench process over
// HTTPS with the kubeconfig's CA and client certificate (keep-alive, as any real client would).
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import https from "node:https";
import { join } from "node:path";
import { promisify } from "node:util";
import { Worker } from "node:worker_threads";
import { parse } from "yaml";
import type { FloorReply, FloorRequest } from "./floor-worker.ts";
import { rotated, spread } from "./numbers.ts";
import type { FloorClientCheck } from "./results.ts";

const run = promisify(execFile);
/** Transfers of the largest list per client when checking the floor's client against curl. */
const CLIENT_CHECK_TRANSFERS = 7;

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

/** Lists read the way a server that uses their fields must at least: every body parsed. */
export interface ParsedAnswer {
  /** From the first request to the end of the last body's JSON.parse. */
  ms: number;
  bytes: number;
  /** The continue token of the first path's list, read from the parsed body. */
  continueToken?: string;
}

/** A GET's answer: its bytes, and whether the API server said they are JSON (a log is text). */
export interface RawBody {
  body: Buffer;
  json: boolean;
}

interface Endpoint {
  server: string;
  agent: https.Agent;
}

export class RawApiClient {
  readonly #config: KubeconfigFile;
  readonly #endpoints = new Map<string, Endpoint>();

  constructor(kubeconfigYaml: string) {
    this.#config = parse(kubeconfigYaml) as KubeconfigFile;
  }

  /** GETs every path at once in a context; resolves when the last answer is read. */
  async getAll(context: string, paths: string[]): Promise<RawAnswer> {
    await this.#connect(context, paths.length);
    const started = performance.now();
    const bodies = await Promise.all(paths.map(async (path) => (await this.get(context, path)).body));
    // Timed up to the last byte, as curl's time_total is: decoding the text is the caller's work.
    const ms = performance.now() - started;
    return {
      ms,
      bytes: bodies.reduce((total, body) => total + body.length, 0),
      body: bodies.map((body) => body.toString("utf8")).join("\n"),
    };
  }

  /**
   * GETs every path at once and parses each body as it arrives (the whole body decoded, then
   * JSON.parse, the fastest way Node has); resolves when the last one is parsed.
   */
  async getParsed(context: string, paths: string[]): Promise<ParsedAnswer> {
    await this.#connect(context, paths.length);
    const started = performance.now();
    let bytes = 0;
    const parsed = await Promise.all(
      paths.map(async (path) => {
        const { body } = await this.get(context, path);
        bytes += body.length;
        return JSON.parse(body.toString("utf8")) as { metadata?: { continue?: string } };
      }),
    );
    const ms = performance.now() - started;
    const continueToken = parsed[0]?.metadata?.continue;
    return { ms, bytes, ...(continueToken && { continueToken }) };
  }

  close(): void {
    for (const { agent } of this.#endpoints.values()) agent.destroy();
  }

  /**
   * As many open connections as `count` requests at once need, before the clock starts: curl's
   * time leaves out its connection's set-up, and the API server closes idle ones after seconds, so
   * a round would otherwise pay a TLS handshake per parallel request that curl's time does not.
   */
  async #connect(context: string, count: number): Promise<void> {
    await Promise.all(Array.from({ length: count }, () => this.get(context, "/version")));
  }

  /** GETs one path; rejects an answer other than 200 with the start of its body. */
  get(contextName: string, path: string): Promise<RawBody> {
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
            if (response.statusCode === 200) {
              resolve({ body, json: response.headers["content-type"]?.includes("json") ?? false });
            } else
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

  /** One keep-alive agent per context, made once: the TLS material is decoded once, not per request. */
  #endpoint(contextName: string): Endpoint {
    let found = this.#endpoints.get(contextName);
    if (found) return found;
    const context = this.#config.contexts.find(({ name }) => name === contextName)?.context;
    const cluster = this.#config.clusters.find(({ name }) => name === context?.cluster)?.cluster;
    const user = this.#config.users.find(({ name }) => name === context?.user)?.user;
    if (!context || !cluster || !user) throw new Error(`context ${contextName} is not in the kubeconfig`);
    const decode = (data: string) => Buffer.from(data, "base64");
    found = {
      server: cluster.server,
      agent: new https.Agent({
        keepAlive: true,
        ca: decode(cluster["certificate-authority-data"]),
        cert: decode(user["client-certificate-data"]),
        key: decode(user["client-key-data"]),
      }),
    };
    this.#endpoints.set(contextName, found);
    return found;
  }
}

/** What the floor is asked through: the Node client (in its own thread) or curl. */
export interface FloorClient {
  readonly name: "node" | "curl";
  getAll(context: string, paths: string[], withBody?: boolean): Promise<RawAnswer>;
  close(): Promise<void>;
}

/**
 * curl, one process per question with every path of it at once (--parallel). Its time is its own
 * per-transfer time_total less the connection's set-up (time_appconnect): a request on an open
 * connection, as a keep-alive client has one; the slowest transfer is the question's time.
 */
export class CurlClient implements FloorClient {
  readonly name = "curl";
  readonly #config: KubeconfigFile;
  readonly #directory: string;
  /** The curl flags of each context's TLS files, written on first use. */
  readonly #tls = new Map<string, string[]>();

  constructor(kubeconfigYaml: string, directory: string) {
    this.#config = parse(kubeconfigYaml) as KubeconfigFile;
    this.#directory = directory;
  }

  async getAll(contextName: string, paths: string[], withBody = false): Promise<RawAnswer> {
    const { server, tls } = await this.#endpoint(contextName);
    const outputs = paths.map((_, index) =>
      withBody ? join(this.#directory, `curl-body-${index}`) : "/dev/null",
    );
    const args = ["-sS", ...tls, "-H", "Accept: application/json", "--fail-with-body"];
    if (paths.length > 1) args.push("--parallel", "--parallel-immediate", "--parallel-max", "50");
    paths.forEach((path, index) => {
      args.push(
        "-o",
        outputs[index] as string,
        "-w",
        "%{time_appconnect} %{time_total} %{size_download}\n",
        `${server}${path}`,
      );
    });
    const { stdout } = await run("curl", args);
    let seconds = 0;
    let bytes = 0;
    for (const line of stdout.trim().split("\n")) {
      const [connect, total, size] = line.split(" ").map(Number);
      seconds = Math.max(seconds, (total ?? NaN) - (connect ?? 0));
      bytes += size ?? 0;
    }
    const body = withBody
      ? (await Promise.all(outputs.map((output) => readFile(output, "utf8")))).join("\n")
      : "";
    return { ms: seconds * 1000, bytes, body };
  }

  async close(): Promise<void> {}

  async #endpoint(contextName: string): Promise<{ server: string; tls: string[] }> {
    const context = this.#config.contexts.find(({ name }) => name === contextName)?.context;
    const cluster = this.#config.clusters.find(({ name }) => name === context?.cluster)?.cluster;
    const user = this.#config.users.find(({ name }) => name === context?.user)?.user;
    if (!cluster || !user) throw new Error(`context ${contextName} is not in the kubeconfig`);
    let tls = this.#tls.get(contextName);
    if (!tls) {
      const decode = (data: string) => Buffer.from(data, "base64");
      const path = (what: string) => join(this.#directory, `curl-${contextName}-${what}.pem`);
      await writeFile(path("ca"), decode(cluster["certificate-authority-data"]), { mode: 0o600 });
      await writeFile(path("cert"), decode(user["client-certificate-data"]), { mode: 0o600 });
      await writeFile(path("key"), decode(user["client-key-data"]), { mode: 0o600 });
      tls = ["--cacert", path("ca"), "--cert", path("cert"), "--key", path("key")];
      this.#tls.set(contextName, tls);
    }
    return { server: cluster.server, tls };
  }
}

/** RawApiClient in a worker thread (bench/floor-worker.ts), so the API server's thread is not its own. */
export class FloorThread implements FloorClient {
  readonly name = "node";
  readonly #worker: Worker;
  readonly #pending = new Map<number, (reply: FloorReply) => void>();
  #nextId = 1;

  constructor(kubeconfigYaml: string) {
    this.#worker = new Worker(new URL("./floor-worker.ts", import.meta.url), {
      workerData: { kubeconfig: kubeconfigYaml },
    });
    this.#worker.on("message", (reply: FloorReply) => {
      this.#pending.get(reply.id)?.(reply);
      this.#pending.delete(reply.id);
    });
  }

  /** Like RawApiClient.getAll; the body crosses threads only when asked for. */
  async getAll(context: string, paths: string[], withBody = false): Promise<RawAnswer> {
    const reply = await this.#ask({ context, paths, withBody, parse: false });
    return { ms: reply.ms, bytes: reply.bytes ?? 0, body: reply.body ?? "" };
  }

  /** Like RawApiClient.getParsed: every body parsed in the worker, its time included. */
  async getParsed(context: string, paths: string[]): Promise<ParsedAnswer> {
    const reply = await this.#ask({ context, paths, withBody: false, parse: true });
    return {
      ms: reply.ms,
      bytes: reply.bytes ?? 0,
      ...(reply.continueToken !== undefined && { continueToken: reply.continueToken }),
    };
  }

  #ask(question: Omit<FloorRequest, "id">): Promise<FloorReply & { ms: number }> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, (reply) => {
        if (reply.error !== undefined || reply.ms === undefined)
          reject(new Error(reply.error ?? "no answer"));
        else resolve({ ...reply, ms: reply.ms });
      });
      const request: FloorRequest = { id, ...question };
      this.#worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    this.#worker.postMessage("close");
    await new Promise((resolve) => this.#worker.once("exit", resolve));
  }
}

/**
 * Times the largest list with both floor clients, in turns; the faster one asks the floor, so
 * that the floor is never higher than a plain client would find it. A client that fails (no curl
 * installed) is left out.
 */
export async function checkFloorClients(
  clients: FloorClient[],
  context: string,
  path: string,
): Promise<FloorClientCheck> {
  const working: FloorClient[] = [];
  const errors: string[] = [];
  let bytes = 0;
  for (const client of clients) {
    try {
      bytes = (await client.getAll(context, [path])).bytes;
      working.push(client);
    } catch (error) {
      errors.push(`${client.name}: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  const times = new Map<FloorClient, number[]>(working.map((client) => [client, []]));
  for (let transfer = 0; transfer < CLIENT_CHECK_TRANSFERS; transfer++) {
    for (const client of rotated(working, transfer)) {
      times.get(client)?.push((await client.getAll(context, [path])).ms);
    }
  }
  const timed = [...times].map(([client, ms]) => ({ name: client.name, ms: spread(ms) }));
  const fastest = timed.sort((a, b) => a.ms.median - b.ms.median)[0];
  if (!fastest) throw new Error(`no floor client works: ${errors.join("; ")}`);
  return {
    path,
    bytes,
    ...Object.fromEntries(timed.map(({ name, ms }) => [`${name}Ms`, ms])),
    ...(errors.length > 0 && { errors }),
    used: fastest.name,
  };
}
