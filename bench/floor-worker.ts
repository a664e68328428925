// The floor's client in a thread of its own: the bench's main thread also serves the in-memory API
// server, and a client sharing that thread would wait on it and measure a floor too high (curl,
// its own process, does not). Answers { id, ms, bytes, body? } to each { id, context, paths, withBody },
// or { id, ms, bytes, continueToken? } with every body parsed when asked to parse.
import { parentPort, workerData } from "node:worker_threads";
import { RawApiClient } from "./floor.ts";

export interface FloorRequest {
  id: number;
  context: string;
  paths: string[];
  withBody: boolean;
  /** Parse every body (RawApiClient.getParsed) instead of only reading it. */
  parse: boolean;
}

export interface FloorReply {
  id: number;
  ms?: number;
  bytes?: number;
  body?: string;
  continueToken?: string;
  error?: string;
}

const client = new RawApiClient((workerData as { kubeconfig: string }).kubeconfig);
parentPort?.on("message", (request: FloorRequest | "close") => {
  if (request === "close") {
    client.close();
    parentPort?.close();
    return;
  }
  const fail = (error: unknown) =>
    parentPort?.postMessage({ id: request.id, error: (error as Error).message });
  if (request.parse) {
    client.getParsed(request.context, request.paths).then((answer) => {
      const reply: FloorReply = { id: request.id, ms: answer.ms, bytes: answer.bytes };
      if (answer.continueToken !== undefined) reply.continueToken = answer.continueToken;
      parentPort?.postMessage(reply);
    }, fail);
    return;
  }
  client.getAll(request.context, request.paths).then((answer) => {
    const reply: FloorReply = { id: request.id, ms: answer.ms, bytes: answer.bytes };
    if (request.withBody) reply.body = answer.body;
    parentPort?.postMessage(reply);
  }, fail);
});
