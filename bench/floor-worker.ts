// The floor's client in a thread of its own: the bench's main thread also serves the in-memory API
// server, and a client sharing that thread would wait on it and measure a floor too high (curl,
// its own process, does not). Answers { id, ms, bytes, body? } to each { id, context, paths, withBody }.
import { parentPort, workerData } from "node:worker_threads";
import { RawApiClient } from "./floor.ts";

export interface FloorRequest {
  id: number;
  context: string;
  paths: string[];
  withBody: boolean;
}

export interface FloorReply {
  id: number;
  ms?: number;
  bytes?: number;
  body?: string;
  error?: string;
}

const client = new RawApiClient((workerData as { kubeconfig: string }).kubeconfig);
parentPort?.on("message", (request: FloorRequest | "close") => {
  if (request === "close") {
    client.close();
    parentPort?.close();
    return;
  }
  client.getAll(request.context, request.paths).then(
    (answer) => {
      const reply: FloorReply = { id: request.id, ms: answer.ms, bytes: answer.bytes };
      if (request.withBody) reply.body = answer.body;
      parentPort?.postMessage(reply);
    },
    (error: unknown) => parentPort?.postMessage({ id: request.id, error: (error as Error).message }),
  );
});
