// Reading request bodies and writing JSON answers and Status errors.
import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseYaml } from "yaml";
import { ApiError, badRequest } from "./api-error.ts";

/** kube-apiserver refuses bodies over 3 MiB; so do we, with the same kind of error. */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      throw new ApiError(
        413,
        "RequestEntityTooLarge",
        "the request body is larger than the server accepts (3 MiB)",
      );
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A JSON or YAML body as a value; malformed input is a 400 naming the problem. */
export function parseBody(body: Buffer, contentType: string): unknown {
  const text = body.toString("utf8");
  if (text.trim() === "") return undefined;
  try {
    return contentType.includes("yaml") ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw badRequest(
      `the body of the request could not be decoded: ${(error as Error).message.split("\n")[0]}`,
    );
  }
}

export function sendJson(res: ServerResponse, code: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(code, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

export function sendError(res: ServerResponse, error: ApiError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, error.code, error.toStatus());
}

export function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}
