// Reads a request body up to a size cap; an oversized body is answered 413 without being buffered.
import type { IncomingMessage, ServerResponse } from "node:http";

export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** The body as text, or undefined when the request was already answered (too large, aborted). */
export async function readBody(
  request: IncomingMessage,
  response: ServerResponse,
  maxBytes: number,
): Promise<string | undefined> {
  const declared = Number(request.headers["content-length"]);
  if (declared > maxBytes) return tooLarge(response, maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of request as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) return tooLarge(response, maxBytes);
      chunks.push(chunk);
    }
  } catch {
    return undefined;
  }
  return Buffer.concat(chunks).toString("utf8");
}

function tooLarge(response: ServerResponse, maxBytes: number): undefined {
  response
    .writeHead(413, { "Content-Type": "text/plain", Connection: "close" })
    .end(`request body over the ${maxBytes}-byte limit`);
  return undefined;
}
