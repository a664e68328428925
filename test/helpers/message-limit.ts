// The message size limit the README states, and JSON-RPC messages padded to a given size, for the
// tests that check the limit at its boundary over stdio and HTTP.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";

/** The limit in bytes, from the README's "A message over N MiB". */
export async function statedMessageLimitBytes(): Promise<number> {
  const mebibytes = /A message over (\d+) MiB/.exec(await readFile("README.md", "utf8"))?.[1];
  assert.ok(mebibytes, "the README states the message size limit");
  return Number(mebibytes) * 1024 * 1024;
}

/** `message` as JSON of exactly `bytes` bytes, padded by a `pad` string in its params. */
export function paddedMessage(message: { [key: string]: unknown; params?: object }, bytes: number): string {
  const marker = "\u0000pad\u0000";
  const [head, tail] = JSON.stringify({ ...message, params: { ...message.params, pad: marker } }).split(
    JSON.stringify(marker),
  );
  assert.ok(head !== undefined && tail !== undefined);
  const text = `${head}"${"x".repeat(bytes - head.length - tail.length - 2)}"${tail}`;
  assert.equal(Buffer.byteLength(text), bytes);
  return text;
}
