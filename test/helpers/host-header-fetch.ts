// A fetch for MCP client transports that sends the Host header a test chooses, as a request that
// came through a Kubernetes Service or an ingress carries; fetch() itself always sends the URL's.
import { request } from "node:http";
import { Readable } from "node:stream";

export type FetchLike = (url: string | URL, init?: RequestInit) => Promise<Response>;

export function fetchWithHost(host: string): FetchLike {
  return (input, init = {}) =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((value, name) => {
        headers[name] = value;
      });
      headers.host = host;
      const body =
        init.body === undefined || init.body === null ? undefined : String(init.body as string | Buffer);
      if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
      const method = init.method ?? "GET";
      const outgoing = request(new URL(input), {
        method,
        headers,
        ...(init.signal && { signal: init.signal }),
      });
      outgoing.on("response", (incoming) => {
        const status = incoming.statusCode ?? 0;
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(incoming.headers)) {
          for (const item of [value ?? []].flat()) responseHeaders.append(name, item);
        }
        const empty = [204, 205, 304].includes(status) || method === "HEAD";
        if (empty) incoming.resume();
        const stream = empty ? null : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>);
        resolve(new Response(stream, { status, headers: responseHeaders }));
      });
      outgoing.on("error", reject);
      outgoing.end(body);
    });
}
